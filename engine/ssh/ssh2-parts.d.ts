/**
 * Types for the three files of ssh2 that ssh2lib.ts imports on their own (ssh2's declarations cover its index only).
 *
 * @example
 * ```ts
 * import Client from 'ssh2/lib/client.js'
 * ```
 */
declare module 'ssh2/lib/client.js' {
  import type ssh2 from 'ssh2'
  const Client: typeof ssh2.Client
  export default Client
}
declare module 'ssh2/lib/protocol/keyParser.js' {
  import type ssh2 from 'ssh2'
  const keyParser: { parseKey: typeof ssh2.utils.parseKey }
  export default keyParser
}
declare module 'ssh2/lib/protocol/crypto.js' {
  const crypto: { bindingAvailable: boolean }
  export default crypto
}
