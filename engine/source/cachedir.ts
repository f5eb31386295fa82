/**
 * tsplay's cache folder for one kind of entry: `$TSPLAY_CACHE_DIR/KIND`, else
 * `${XDG_CACHE_HOME:-~/.cache}/tsplay/KIND` (`TSPLAY_CACHE_DIR=off` turns every cache off). Made on first use
 * (mode 0700) and used only when it is a folder of the user's own that no one else can write to: what is read
 * from it (parsed files, compiled code) is trusted as much as tsplay itself.
 *
 * @example
 * ```ts
 * const dir = cacheFolder('yaml') // '/home/me/.cache/tsplay/yaml', or null: no cache
 * if (dir) writeCacheFile(join(dir, key), text)
 * ```
 */
import { lstatSync, mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** The folder for `kind`, or null when caching is off or the folder is not safe to use. */
export function cacheFolder(kind: string): string | null {
  const env = process.env.TSPLAY_CACHE_DIR
  if (env === 'off') return null
  const base = env || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tsplay')
  const path = join(base, kind)
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 })
    const st = lstatSync(path)
    const own = typeof process.getuid !== 'function' || st.uid === process.getuid()
    return st.isDirectory() && own && (st.mode & 0o022) === 0 ? path : null
  } catch {
    return null // a read-only home, no home at all
  }
}

/** Write a cache entry atomically (a temporary file renamed, mode 0600); false when it cannot be written. */
export function writeCacheFile(path: string, data: string | Uint8Array): boolean {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
  try {
    writeFileSync(tmp, data, { mode: 0o600, flag: 'wx' })
    renameSync(tmp, path)
    return true
  } catch {
    try {
      unlinkSync(tmp)
    } catch {
      // never written
    }
    return false
  }
}
