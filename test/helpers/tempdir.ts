/**
 * Temp folders of test and benchmark runs, on record in the leftovers registry (leftovers.ts) while they exist: a
 * run killed before it removed its folder leaves it to the next sweep, not to the machine. In a test or benchmark
 * run they are made in the run's own temp folder (runtmp.ts), which goes with the run too.
 *
 * @example
 * ```ts
 * const dir = tempDir('tsplay-compat-')   // /tmp/tsplay-run-1a2b3c4d/tsplay-compat-XXXXXX in a run
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
