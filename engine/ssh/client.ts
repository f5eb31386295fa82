/**
 * Opens one verified, authenticated ssh2 connection: host key checked against known_hosts in `hostVerifier`
 * (unknown → refused unless trust-on-first-use was asked for; changed or revoked → always refused, fingerprint
 * shown), keys or agent or password (auth.ts), keepalives so a dead link is noticed in 15-20 s instead of hanging
 * (sent only when the link has been quiet for their interval: keepalive.ts).
 * The host keys sshd announces after login are accepted without asking it to prove them (hostkeyproof.ts).
 * Every failure is a `HostError` of kind `hostkey`, `auth` or `unreachable` with a message a user can act on.
 *
 * @example
 * ```ts
 * const client = await connectClient({ spec, knownHostsFile: '/root/.ssh/known_hosts', trustNewHostKeys: false })
 * ```
 */
import type { Socket } from 'node:net'
import { Client, nativeCrypto } from './ssh2lib.js'
import type { AnyAuthMethod, Client as ClientT, NextAuthHandler, ServerHostKeyAlgorithm } from 'ssh2'
import { HostError } from '../errors.js'
import type { ConnectionSpec } from '../ast.js'
import { authMethods, expandHome } from './auth.js'
import { addHostKey, checkHostKey, hostPortName, knownKeyTypes } from './knownhosts.js'
import { placeholderNote } from './placeholder.js'
import { skipHostKeysProof } from './hostkeyproof.js'
import { keepalivesWhenQuiet } from './keepalive.js'

export interface ConnectOptions {
  spec: ConnectionSpec
  /** known_hosts file (the caller resolves the default `~/.ssh/known_hosts`). */
  knownHostsFile: string
  /** accept-new: add unknown keys to the file; a changed key is always refused. */
  trustNewHostKeys: boolean
  /** SSH_AUTH_SOCK */
  agentSocket?: string
  /** Keepalive interval in seconds (default 5; 3 missed answers drop the connection). */
  keepaliveSec?: number
}

/** Host key algorithms ssh2 should offer for a known key type (so a host with an RSA entry is asked for RSA). */
const HOST_KEY_ALGOS: Record<string, ServerHostKeyAlgorithm[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
}

/** The host key check as a verifier; records why it refused. */
function makeVerifier(opts: ConnectOptions, refused: { err?: HostError }): (key: Buffer) => boolean {
  const { spec } = opts
  const file = expandHome(opts.knownHostsFile)
  const where = hostPortName(spec.host, spec.port)
  return (key: Buffer) => {
    const r = checkHostKey(file, spec.host, spec.port, key)
    if (r.status === 'match') return true
    if (r.status === 'unknown') {
      if (opts.trustNewHostKeys) {
        addHostKey(file, spec.host, spec.port, key)
        return true
      }
      refused.err = new HostError(
        spec.name,
        'hostkey',
        `${spec.name}: unknown host key for ${where} (${r.keyType} ${r.fingerprint}), not in ${file}. ` +
          `Check the fingerprint, then run again with --trust-new-host-keys to add it.`,
      )
    } else if (r.status === 'revoked') {
      refused.err = new HostError(
        spec.name,
        'hostkey',
        `${spec.name}: the host key of ${where} (${r.keyType} ${r.fingerprint}) is marked @revoked in ` +
          `${file}; refusing to connect.`,
      )
    } else {
      refused.err = new HostError(
        spec.name,
        'hostkey',
        `${spec.name}: HOST KEY CHANGED for ${where}: it now offers ${r.keyType} ${r.fingerprint}, but ` +
          `${file} has ${r.expectedFingerprints.join(', ')}. ` +
          `Someone could be intercepting the connection. If the change is expected (reinstalled host), ` +
          `remove the old entry ` +
          `(ssh-keygen -R '${where}' -f ${file}) and connect again.`,
      )
    }
    return false
  }
}

/**
 * ssh2 writes each packet in up to three pieces (length, body, MAC) when its native crypto binding is not built,
 * and TCP_NODELAY is on: every piece would be its own syscall and TCP segment, each waking sshd. Corking the
 * socket until the end of the current tick sends everything written in that tick in one `writev`. With the binding
 * a packet is one write already, and the cork costs more controller CPU than it saves (A/B, 100 hosts: about 4%).
 */
