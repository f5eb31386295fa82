/**
 * Every module's `gather` only reads: each module's gather is called with arguments that reach every branch (in
 * normal and check mode, with and without --diff), every command it sends is recorded, and each must be one of
 * the known read-only commands below. Refreshing state (`apt-get update`, `systemctl daemon-reload`) is the
 * module's `refresh` step instead, which the same checker finds not read-only.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ModuleDef } from '../../engine/module.js'
import type { Command } from '../../engine/types.js'
import { MODULES } from '../../modules/registry.js'
import { ok, playbookArgs, scriptedIO, testCtx } from '../helpers/module-ctx.js'

/** Programs that never change the host, with the arguments that keep them read-only. */
const READ_ONLY: Record<string, (argv: readonly string[]) => boolean> = {
  'dpkg-query': () => true,
  dpkg: (a) => a[1] === '--get-selections',
  'apt-cache': (a) => ['policy', 'show', 'madison'].includes(a[1]),
  'apt-get': (a) => a.includes('-s'),
  systemctl: (a) => a.filter((x) => x !== '--user')[1] === 'show',
  getent: () => true,
  cat: () => true,
  true: () => true,
  date: () => true,
  id: () => true,
  git: (a) => a[1] === 'ls-remote',
  psql: () => true,
  sysctl: (a) => a.includes('-n') && !a.some((x) => x === '-w' || x === '-p' || x.includes('=')),
  hostnamectl: (a) => a.at(-1) === 'status',
  hostname: (a) => a.length === 1,
  'debconf-show': () => true,
  // lists the keyring (creating an empty one that is missing, as Ansible's apt_key does too)
  'apt-key': (a) => a.includes('--list-public-keys'),
  gpg: (a) => a[1] === '--with-colons' && a.length === 3,
  iptables: (a) => a[1] === '--version' || ['-C', '-L'].includes(a[3]),
  ip6tables: (a) => a[1] === '--version' || ['-C', '-L'].includes(a[3]),
  sh: (a) => a[1] === '-c' && readOnlyScript(a[2]),
  python3: (a) => a[1] === '-c' && a[2] === 'import pexpect',
  svn: (a) => a[a.indexOf('--') - 3] === 'info',
}

/** Shell words and redirections that change something. */
const WRITES = new RegExp(
  [
    String.raw`\b(apt-get\s+(?!-s)|apt\s+(install|update)|(?<!\/)update\b(?!-rc\.d\b)|daemon-reload`,
    // whole words (`cp` is no part of /proc/cpuinfo)
    String.raw`|(?:mkdir|touch|rm|rmdir|mv|cp|ln)(?![\w.-])`,
    String.raw`|chmod|chown|tee|dd|truncate|useradd|usermod|groupadd|install\s|sed\s+-i|update-rc\.d\s+"?\$?\w+"?\s`,
    String.raw`|git\s+(clone|fetch|checkout|reset|pull))|>(?!\s*\/dev\/null|&)`,
  ].join(''),
)

/** A constant sh script is read-only when it has none of the writing words (temporary-file cleanups aside). */
function readOnlyScript(script: string): boolean {
  // a scratch file made with mktemp, written and removed by the script itself, changes nothing that stays (the fact
  // script's local facts' `t`, the file probe's `t`)
  let scratch = script
  for (const [made, v] of script.matchAll(/\b(\w+)=\$\(mktemp(?: 2>\/dev\/null)?\)/g))
    for (const use of [made, `> "$${v}"`, `2>"$${v}"`, `rm -f -- "$${v}"`, `rm -f "$${v}"`])
      scratch = scratch.replaceAll(use, '')
  // a scratch folder made with mktemp -d: its files written and the folder removed by the script (the fact script's
  // background parts, `td`)
  for (const [made, v] of script.matchAll(/\b(\w+)=\$\(mktemp -d(?: 2>\/dev\/null)?\)/g)) {
    scratch = scratch.replaceAll(made, '').replaceAll(`rm -rf -- "$${v}"`, '')
    scratch = scratch.replace(new RegExp(`> "\\$${v}/\\w+"`, 'g'), '')
  }
  // the persistent shell's scratch file (fd 4, a file with no name, see frametext.ts) holds a program's output for
  // `read`: nothing that stays
  return !WRITES.test(scratch.replaceAll('>/proc/$$/fd/4', ''))
}

