/**
 * The parse cache's store: entries named by a SHA-256 of what was parsed, this build and the options, in a folder
 * per kind under `$TSPLAY_CACHE_DIR`, else `${XDG_CACHE_HOME:-~/.cache}/tsplay` (`TSPLAY_CACHE_DIR=off` turns it
 * off). A parse that is the same at every run (a YAML file, a template's syntax check) is done once per content.
 *
 * The build is part of every key (the size and time of the code file holding this module), so a rebuilt or
 * upgraded tsplay never reads an older build's entry. The folder is used only when it is the user's own and no one
 * else can write to it; entries are written atomically (a temporary file renamed, mode 0600), an entry that cannot
 * be read is a miss, and entries unused for 30 days are removed. Every failure of the cache is a miss, never an
 * error.
 *
 * @example
 * ```ts
 * const key = cacheKey('yaml', JSON.stringify(limits), bytes)
 * const text = readEntry('yaml', key) // undefined: parse, then writeEntry('yaml', key, JSON.stringify(result))
 * ```
 */
import { createHash } from 'node:crypto'
import { lstatSync, readdirSync, readFileSync, statSync, unlinkSync, utimesSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cacheFolder, writeCacheFile } from './cachedir.js'

const MONTH_MS = 30 * 24 * 3600 * 1000
/** An entry's time is refreshed at most this often when it is read (its time tells when it was last used). */
const TOUCH_MS = 24 * 3600 * 1000

const folders = new Map<string, string | null>()
let stamp: string | undefined

/** The folder of one kind of entry, when the cache is on and the folder is safe to use (made on first use). */
function folderOf(kind: string): string | null {
  let dir = folders.get(kind)
  if (dir === undefined) folders.set(kind, (dir = cacheFolder(kind)))
  return dir
}

/** This build: a changed or reinstalled tsplay never reads an older build's entries. */
function buildStamp(): string {
  if (stamp === undefined) {
    try {
      const st = statSync(fileURLToPath(import.meta.url))
      stamp = `${st.size}:${st.mtimeMs}`
    } catch {
      stamp = 'unknown'
    }
  }
  return stamp
}

/** The entry's name for `data` parsed as `kind` with these options (any text that changes the result). */
export function cacheKey(kind: string, options: string, data: string | Uint8Array): string {
  return createHash('sha256').update(`${kind}\0${buildStamp()}\0${options}\0`).update(data).digest('hex')
}

/** True when the cache is on and usable for this kind (so a caller can skip hashing when it is not). */
export function cacheOn(kind: string): boolean {
  return folderOf(kind) !== null
}

/** The stored text of an entry, or undefined (none, unreadable, or the cache is off). */
export function readEntry(kind: string, key: string): string | undefined {
  const dir = folderOf(kind)
  if (!dir) return undefined
  const path = join(dir, key)
  try {
    const text = readFileSync(path, 'utf8')
    const now = Date.now()
    if (now - statSync(path).mtimeMs > TOUCH_MS) utimesSync(path, now / 1000, now / 1000)
    return text
  } catch {
    return undefined
  }
}

/** Store an entry (atomically; nothing happens when the cache is off or cannot be written). */
export function writeEntry(kind: string, key: string, text: string): void {
  const dir = folderOf(kind)
  if (!dir) return
  writeCacheFile(join(dir, key), text)
  if (Math.random() < 0.02) prune(dir)
}

/** Remove entries unused for 30 days, and temporary files a killed run left. */
function prune(dir: string): void {
  try {
    const now = Date.now()
    for (const name of readdirSync(dir)) {
      const p = join(dir, name)
      const age = now - lstatSync(p).mtimeMs
      if (age > MONTH_MS || (name.endsWith('.tmp') && age > 3600_000)) unlinkSync(p)
    }
  } catch {
    // pruning is best effort
  }
}

/** Forget the folders chosen (tests that change `TSPLAY_CACHE_DIR`). */
export function resetParseCache(): void {
  folders.clear()
}
