/**
 * The parts of ssh2 tsplay uses, imported from their own files: ssh2's index also loads its SSH server, its HTTP
 * agents and its key generator (and Node's http, https and tls with them), about 7 ms of every run's start (of
 * about 40 ms for ssh2) that a client never uses. Static imports, so scripts/bundle.mjs puts these files (and what
 * they load) in the bundle, where V8's code cache covers them too (engine/cli/codecache.ts); only ssh2's optional
 * native parts stay outside.
 *
 * @example
 * ```ts
 * const client = new Client()
 * const key = parseKey(readFileSync('id_ed25519'))
 * ```
 */
import ClientClass from 'ssh2/lib/client.js'
import crypto from 'ssh2/lib/protocol/crypto.js'
import keyParser from 'ssh2/lib/protocol/keyParser.js'

/** ssh2's `Client` (what `ssh2.Client` is). */
export const Client = ClientClass
/** ssh2's `utils.parseKey`. */
export const parseKey = keyParser.parseKey
/**
 * Whether ssh2's native crypto binding was built (`npm install` builds it when a C++ compiler is present): with it,
 * each packet leaves in one write; without it, in up to three (see `coalesceWrites` in client.ts).
 */
export const nativeCrypto = crypto.bindingAvailable