function coalesceWrites(client: ClientT): void {
  const sock = (client as unknown as { _sock?: Socket })._sock
  if (nativeCrypto || !sock || typeof sock.cork !== 'function') return
  const write = sock.write.bind(sock) as (...a: unknown[]) => boolean
  let corked = false
  sock.write = ((...args: unknown[]) => {
    if (!corked) {
      corked = true
      sock.cork()
      process.nextTick(() => {
        corked = false
        sock.uncork()
      })
    }
    return write(...args)
  }) as Socket['write']
}

/**
 * Hand ssh2 the next method to try, or `false` when none is left (ssh2 then ends the login; its type declarations
 * leave `false` out, so this one place widens them).
 */
function offer(next: NextAuthHandler, method: AnyAuthMethod | false): void {
  ;(next as (m: AnyAuthMethod | false) => void)(method)
}

/**
 * Seconds a login may take once the key exchange is done: as with OpenSSH's ConnectTimeout, the connect timeout
 * covers reaching the host and the handshake, not authentication (a PAM failure delay or a slow Pi may take seconds).
 */
const LOGIN_ALLOWANCE_SEC = 60

/** Connect, verify and authenticate. Resolves with a ready ssh2 Client. */
export function connectClient(opts: ConnectOptions, timeoutSec = opts.spec.connectTimeout): Promise<ClientT> {
  const { spec } = opts
  const methods = authMethods(spec, opts.agentSocket)
  const refused: { err?: HostError } = {}
  const known = knownKeyTypes(expandHome(opts.knownHostsFile), spec.host, spec.port).flatMap(
    (t) => HOST_KEY_ALGOS[t] ?? [],
  )
  const client = new Client()
  const target = `${spec.user}@${hostPortName(spec.host, spec.port)}`
  const timedOut = (): HostError =>
    new HostError(
      spec.name,
      'unreachable',
      `${spec.name}: connection to ${target} timed out after ${timeoutSec}s${placeholderNote(spec.host)}`,
    )
  return new Promise((resolve, reject) => {
    let settled = false
    let i = 0
    const fail = (e: HostError): void => {
      clearTimeout(handshake)
      if (settled) return
      settled = true
      client.removeAllListeners('ready')
      client.on('error', () => {})
      client.end()
      reject(e)
    }
    client.once('ready', () => {
      clearTimeout(handshake)
      settled = true
      client.setNoDelay(true)
      coalesceWrites(client)
      resolve(client)
    })
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      if (settled) return
      if (refused.err) return fail(refused.err)
      if (err.level === 'client-authentication') {
        return fail(
          new HostError(
            spec.name,
            'auth',
            `${spec.name}: login as ${target} rejected (tried ${[...new Set(methods.map((m) => m.type))].join(', ')})`,
          ),
        )
      }
      if (err.level === 'client-timeout') {
        const late = `${spec.name}: login as ${target} did not finish within ${LOGIN_ALLOWANCE_SEC}s`
        return fail(i === 0 ? timedOut() : new HostError(spec.name, 'unreachable', late))
      }
      const why =
        err.code === 'ECONNREFUSED'
          ? 'connection refused'
          : err.code === 'EHOSTUNREACH'
            ? 'no route to host'
            : err.message
      fail(
        new HostError(
          spec.name,
          'unreachable',
          `${spec.name}: cannot connect to ${target}: ${why}${placeholderNote(spec.host)}`,
        ),
      )
    })
    client.on('close', () => {
      if (!settled)
        fail(
          refused.err ??
            new HostError(spec.name, 'unreachable', `${spec.name}: connection closed during the handshake`),
        )
    })
    const handshake = setTimeout(() => fail(timedOut()), Math.max(1, timeoutSec) * 1000)
    client.connect({
      host: spec.host,
      port: spec.port,
      username: spec.user,
      readyTimeout: (Math.max(1, timeoutSec) + LOGIN_ALLOWANCE_SEC) * 1000,
      keepaliveInterval: (opts.keepaliveSec ?? 5) * 1000,
      keepaliveCountMax: 3,
      hostVerifier: makeVerifier(opts, refused),
      algorithms: known.length > 0 ? { serverHostKey: known } : undefined,
      authHandler: (_left, _partial, next) => {
        clearTimeout(handshake)
        offer(next, methods[i++] ?? false)
      },
    })
    skipHostKeysProof(client)
    keepalivesWhenQuiet(client)
  })
}
