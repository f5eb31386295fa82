/**
 * Temp folders of test and benchmark runs, on record in the leftovers registry (leftovers.ts) while they exist: a
 * run killed before it removed its folder leaves it to the next sweep, not to the machine. In a test or benchmark
 * run they are made in the run's own temp folder (runtmp.ts), which goes with the run too. `scratchPath` names a
 * place there for what a loopback target makes itself.
 *
 * @example
 * ```ts
 * const dir = tempDir('tsplay-compat-')   // /tmp/tsplay-run-1a2b3c4d/tsplay-compat-XXXXXX in a run
 * removeTempDir(dir)
 * const base = scratchPath('tsplay-it-')  // /tmp/tsplay-run-1a2b3c4d/tsplay-it-5e6f7a8b, not made yet
 * ```
 */
import { randomBytes } from 'node:crypto'
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

/**
 * A fresh path (`prefix` and 8 random hex digits, nothing made) in this run's temp folder, for a file or folder a
 * loopback target makes: the target's side (sshd's login shell, sudo, su) does not inherit TMPDIR, so the test names
 * the run's folder itself. That folder is 01777 like /tmp (a test user may create things in it) and is removed with
 * the run, or by the next run after a crash, with whatever the target made there.
 *
 * @example scratchPath('tsplay-it-') // → '/tmp/tsplay-run-1a2b3c4d/tsplay-it-5e6f7a8b'
 */
export function scratchPath(prefix: string): string {
  return join(tmpdir(), `${prefix}${randomBytes(4).toString('hex')}`)
}
