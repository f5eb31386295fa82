/**
 * What a loopback test user leaves in /tmp itself, outside every run's temp folder: tsplay's become session folders
 * (`/tmp/tsplay.XXXXXXXXXX`, engine/ssh/become.ts), which the login user makes on the target, where TMPDIR is not the
 * run's. A test killed while a session was open leaves one behind; it goes when the sweep removes the user
 * (leftovers.ts), found by the user's uid while the uid is still that user's, so no live account's session folder is
 * touched. One left by an earlier, removed holder of the same uid (useradd hands uids out again) goes with it too.
 *
 * @example removeSessionDirs(1003) // → ['/tmp/tsplay.AbC123dEf4'] after a test of that user was killed
 */
import { lstatSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'

/** The name tsplay's become gives its session folders in /tmp (`mktemp -d /tmp/tsplay.XXXXXXXXXX`). */
export const SESSION_DIR = /^tsplay\.[A-Za-z0-9]{10}$/

/** Remove the session folders in `tmp` that `uid` owns (never root's); returns the removed paths. */
export function removeSessionDirs(uid: number, tmp = '/tmp'): string[] {
  if (uid === 0) return []
  let names: string[]
  try {
    names = readdirSync(tmp)
  } catch {
    return []
  }
  const removed: string[] = []
  for (const name of names) {
    if (!SESSION_DIR.test(name)) continue
    const path = join(tmp, name)
    try {
      if (lstatSync(path).uid !== uid) continue
      rmSync(path, { recursive: true, force: true })
      removed.push(path)
    } catch {
      /* gone meanwhile */
    }
  }
  return removed
}
