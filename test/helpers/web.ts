/**
 * A small HTTP server for tests of the network modules (get_url, uri, unarchive's downloads), listening on loopback
 * only, on a free port. Each request is recorded (method, URL, headers, body) before the handler answers it.
 *
 * @example
 * ```ts
 * const web = await startWeb((req, res) => res.end('hi'))
 * // … curl `${web.base}/x` on a test host …
 * web.seen.at(-1)?.url   // '/x'
 * await web.close()
 * ```
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'

/** A request as the server received it. */
export interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

/** The running server. */
export interface Web {
  /** `http://127.0.0.1:PORT` */
  base: string
  port: number
  seen: Seen[]
  close(): Promise<void>
}

/** Start the server; `handle` answers each request (its body is already read into `seen.at(-1).body`). */
export async function startWeb(handle: (req: Seen, res: ServerResponse) => void): Promise<Web> {
  const seen: Seen[] = []
  const server = createServer((req, res) => {
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
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const a = server.address()
  const port = typeof a === 'object' && a ? a.port : 0
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}
