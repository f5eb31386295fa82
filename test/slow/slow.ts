/**
 * Shared bits of the slow tier (test/slow/): runs that take tens of minutes (Nix built from source, the Hydra
 * playbook on emulated arm64 nodes). They run only under `npm run test:slow`, which sets TSPLAY_SLOW=1; `npm test`
 * lists them as skipped. Durations are printed as `slow: <what> took <n> s` lines (the README's table is made
 * from them).
 *
 * @example
 * ```ts
 * describe.runIf(SLOW)('something long', () => { it('...', async () => { const t = timer('build'); …; t.done() }) })
 * ```
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { canRunFleet, type Fleet } from '../helpers/fleet.js'
import { ROOT } from '../hydra/cli.js'

/** Whether the slow tier was asked for (`npm run test:slow`). */
export const SLOW = process.env.TSPLAY_SLOW === '1'

/** The Nix 2.24.14 source bundle: TSPLAY_NIX_SOURCE_BUNDLE, else `../shared/nix-source/` beside the checkout. */
export const NIX_BUNDLE =
  process.env.TSPLAY_NIX_SOURCE_BUNDLE ?? join(ROOT, '..', 'shared', 'nix-source', 'nix-2.24.14.bundle')

/** A stopwatch that prints what it measured. */
export function timer(what: string): { done(): number } {
  const t0 = Date.now()
  return {
    done() {
      const s = Math.round((Date.now() - t0) / 1000)
      console.log(`slow: ${what} took ${s} s (${(s / 60).toFixed(1)} min)`)
      return s
    },
  }
}

/** Run a host command, throwing with its output when it fails. */
export function host(argv: string[], cwd?: string): string {
  const r = spawnSync(argv[0], argv.slice(1), { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  if (r.status !== 0) throw new Error(`${argv.join(' ')} → rc ${r.status}\n${r.stderr}${r.error ?? ''}`)
  return r.stdout.trim()
}

/** What an emulated (qemu-user-static) node needs on the host, or undefined when all is there. */
export function missingForEmulation(): string | undefined {
  for (const q of ['aarch64', 'arm']) {
    if (!existsSync(`/usr/libexec/qemu-binfmt/${q}-binfmt-P`)) {
      return (
        'qemu-user-static is not installed (apt-get install qemu-user-static arch-test): the ' +
        'arm64/armhf nodes need it'
      )
    }
  }
  if (spawnSync('sh', ['-c', 'command -v arch-test']).status !== 0) {
    return (
      'arch-test is not installed (apt-get install arch-test): mmdebstrap needs it for a ' +
      'foreign-architecture rootfs'
    )
  }
  return undefined
}

/**
 * Refuse (throw, naming what is missing) when the slow tier cannot boot its nodes: the fleet, and for emulated
 * arm nodes qemu-user-static and arch-test too.
 *
 * @example needSlowFleet({ emulated: true }) // first line of a beforeAll
 */
export function needSlowFleet(opts: { emulated: boolean }): void {
  const can = canRunFleet()
  if (!can.ok) throw new Error(`the slow tier needs the test fleet: ${can.why}`)
  const missing = opts.emulated ? missingForEmulation() : undefined
  if (missing) throw new Error(`the slow tier needs emulated nodes: ${missing}`)
}

/** Run `argv` as root inside a fleet node; its trimmed stdout, or an error with its output when it fails. */
export async function nodeSh(fleet: Fleet, node: string, argv: string[], stdin?: string): Promise<string> {
  const r = await fleet.exec(node, argv, stdin)
  if (r.rc !== 0) throw new Error(`${node}: ${argv.join(' ')} → rc ${r.rc}\n${r.stdout}\n${r.stderr}`)
  return r.stdout.trim()
}
