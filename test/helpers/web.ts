/**
 * A small HTTP server for tests of the network modules (get_url, uri, unarchive's downloads), listening on loopback
 * (or on a test fleet's own bridge address, for its nodes), on a free port. Each request is recorded (method, URL,
 * headers, body) before the handler answers it. With `tls` it speaks HTTPS (`selfSignedCert()` makes a key and
 * certificate for it).
 *
 * @example
 * ```ts
 * const web = await startWeb((req, res) => res.end('hi'))
 * // … curl `${web.base}/x` on a test host …
 * web.seen.at(-1)?.url   // '/x'
 * await web.close()
 * const secure = await startWeb((req, res) => res.end('hi'), { ...selfSignedCert(), maxVersion: 'TLSv1.2' })
 * ```
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SecureVersion } from 'node:tls'

/** A key and certificate (PEM) for the server. */
export interface WebTls {
  key: string
  cert: string
  /** The newest TLS version spoken (TLS 1.2: only the cipher list decides, as a client's `ciphers` expects). */
  maxVersion?: SecureVersion
}

/** A fresh self-signed RSA certificate for 127.0.0.1 (made with openssl, valid a day), nothing left on disk. */
export function selfSignedCert(): WebTls {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-cert-'))
  try {
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')]
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { stdio: 'ignore' },
    )
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** A request as the server received it. */
export interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

/** The running server. */
export interface Web {
  /** `http://127.0.0.1:PORT` (or the address given) */
  base: string
  port: number
  seen: Seen[]
  close(): Promise<void>
}

/**
 * Start the server; `handle` answers each request (its body is already read into `seen.at(-1).body`). `host`:
 * loopback unless a test fleet's own bridge address is given (its nodes' subnet, `.1`).
 */
export async function startWeb(
  handle: (req: Seen, res: ServerResponse) => void,
  tls?: WebTls,
  host = '127.0.0.1',
): Promise<Web> {
  const seen: Seen[] = []
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const s = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      seen.push(s)
      handle(s, res)
    })
  }
  const server = tls ? createTlsServer(tls, listener) : createServer(listener)
  await new Promise<void>((r) => server.listen(0, host, r))
  const a = server.address()
  const port = typeof a === 'object' && a ? a.port : 0
  return {
    base: `${tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}