/** SQL that only reads. */
const SQL_WRITES = /\b(INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|GRANT|REVOKE|TRUNCATE|COMMENT)\b/i

/** Whether a command only reads. */
export function isReadOnly(cmd: Command): boolean {
  const check = READ_ONLY[cmd.argv[0]]
  if (!check || !check(cmd.argv)) return false
  if (cmd.argv[0] === 'psql' && SQL_WRITES.test(String(cmd.stdin ?? ''))) return false
  return true
}

/** Module → argument sets that together reach every command its gather can send. */
const CASES: Record<string, Record<string, unknown>[]> = {
  command: [{ cmd: 'true', creates: '/x', removes: '/y' }],
  shell: [{ cmd: 'true', creates: '/x', removes: '/y' }],
  copy: [
    { content: 'x', dest: '/etc/motd' },
    { src: 'fixture.txt', dest: '/etc/' },
    { src: '/opt/app/', dest: '/srv/app', remote_src: true },
  ],
  template: [{ src: 'fixture.txt', dest: '/etc/motd' }],
  file: [
    { path: '/tmp/x', state: 'directory', recurse: true, mode: '0755' },
    { path: '/tmp/x', src: '/tmp/y', state: 'link' },
    { path: '/tmp/x', state: 'touch', modification_time: '202401011200.00' },
  ],
  lineinfile: [{ path: '/etc/x', line: 'a' }],
  stat: [{ path: '/etc/x', get_checksum: true }],
  debug: [{ msg: 'x' }],
  set_fact: [{ x: 1 }],
  set_stats: [{ data: { n: 1 } }],
  apt_key: [
    { data: 'KEY', keyring: '/tmp/k.gpg' },
    { url: 'http://127.0.0.1:9/k' },
    { id: '0123456789ABCDEF', file: '/k.gpg', state: 'absent' },
  ],
  iptables: [
    { chain: 'X', protocol: 'tcp', jump: 'DROP', chain_management: true },
    { chain: 'INPUT', policy: 'DROP' },
    { chain: 'X', state: 'absent', chain_management: true },
    { chain: 'X', flush: true },
  ],
  assert: [{ that: ['true'] }],
  fail: [{ msg: 'x' }],
  wait_for: [{ path: '/tmp/x', timeout: 1 }],
  apt: [
    { name: ['git', 'make'], update_cache: true, cache_valid_time: 3600, autoremove: true },
    { update_cache: true },
  ],
  git: [
    { repo: '/srv/repo.git', dest: '/opt/app', version: 'main' },
    { repo: '/srv/repo.git', dest: '/opt/app', version: '0123456789abcdef0123456789abcdef01234567' },
    {
      ...{ repo: 'ssh://h/r.git', dest: '/opt/app', version: 'v1', key_file: '/k', track_submodules: true },
      ...{ separate_git_dir: '/g', archive: '/tmp/a.zip', archive_prefix: 'p/', verify_commit: true },
    },
  ],
  make: [{ chdir: '/opt/app', target: 'all', creates: '/opt/app/x' }],
  systemd: [{ name: 'nix-daemon', state: 'restarted', enabled: true, daemon_reload: true }],
  postgres_user: [{ name: 'hydra', password: 'x', role_attr_flags: 'LOGIN' }],
  postgres_db: [{ name: 'hydra', owner: 'hydra', extensions: ['pg_trgm'] }],
  hydra_create_user: [{ name: 'admin', password: 'x', roles: ['admin'] }],
  user: [{ name: 'u', password: '$6$x$y', groups: ['users'] }],
  group: [{ name: 'g' }],
  reboot: [{}],
  validate_argument_spec: [{ argument_spec: {}, provided_arguments: {} }],
  meta: [{ action: 'noop' }],
  include_vars: [{ file: 'vars.yml' }],
  setup: [{ gather_subset: ['!all', 'min'], filter: 'ansible_d*' }],
  ping: [{ data: 'x' }],
  async_status: [{ jid: 'j1' }, { jid: 'j1', mode: 'cleanup' }],
  package: [
    { name: ['git', 'make'], state: 'latest', update_cache: true },
    { name: 'git', use: 'apt' },
  ],
  service: [
    { name: 'nginx', state: 'reloaded', enabled: true, daemon_reload: true },
    { name: 'nginx', state: 'started', use: 'sysvinit', pattern: 'ngx' },
  ],
  raw: [{ free_form: 'true' }],
  slurp: [{ src: '/etc/hostname' }],
  fetch: [{ src: '/etc/hostname', dest: '/tmp/fetched/' }],
  script: [{ free_form: 'fixture.txt', creates: '/x' }],
  wait_for_connection: [{ timeout: 0 }],
  pause: [{ seconds: 0 }],
  blockinfile: [{ path: '/etc/x', block: 'a' }],
  replace: [{ path: '/etc/x', regexp: 'a', replace: 'b' }],
  find: [{ paths: ['/etc'], patterns: ['*.conf'], recurse: true }],
  tempfile: [{ state: 'file', suffix: 'x' }],
  cron: [
    { name: 'job', job: 'true', minute: '5' },
    { name: 'job', job: 'true', cron_file: 'tsplay-x', user: 'root' },
  ],
  authorized_key: [
    { user: 'root', key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB6wK0y8k6b8v2C2n6X2a2b2c2d2e2f2g2h2i2j2k2l2 x' },
  ],
  known_hosts: [{ name: 'example.invalid', key: 'example.invalid ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB6wK0y8k6b8v2' }],
  get_url: [{ url: 'http://127.0.0.1:9/x', dest: '/tmp/x', checksum: 'sha256:' + '0'.repeat(64) }],
  sysctl: [{ name: 'net.ipv4.ip_forward', value: '1', sysctl_set: true }],
  hostname: [{ name: 'h' }, { name: 'h', use: 'systemd' }, { name: 'h', use: 'freebsd' }, { name: 'h', use: 'redhat' }],
  sysvinit: [
    { name: 'ssh', state: 'started', enabled: true },
    { name: 'ssh', state: 'restarted', pattern: 'sshd', runlevels: ['3'] },
  ],
  debconf: [{ name: 'tzdata', question: 'tzdata/Areas', vtype: 'password', value: 'x' }],
  apt_repository: [{ repo: 'deb http://deb.example/debian bookworm main' }],
  deb822_repository: [{ name: 'x', uris: ['http://deb.example/debian'], suites: ['bookworm'], state: 'absent' }],
  uri: [{ url: 'http://127.0.0.1:9/x', creates: '/x', removes: '/y' }],
  unarchive: [
    { src: 'fixture.txt', dest: '/tmp/x', list_files: true, mode: '0755', owner: 'root' },
    { src: '/srv/a.zip', dest: '/tmp/x', remote_src: true, include: ['a'] },
  ],
  getent: [{ database: 'passwd', key: 'root', service: 'files' }],
  gather_facts: [{ parallel: true }],
  package_facts: [{ manager: 'auto' }],
  service_facts: [{}],
  group_by: [{ key: 'g', parents: ['p'] }],
  dpkg_selections: [{ name: 'bash', selection: 'hold' }],
  add_host: [{ name: 'h', groups: 'g', ansible_user: 'u' }],
  assemble: [{ src: '/etc/x.d', dest: '/etc/x', regexp: 'conf$', delimiter: '#', validate: 'true %s', mode: '0644' }],
  pip: [
    { name: 'six', virtualenv: '/opt/v', virtualenv_command: 'python3 -m venv' },
    { requirements: 'r.txt', executable: 'pip3', state: 'latest' },
  ],
  expect: [{ command: 'passwd', responses: { x: 'y' }, creates: '/x', removes: '/y' }],
  subversion: [
    { repo: 'file:///srv/r', dest: '/opt/r', password: 'pw', username: 'u' },
    { repo: 'file:///srv/r', checkout: false, update: false },
  ],
}

/** Modules that run on the host but read nothing before planning. */
const NO_GATHER = ['wait_for', 'raw', 'wait_for_connection', 'pause', 'tempfile']

/** A HostIO that records every command and answers each with an empty success. */
const recordingIO = () => scriptedIO([[/(?:)/, ok()]])

/** Every command a module's gather sends for its cases (failures from the empty answers are expected). */
async function gatherCommands(name: string): Promise<Command[]> {
  const def = ((await MODULES[name]()).default ?? {}) as ModuleDef
  const seen: Command[] = []
  for (const raw of CASES[name] ?? []) {
    const args = playbookArgs(def, raw)
    for (const checkMode of [false, true])
      for (const diffMode of [false, true]) {
        const io = recordingIO()
        await def.gather(args, testCtx({ checkMode, diffMode, searchPaths: [FIXTURES] }), io).catch(() => undefined)
        seen.push(...io.seen)
      }
  }
  return seen
}

const FIXTURES = mkdtempSync(join(tmpdir(), 'tsplay-gather-'))
writeFileSync(join(FIXTURES, 'fixture.txt'), 'x\n')
writeFileSync(join(FIXTURES, 'vars.yml'), 'a: 1\n')
afterAll(() => rmSync(FIXTURES, { recursive: true, force: true }))

describe('gather is read-only', () => {
  it('every module has cases here', () => {
    expect(Object.keys(MODULES).filter((m) => !(m in CASES))).toEqual([])
  })
  it.each(Object.keys(MODULES))('%s: gather sends only read-only commands', async (name) => {
    const cmds = await gatherCommands(name)
    const def = (await MODULES[name]()).default as ModuleDef
    // the cases reach gather's commands (a case refused before any command would prove nothing)
    if (!def.controllerOnly && !NO_GATHER.includes(name)) expect(cmds.length).toBeGreaterThan(0)
    const writes = cmds.filter((c) => !isReadOnly(c)).map((c) => c.argv.join(' ').slice(0, 200))
    expect(writes).toEqual([])
  })
})

describe('refreshing is a step of the plan, not of gather', () => {
  it.each([
    ['apt', { name: 'git', update_cache: true }, 'refresh the package lists', /apt-get .*update/],
    ['systemd', { name: 'x', daemon_reload: true }, 'reload the systemd manager configuration', /daemon-reload/],
  ] as const)('%s: the refresh step is named and is not read-only', async (name, raw, describe, argv) => {
    const def = (await MODULES[name]()).default as ModuleDef
    const args = playbookArgs(def, raw)
    const step = def.refresh?.(args, testCtx())
    expect(step?.describe).toBe(describe)
    expect(step!.commands.map((c) => c.argv.join(' ')).join('\n')).toMatch(argv)
    expect(step!.commands.some(isReadOnly)).toBe(false)
    expect((await gatherCommands(name)).map((c) => c.argv.join(' ')).join('\n')).not.toMatch(argv)
  })
  it.each([
    ['apt-get update', ['apt-get', '-q', 'update']],
    ['apt-get install', ['apt-get', '-y', 'install', 'git']],
    ['systemctl start', ['systemctl', 'start', 'x']],
    ['git fetch', ['git', 'fetch', 'origin']],
    ['a script that writes a file', ['sh', '-c', 'echo x > "$1"', 'sh', '/etc/x']],
    ['a script that touches a stamp', ['sh', '-c', 'apt-get update && touch /var/lib/x', 'sh']],
    ['an unknown program', ['curl', 'http://x']],
  ])('the checker refuses %s', (_n, argv) => {
    expect(isReadOnly({ argv })).toBe(false)
  })
  it('the checker refuses SQL that writes', () => {
    expect(isReadOnly({ argv: ['psql', '-f', '-'], stdin: 'CREATE ROLE x' })).toBe(false)
    expect(isReadOnly({ argv: ['psql', '-f', '-'], stdin: 'SELECT 1' })).toBe(true)
  })
})
