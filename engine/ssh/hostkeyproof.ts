/**
 * After login, OpenSSH's sshd announces all its host keys (`hostkeys-00@openssh.com`), for clients that keep
 * known_hosts up to date. ssh2 answers by asking the server to prove it holds each of them: one more round trip,
 * one signature per host key on the target (RSA included, slow on a Pi) and one verification per key here, only to
 * emit a `hostkeys` event that tsplay never listens to (it checks the key the server logged in with, and never
 * writes known_hosts from this announcement). This answers the announcement as ssh2 does, without the proof.
 * Other global requests (keepalives, forwardings) still get ssh2's own answer.
 *
 * @example
 * ```ts
 * client.connect(config)
 * skipHostKeysProof(client) // before any packet arrives: ssh2 made its protocol object in connect()
 * ```
 */
import type { Client } from 'ssh2'

/** The announcement's request name (OpenSSH's PROTOCOL file, "hostkeys-00@openssh.com"). */
export const HOSTKEYS_REQUEST = 'hostkeys-00@openssh.com'

/** ssh2's handler of a global request: the protocol object, the request's name, whether it wants a reply, data. */
type GlobalRequestHandler = (proto: { requestSuccess(): void }, name: string, wantReply: boolean, data: unknown) => void

/** ssh2's protocol object as this module reaches it: its message handlers (ssh2 1.x, `lib/protocol/Protocol.js`). */
interface ProtocolParts {
  _handlers?: { GLOBAL_REQUEST?: GlobalRequestHandler }
}

/**
 * Make `client` accept the host key announcement without asking for proofs. Returns whether it could (false when
 * ssh2's internals are not as expected: the client then behaves as plain ssh2, proofs and all).
 */
export function skipHostKeysProof(client: Client): boolean {
  const handlers = (client as unknown as { _protocol?: ProtocolParts })._protocol?._handlers
  const original = handlers?.GLOBAL_REQUEST
  if (!handlers || typeof original !== 'function') return false
  handlers.GLOBAL_REQUEST = (proto, name, wantReply, data) => {
    if (name !== HOSTKEYS_REQUEST) return original(proto, name, wantReply, data)
    if (wantReply) proto.requestSuccess()
  }
  return true
}
