/**
 * The two parts of ssh2 tsplay uses, loaded from their own files: ssh2's index also loads its SSH server, its
 * HTTP agents and its key generator (and Node's http, https and tls with them), about 7 ms of every run's start
 * (of about 40 ms for ssh2) that a client never uses.
 *
 * @example
 * ```ts
 * const client = new Client()
 * const key = parseKey(readFileSync('id_ed25519'))
 * ```
 */
import { createRequire } from 'node:module'
import type ssh2 from 'ssh2'

const load = createRequire(import.meta.url)

/** ssh2's `Client` (what `ssh2.Client` is). */
export const Client = load('ssh2/lib/client.js') as typeof ssh2.Client
/** ssh2's `utils.parseKey`. */
export const parseKey = (load('ssh2/lib/protocol/keyParser.js') as { parseKey: typeof ssh2.utils.parseKey }).parseKey
/**
 * Whether ssh2's native crypto binding was built (`npm install` builds it when a C++ compiler is present): with it,
 * each packet leaves in one write; without it, in up to three (see `coalesceWrites` in client.ts).
 */
export const nativeCrypto = (load('ssh2/lib/protocol/crypto.js') as { bindingAvailable: boolean }).bindingAvailable
