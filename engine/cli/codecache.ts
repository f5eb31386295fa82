/**
 * Loads the bundled CLI (one CommonJS file, ASCII only so it is read as latin1) with V8's code cache, so a run does
 * not parse and compile the same 2 MB of JavaScript (ssh2's included) every time: about a quarter of `tsplay
 * validate`'s start-up.
 * Node 20 has no code cache for its own module loaders, so the bundle is compiled here with `vm.Script` and the
 * code V8 compiled during the run is saved at exit (`<cache folder>/code/<kind>.v8`, one entry per command: each
 * holds what that command ran). The entry starts with a line naming the bundle (size, time, inode), Node's version
 * and the CPU; a rebuilt bundle or another Node never reads it (V8's own check looks only at the source's length),
 * and the code's digest: V8 does not check the bytes of an entry, and a damaged one would crash the run. V8 refuses
 * an entry made with other flags; it is then written again. Every failure of the cache is a miss, never an error;
 * `TSPLAY_CACHE_DIR=off` turns it off (see cachedir.ts for the folder's rules). The bundle must hold no `import()`
 * (scripts/bundle.mjs refuses one): Node 20 runs a dynamic import from a `vm.Script` only with an experimental
 * option, which it forgets when the code comes from the cache.
 *
 * @example
 * ```ts
 * const b = loadBundle('/usr/lib/tsplay/dist/bundle/tsplay.cjs', 'run')
 * await (b.exports.main as (argv: string[]) => Promise<void>)(['run', 'site.yml'])
 * ```
 */
import { createHash } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Script } from 'node:vm'
import { cacheFolder, writeCacheFile } from '../source/cachedir.js'

/** How the cache served this load. */
export type CacheUse = 'off' | 'miss' | 'hit' | 'rejected'

/** A loaded bundle: its exports, how the cache served it, and `save()` (called at exit by `loadBundle`). */
export interface LoadedBundle {
  exports: Record<string, unknown>
  cache: CacheUse
  /** Write the code compiled so far to the cache, when the load did not use a good entry. True when written. */
  save(): boolean
}

/** The start of the entry's first line: which bundle file and which Node made it (the code's digest follows). */
function stampOf(file: string): string {
  const st = statSync(file)
  return `tsplay-code-cache ${st.size} ${st.mtimeMs} ${st.ino} ${process.version} ${process.arch} `
}

/** A digest of the stored code: V8 does not check an entry's bytes, and a damaged one could crash the run. */
const digest = (code: Uint8Array): string => createHash('sha1').update(code).digest('hex')

/** The entry's stored code, when the entry exists, was made for this bundle and this Node, and is whole. */
function readEntry(path: string, stamp: string): Buffer | undefined {
  try {
    const data = readFileSync(path)
    const head = Buffer.from(stamp)
    const nl = data.indexOf(10, head.length)
    if (nl < 0 || !data.subarray(0, head.length).equals(head)) return undefined
    const code = data.subarray(nl + 1)
    return data.toString('latin1', head.length, nl) === digest(code) ? code : undefined
  } catch {
    return undefined
  }
}

/**
 * Compile and run the CommonJS file `file` (strict mode, as its ES module sources were) and return its exports.
 * `kind` names the cache entry (letters and dashes; the command being run). With `saveAtExit`, the entry is
 * written when the process exits, so it holds the code the whole command compiled.
 */
export function loadBundle(file: string, kind: string, saveAtExit = true): LoadedBundle {
  const source = readFileSync(file, 'latin1')
  const dir = cacheFolder('code')
  let stamp = ''
  let path = ''
  let cachedData: Buffer | undefined
  if (dir) {
    try {
      stamp = stampOf(file)
      path = join(dir, `${/^[a-z][a-z-]{0,30}$/.test(kind) ? kind : 'other'}.v8`)
      cachedData = readEntry(path, stamp)
    } catch {
      path = ''
    }
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) {"use strict";${source}\n})`
  const script = new Script(wrapped, { filename: file, cachedData })
  const cache: CacheUse = !path ? 'off' : !cachedData ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit'
  const module = { exports: {} as Record<string, unknown> }
  const run = script.runInThisContext() as (...a: unknown[]) => void
  run(module.exports, createRequire(file), module, file, dirname(file))
  let saved = false
  const save = (): boolean => {
    if (saved || cache === 'off' || cache === 'hit') return false
    saved = true
    const code = script.createCachedData()
    return writeCacheFile(path, Buffer.concat([Buffer.from(`${stamp}${digest(code)}\n`), code]))
  }
  if (saveAtExit && (cache === 'miss' || cache === 'rejected')) process.once('exit', save)
  return { exports: module.exports, cache, save }
}
