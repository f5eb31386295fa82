/**
 * Steps of the Hydra playbook's fleet test that use real Nix after the first run: builds sent from the server to
 * the builders (as root through nix-daemon and /etc/nix/machines, and as Hydra's queue runner with the key and
 * pinned host key from the files its NIX_REMOTE_SYSTEMS names), an ordinary build on the server, and
 * `--tags verify`. Registered by test/hydra/hydra-pi.fleet.test.ts inside its describe, in order, on its one fleet.
 * The steps that change the farm (builders removed, added, down, re-keyed; a new Hydra pin) are in
 * farm-changes.ts.
 */
import { expect, it } from 'vitest'
import type { Fleet } from '../helpers/fleet.js'
import { explain, tsplay, type CliResult } from './cli.js'
import { Farm, newTag, type MachineLine } from './farm.js'

/** What hydra-pi.fleet.test.ts shares with the steps (filled in its beforeAll). */
export interface HydraTest {
  fleet: Fleet
  farm: Farm
  server: string
  builders: string[]
  address: Record<string, string>
  dir: string
  /** `PLAYBOOK -i hosts.yml --known-hosts … --json` */
  base: string[]
  /** The inventory's `all.vars`. */
  vars: Record<string, unknown>
  /** `-e @secrets.yml` */
  secrets: string[]
  standin: string
  /** The stand-in "nixpkgs" folders on the server: pin 1, pin 2. */
  nixpkgs: string[]
  profile: string
  services: string[]
}

export const LONG = 1_200_000
const NIX = ['nix', '--extra-experimental-features', 'nix-command']

/** The builder (inventory name) whose store URL is `uri`. */
export function builderAt(t: HydraTest, uri: string | undefined): string | undefined {
  return t.builders.find((b) => uri === `ssh://nixremote@${t.address[b]}`)
}

/** Which builders' stores hold `path`. */
export async function holders(t: HydraTest, path: string): Promise<string[]> {
  const out: string[] = []
  for (const b of t.builders) if (await t.farm.storeHas(b, path)) out.push(b)
  return out
}

/** Run `--tags verify` and return each builder's reported output path (checked against the builder's store). */
export async function verify(t: HydraTest, builders: string[]): Promise<CliResult> {
  const r = await tsplay(['run', ...t.base, ...t.secrets, '--tags', 'verify'])
  expect(r.rc, explain(r)).toBe(0)
  const msg = r.tasks.find((x) => x.task === 'verify : Which builder built what')?.msg ?? ''
  for (const b of builders) {
    const m = new RegExp(
      `^${b}: built on ssh://nixremote@${t.address[b].replaceAll('.', '\\.')} \\(.*\\), output copied back to (\\S+)$`,
      'm',
    ).exec(msg)
    expect(m, msg).not.toBeNull()
    expect(await holders(t, m![1]), `${b} built ${m![1]}`).toEqual([b])
    expect(await t.farm.storeHas(t.server, m![1])).toBe(true)
  }
  for (const [h, c] of Object.entries(r.recap)) expect(c.changed, h).toBe(0)
  return r
}

/** The builders' lines among the machine lines Hydra's queue runner reads. */
async function hydraBuilderLines(t: HydraTest): Promise<MachineLine[]> {
  return (await t.farm.hydraLines()).filter((l) => l.uri.startsWith('ssh://'))
}

export function buildSteps(t: HydraTest): void {
  it(
    'real Nix: a --max-jobs 0 build on the server runs on a builder and its output comes back',
    async () => {
      const tag = newTag('remote')
      const r = await t.farm.build(tag, ['--max-jobs', '0'])
      expect(r.rc, r.stderr).toBe(0)
      const b = builderAt(t, r.builtOn)
      expect(b, r.stderr).toBeDefined()
      expect(await holders(t, r.out)).toEqual([b])
      expect(await t.farm.sh(t.server, ['cat', r.out])).toBe(tag)
    },
    LONG,
  )

  it(
    'real Nix: an ordinary build on the server finishes, and nothing logs in to the server itself',
    async () => {
      const r = await t.farm.build(newTag('plain'))
      expect(r.rc, r.stderr).toBe(0)
      expect(r.stderr).not.toMatch(/localhost/)
      expect(await t.farm.storeHas(t.server, r.out)).toBe(true)
    },
    LONG,
  )

  it(
    "real Nix, as Hydra's queue runner: every builder answers, accepts its unsigned paths and builds for it",
    async () => {
      const lines = await hydraBuilderLines(t)
      expect(lines.map((l) => builderAt(t, l.uri))).toEqual(t.builders)
      // No known_hosts entry: the host key pinned in the list is what SSH checks.
      await t.farm.sh(t.server, ['rm', '-f', '/var/lib/hydra/queue-runner/.ssh/known_hosts'])
      for (const line of lines) {
        const b = builderAt(t, line.uri)!
        const url = Farm.storeUrl(line)
        const ping = await t.fleet.exec(
          t.server,
          t.farm.asUser('hydra-queue-runner', [...NIX, 'store', 'ping', '--store', url]),
        )
        expect(ping.rc, ping.stderr).toBe(0)
        expect(ping.stdout + ping.stderr).toContain(`Store URL: ${line.uri}`)
        // What the queue runner sends first: the derivation and its inputs, unsigned, over `nix-store --serve --write`
        // (the ssh:// store). The builder's nix-daemon takes them only from a trusted user.
        const tag = newTag(`qr-${b}`)
        const drv = await t.farm.instantiate(tag)
        const copy = await t.fleet.exec(
          t.server,
          t.farm.asUser('hydra-queue-runner', [...NIX, 'copy', '--derivation', '--to', url, drv]),
        )
        expect(copy.rc, copy.stderr).toBe(0)
        expect(await holders(t, drv)).toEqual([b])
        // Then the build itself over the same protocol (buildDerivation), and the output back: here through the
        // daemon's build hook, with this one line as the builders (the queue runner is a trusted user).
        const r = await t.farm.build(tag, ['--max-jobs', '0', '--builders', line.text], 'hydra-queue-runner')
        expect(r.rc, r.stderr).toBe(0)
        expect(r.builtOn).toBe(line.uri)
        expect(await holders(t, r.out)).toEqual([b])
      }
    },
    LONG,
  )

  it(
    '--tags verify builds on each builder and reports which one built it, changing nothing',
    async () => {
      await verify(t, t.builders)
    },
    LONG,
  )
}
