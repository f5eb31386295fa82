/**
 * The agreement harness: runs agreement cases (test/compat/cases/) with `ansible-playbook` and `tsplay` on the same
 * loopback sshd target and says where they differ. Cases that share command-line flags run together in ONE
 * invocation per engine and round: each case is its own imported playbook, aimed at its own inventory hosts
 * (`<case>_a`, `<case>_b`, more when it asks, all the same sshd), each host with its own state folder `root` on the
 * target. So a failure in one case stops only that case's hosts, and one ansible-playbook start serves many cases.
 *
 * @example
 * ```ts
 * const run = await runGroup(env, cases, 'ansible', 1)   // → { code, counts: { blocks_a: {...}, … }, output }
 * ```
 */
import { execFileSync } from 'node:child_process'
import { chownSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parseAnsibleRecap, runAnsible, timed, REPO } from '../../bench/engines.js'
import { treeDigest, userInfo } from '../../bench/targets.js'
import type { SshdFleet } from '../helpers/sshd.js'
import { tempDir } from '../helpers/tempdir.js'

/** A host's recap counters compared between the engines. */
export interface Counts {
  ok: number
  changed: number
  failed: number
  skipped: number
  unreachable: number
  rescued: number
  ignored: number
}

/** A deliberate difference: tsplay's counters are Ansible's plus `counts`; `reason` is a row of the README's table. */
export interface Allowed {
  counts: Partial<Counts>
  /** Words of the README's "Differences from Ansible" row that explains it (the test checks the row exists). */
  reason: string
}

/** One agreement case: a small playbook (`main.yml`, `hosts:` its name) and the files it needs. */
export interface CompatCase {
  /** Case name: an identifier, also the inventory group its plays target. */
  name: string
  /** The Ansible behaviour it pins down (an integration target's name, or a role style). */
  covers: string
  files: Record<string, string>
  /** Extra command-line flags for both engines (`--check`, `--tags`, …); `{group}` is the group's folder. */
  flags?: string[]
  /** Writes what must be made at run time (e.g. vaulted files) into the case's folder, after `files`. */
  setup?: (caseDir: string) => void
  /** How many inventory hosts it has (`_a`, `_b`, `_c`, …): 2 unless it says (a `serial` batch of several). */
  hosts?: number
  /**
   * Deliberate differences, per host (same for `_a` and `_b`, or only for the host whose name ends with `host`), one
   * per round ('first'/'second') or both.
   */
  allow?: Allowed & { round?: 1 | 2; host?: string }
  /** Ansible must fail no task on its hosts (so its asserts hold, not merely fail alike in both engines). */
  clean?: boolean
  /** Run in its own invocation (it ends the whole run, e.g. any_errors_fatal). */
  alone?: boolean
  /**
   * Undoes what the case changes outside its state folders (an iptables chain): called once after every group ran,
   * even when a run failed, and when the case did not run at all (it must then do nothing).
   */
  cleanup?: () => void
  /** Expected to differ until another piece of work lands (named here); run alone, reported as an expected failure. */
  pending?: string
}

/** What one engine run of a group returned. */
export interface GroupRun {
  code: number
  counts: Record<string, Counts>
  output: string
}

/** The shared setup: the sshd target, a work folder, the targets' state base per engine. */
export interface CompatEnv {
  fleet: SshdFleet
  dir: string
  home: string
  /** The loopback HTTP server's URL, given to both engines as the variable `web`. */
  web?: string
  /** The same server over HTTPS (self-signed, TLS 1.2 at most): the variable `webs`. */
  webs?: string
}

export const hostsOf = (c: CompatCase) =>
  Array.from({ length: c.hosts ?? 2 }, (_, i) => `${c.name}_${String.fromCharCode(97 + i)}`)

/** A new work folder; the state base folders live in the login user's home on the target. */
export function compatEnv(fleet: SshdFleet): CompatEnv {
  const dir = tempDir('tsplay-compat-')
  const u = userInfo(fleet.user)
  const home = join(u.home, 'tsplay-compat', `${process.pid}`)
  rmSync(home, { recursive: true, force: true })
  return { fleet, dir, home }
}

/** Each case's files under DIR/GROUP/<case>/, a site.yml importing them, and an inventory of their hosts. */
export function writeGroup(env: CompatEnv, group: string, cases: CompatCase[]): { site: string; inventory: string } {
  const gdir = join(env.dir, group)
  const h = env.fleet.hosts[0]
  const inv = [
    'all:',
    '  vars:',
    `    ansible_host: "${h.host}"`,
    `    ansible_port: ${h.port}`,
    `    ansible_user: "${env.fleet.user}"`,
    `    ansible_ssh_private_key_file: "${env.fleet.keyFile}"`,
    '    ansible_python_interpreter: /usr/bin/python3',
    '  children:',
  ]
  const site: string[] = []
  for (const c of cases) {
    for (const [p, text] of Object.entries(c.files)) {
      mkdirSync(dirname(join(gdir, c.name, p)), { recursive: true })
      writeFileSync(join(gdir, c.name, p), text)
    }
    c.setup?.(join(gdir, c.name))
    site.push(`- import_playbook: ${c.name}/main.yml`)
    inv.push(`    ${c.name}:`, '      hosts:')
    for (const host of hostsOf(c)) inv.push(`        ${host}:`, `          root: "{{ base }}/${c.name}/${host}"`)
  }
  writeFileSync(join(gdir, 'site.yml'), `${site.join('\n')}\n`)
  writeFileSync(join(gdir, 'inventory.yml'), `${inv.join('\n')}\n`)
  return { site: join(gdir, 'site.yml'), inventory: join(gdir, 'inventory.yml') }
}

