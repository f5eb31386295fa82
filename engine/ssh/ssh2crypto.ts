/**
 * `node:crypto` as ssh2's packet code sees it in the bundle: scripts/bundle.mjs resolves the `crypto` that
 * `ssh2/lib/protocol/crypto.js` requires to this module. The same module, but `randomFillSync`, which fills each
 * packet's padding, draws from the pooled random buffer (engine/randompool.ts): one native call per 4 KB of
 * padding instead of one per packet (about 2% of the controller's CPU on the 100-host first run). Nothing else of
 * ssh2 changes.
 *
 * @example
 * ```ts
 * import { randomFillSync } from './ssh2crypto.js'
 * randomFillSync(packet, 5 + payloadLen, padLen)
 * ```
 */
export * from 'node:crypto'
export { randomFill as randomFillSync } from '../randompool.js'
