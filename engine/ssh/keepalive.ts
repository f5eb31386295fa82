/**
 * Keepalives only on a quiet connection, as OpenSSH's `ServerAliveInterval` ("if no data has been received from
 * the server" for the interval). ssh2 sends its keepalive request every interval whatever arrives: with 100 hosts
 * and the 5 s interval, 20 round trips a second the controller encrypts and decrypts and each host's sshd answers,
 * while their commands' answers show the links alive anyway. Here a tick of ssh2's keepalive timer after which a
 * packet came in counts as an answered keepalive (ssh2's count of unanswered ones starts again) and sends nothing;
 * a tick after a quiet interval sends the request as before. A link that goes silent is still given up after the
 * same number of unanswered requests, at most one interval later than with ssh2's own timer.
 *
 * @example
 * ```ts
 * client.connect(config)
 * keepalivesWhenQuiet(client) // before any packet arrives: ssh2 made its protocol object in connect()
 * ```
 */
import type { Client } from 'ssh2'

/** ssh2's protocol object as this module reaches it (ssh2 1.x, `lib/protocol/Protocol.js`). */
interface ProtocolParts {
  /** Called for every packet that comes in. */
  _onPacket?: () => void
  /** Sends the keepalive request (`keepalive@openssh.com`, reply wanted). */
  ping?: () => void
}

/** ssh2's client as this module reaches it: its protocol object and the callbacks of its global requests. */
interface ClientParts {
  _protocol?: ProtocolParts
  /** Replies to global requests call these in order; ssh2's keepalive tick pushes its reset before each request. */
  _callbacks?: (() => void)[]
}

/**
 * Make `client` send keepalives only after a quiet interval. Returns whether it could (false when ssh2's internals
 * are not as expected: the client then keeps ssh2's own keepalives).
 */
export function keepalivesWhenQuiet(client: Client): boolean {
  const c = client as unknown as ClientParts
  const proto = c._protocol
  const ping = proto?.ping
  const callbacks = c._callbacks
  if (!proto || typeof ping !== 'function' || typeof proto._onPacket !== 'function' || !Array.isArray(callbacks))
    return false
  const onPacket = proto._onPacket
  let heard = false
  proto._onPacket = () => {
    heard = true
    onPacket()
  }
  proto.ping = () => {
    if (!heard) return ping.call(proto)
    heard = false
    // ssh2's tick pushed its reset for the reply of this request: no request, so the reset runs now, as if answered
    const reset = callbacks.pop()
    reset?.()
  }
  return true
}