/** A fresh, empty state folder per case host for `engine`, owned by the login user. */
export function freshState(env: CompatEnv, engine: string, cases: CompatCase[]): string {
  const base = join(env.home, engine)
  const u = userInfo(env.fleet.user)
  for (const c of cases) for (const host of hostsOf(c)) mkdirSync(join(base, c.name, host), { recursive: true })
  execFileSync('chown', ['-R', `${u.uid}:${u.gid}`, join(env.home, '..')])
  chownSync(base, u.uid, u.gid)
  return base
}

/** Run one group with one engine; `base` is the state folder (`-e base=…`). */
export async function runGroup(
  env: CompatEnv,
  files: { site: string; inventory: string },
  engine: 'ansible' | 'tsplay',
  base: string,
  given: string[],
): Promise<GroupRun> {
  const flags = given.map((f) => f.replaceAll('{group}', dirname(files.site)))
  if (engine === 'ansible') {
    const m = await runAnsible({
      playbook: files.site,
      inventory: files.inventory,
      knownHosts: env.fleet.knownHostsFile,
      forks: 10,
      extraVars: { base, ...(env.web ? { web: env.web } : {}), ...(env.webs ? { webs: env.webs } : {}) },
      extraArgs: flags,
    })
    return {
      code: m.code,
      counts: withDefaults(parseAnsibleRecap(m.stdout) as Record<string, Partial<Counts>>, m.stdout),
      output: m.stdout + m.stderr,
    }
  }
  const args = [
    join(REPO, 'bin/tsplay.js'),
    'run',
    files.site,
    '-i',
    files.inventory,
    '--known-hosts',
    env.fleet.knownHostsFile,
    '--json',
    '-f',
    '10',
    '-e',
    `base=${base}`,
    ...(env.web ? ['-e', `web=${env.web}`] : []),
    ...(env.webs ? ['-e', `webs=${env.webs}`] : []),
    ...flags,
  ]
  const t = await timed(process.execPath, args)
  return { code: t.code, counts: tsplayCounts(t.stdout), output: t.stdout + t.stderr }
}

const ZERO: Counts = { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, rescued: 0, ignored: 0 }

/** Ansible's recap parsed by the bench (ok…skipped) plus its rescued/ignored columns. */
function withDefaults(hosts: Record<string, Partial<Counts>>, stdout: string): Record<string, Counts> {
  const out: Record<string, Counts> = {}
  for (const [h, c] of Object.entries(hosts)) {
    const line =
      stdout
        .slice(stdout.lastIndexOf('PLAY RECAP'))
        .split('\n')
        .find((l) => l.startsWith(`${h} `)) ?? ''
    const num = (k: string) => Number(new RegExp(`${k}=(\\d+)`).exec(line)?.[1] ?? 0)
    out[h] = { ...ZERO, ...c, rescued: num('rescued'), ignored: num('ignored') }
  }
  return out
}

/** The last `recap` line of `tsplay run --json`. */
function tsplayCounts(stdout: string): Record<string, Counts> {
  const line = stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{"type":"recap"'))
  if (!line) return {}
  const hosts = (JSON.parse(line) as { hosts: Record<string, Partial<Counts>> }).hosts
  return Object.fromEntries(Object.entries(hosts).map(([h, c]) => [h, { ...ZERO, ...pick(c) }]))
}

function pick(c: Partial<Counts>): Partial<Counts> {
  return Object.fromEntries(Object.keys(ZERO).map((k) => [k, c[k as keyof Counts] ?? 0]))
}

/** What the case's hosts were left with (paths, types, modes, content hashes), per host. */
export function stateOf(base: string, c: CompatCase): Record<string, string> {
  return Object.fromEntries(hostsOf(c).map((h) => [h, treeDigest(join(base, c.name, h))]))
}

/** Ansible's counters for `host` with a case's allowed difference applied: what tsplay must report. */
export function expectedTsplay(
  ansible: Counts | undefined,
  allow: CompatCase['allow'],
  round: 1 | 2,
  host = '',
): Counts | undefined {
  if (!ansible || !allow || (allow.round && allow.round !== round)) return ansible
  if (allow.host && !host.endsWith(allow.host)) return ansible
  const out = { ...ansible }
  for (const [k, v] of Object.entries(allow.counts)) out[k as keyof Counts] += v ?? 0
  return out
}
