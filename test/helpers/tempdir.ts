/**
 * Temp folders of test and benchmark runs, on record in the leftovers registry (leftovers.ts) while they exist: a
 * run killed before it removed its folder leaves it to the next sweep, not to the machine.
 *
 * @example
 * ```ts
 * const dir = tempDir('tsplay-compat-')   // /tmp/tsplay-compat-XXXXXX
 * removeTempDir(dir)
 * ```
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { track, untrack } from './leftovers.js'

/** A new folder under the system's temp folder (`mkdtemp` with `prefix`), on record until `removeTempDir`. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  track({ dirs: [dir] })
  return dir
}

/** Remove a `tempDir` folder and its record. */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
  untrack({ dirs: [dir] })
}
