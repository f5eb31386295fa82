/**
 * Fleet slots: each test fleet owns a slot S (1..199; slot 0 is `npm run fleet:up`), which fixes its bridge,
 * subnet and state folder (see lib.sh), so parallel test processes never collide. A slot is the folder
 * `$CACHE/slots/<S>` (mkdir is the lock) holding `owner` (the owning pid); a folder without `owner` is reserved
 * (e.g. by hand for a fleet started with up.sh and TSPLAY_FLEET_SLOT). A slot whose owner died is stale: whoever
 * first creates `reclaim-<deadpid>` inside it takes it over. A detached watchdog per slot (watchdog.sh) tears the
 * fleet down when its owner dies without calling stop() (vitest may kill its workers without an exit event).
 *
 * @example
 * ```ts
 * const slot = await claimSlot(CACHE)
 * const unwatch = watchSlot(CACHE, slot)
 * // … up.sh with TSPLAY_FLEET_SLOT=slot … down.sh …
 * unwatch(); releaseSlot(CACHE, slot)
 * ```
 */
import { execFile, spawn } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const FLEET_DIR = dirname(fileURLToPath(import.meta.url))
export const MAX_SLOT = 199

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function writeOwner(dir: string): void {
  writeFileSync(join(dir, `owner.${process.pid}`), String(process.pid))
  renameSync(join(dir, `owner.${process.pid}`), join(dir, 'owner'))
}

/** The owner pid of a slot folder, or 0 when it has none yet. */
function ownerOf(dir: string): number {
  try {
    return Number(readFileSync(join(dir, 'owner'), 'utf8'))
  } catch {
    return 0
  }
}

/** Take slot `slot` if it is free or stale; false if someone else holds it. */
function tryClaim(slots: string, slot: number): boolean {
  const dir = join(slots, String(slot))
  try {
    mkdirSync(dir)
    writeOwner(dir)
    return true
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
  }
  const owner = ownerOf(dir)
  // No owner: just created by a claimer that has not written it yet, or reserved by hand (`mkdir slots/<S>`).
  if (owner === 0 || pidAlive(owner)) return false
  try {
    mkdirSync(join(dir, `reclaim-${owner}`))
  } catch {
    return false
  } // another process won the reclaim
  writeOwner(dir)
  return true
}

/** Tear down the fleets of dead owners (their node names may be wanted again), winning each reclaim first. */
async function sweep(cache: string, slots: string): Promise<void> {
  for (const entry of readdirSync(slots)) {
    const dir = join(slots, entry)
    const owner = ownerOf(dir)
    if (!/^[0-9]+$/.test(entry) || owner === 0 || pidAlive(owner)) continue
    try {
      mkdirSync(join(dir, `reclaim-${owner}`))
    } catch {
      continue
    }
    await new Promise((done) =>
      execFile(
        'bash',
        [join(FLEET_DIR, 'down.sh'), '0'],
        { env: { ...process.env, TSPLAY_FLEET_CACHE: cache, TSPLAY_FLEET_SLOT: entry } },
        done,
      ),
    )
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Claim a free (or stale) slot; the caller runs down.sh for it before up.sh, which clears any leftovers. */
export async function claimSlot(cache: string): Promise<number> {
  const slots = join(cache, 'slots')
  mkdirSync(slots, { recursive: true })
  await sweep(cache, slots)
  for (let slot = 1; slot <= MAX_SLOT; slot++) if (tryClaim(slots, slot)) return slot
  throw new Error(`no free test fleet slot in ${slots} (run: bash test/fleet/down.sh --all)`)
}

/** Free a slot after its fleet is down. */
export function releaseSlot(cache: string, slot: number): void {
  const dir = join(cache, 'slots', String(slot))
  if (ownerOf(dir) === process.pid) rmSync(dir, { recursive: true, force: true })
}

/** Start the detached watchdog for our slot; returns a function that stops it (call before a normal teardown). */
export function watchSlot(cache: string, slot: number): () => void {
  const child = spawn('bash', [join(FLEET_DIR, 'watchdog.sh'), String(slot), String(process.pid)], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, TSPLAY_FLEET_CACHE: cache },
  })
  child.unref()
  return () => {
    try {
      if (child.pid) process.kill(child.pid, 'SIGTERM')
    } catch {
      /* already gone */
    }
  }
}
