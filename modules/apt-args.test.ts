import { describe, expect, it } from 'vitest'
import apt from './apt.js'
import { parseAutoclean, parseSimulatedInstalls, simulatesNothing } from './lib/aptopts.js'
import {
  APT_GET as I,
  aptFacts as facts,
  DPKG,
  expectAptPlan,
  POLICY,
  type AptRow,
} from '../test/helpers/apt-fixtures.js'
import { gatherOf, ok, planOf, playbookArgs, scriptedIO, testCtx } from '../test/helpers/module-ctx.js'

const UPGRADE_SIM = `Reading package lists...
Building dependency tree...
Calculating upgrade...
The following packages will be upgraded:
  git zstd
2 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.
Inst git [1:2.39.5-0+deb12u2] (1:2.39.5-0+deb12u3 Debian:12.15/oldstable [amd64])
Inst zstd [1.5.4+dfsg2-5] (1.5.4+dfsg2-5+deb12u1 Debian-Security:12/oldstable-security [amd64])
Conf git (1:2.39.5-0+deb12u3 Debian:12.15/oldstable [amd64])
`
const NOTHING_SIM = `Reading package lists...
Building dependency tree...
Calculating upgrade...
0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.
`
const AUTOCLEAN_SIM = `Reading package lists...
Building dependency tree...
Reading state information...
Del libssl3 3.0.22-1~deb12u1 [2039 kB]
`

const NR = '--no-install-recommends'
const rows: AptRow[] = [
  [
    'allow_unauthenticated (and its dashed alias)',
    { name: 'make', 'allow-unauthenticated': true },
    {},
    { argv: [[...I, NR, '--allow-unauthenticated', 'install', 'make']] },
  ],
  [
    "dpkg_options and lock_timeout: apt-get's -o options",
    { name: 'make', dpkg_options: 'force-confnew, force-overwrite', lock_timeout: 30 },
    {},
    {
      argv: [
        [
          'apt-get',
          '-y',
          '-q',
          '-o',
          'DPkg::Lock::Timeout=30',
          '-o',
          'Dpkg::Options::=--force-confnew',
          '-o',
          'Dpkg::Options::=--force-overwrite',
          NR,
          'install',
          'make',
        ],
      ],
    },
  ],
  ['clean alone: apt-get clean, not a change', { clean: true }, {}, { argv: [['apt-get', 'clean']], changed: false }],
  [
    'clean beside a package already installed: the clean runs, the package decides (not changed)',
    { name: 'git', clean: true },
    {},
    { argv: [['apt-get', 'clean']], changed: false },
  ],
  [
    'clean beside an install: clean first',
    { name: 'make', clean: true },
    {},
    {
      argv: [
        ['apt-get', 'clean'],
        [...I, NR, 'install', 'make'],
      ],
      changed: true,
    },
  ],
  [
    'allow_downgrade, allow_change_held_packages',
    { name: 'git=1:2.39.5-0+deb12u3', allow_downgrades: true, allow_change_held_packages: true },
    {},
    { argv: [[...I, NR, '--allow-downgrades', '--allow-change-held-packages', 'install', 'git=1:2.39.5-0+deb12u3']] },
  ],
  [
    'force: --force-yes on install',
    { name: 'make', force: true, fail_on_autoremove: true },
    {},
    { argv: [[...I, NR, '--force-yes', '--no-remove', 'install', 'make']] },
  ],
  [
    'force: --force-yes on remove',
    { name: 'git', state: 'absent', force: true },
    {},
    { argv: [[...I, '--force-yes', 'remove', 'git']] },
  ],
  ['only_upgrade skips a package not installed', { name: 'make', only_upgrade: true }, {}, { argv: [] }],
  [
    'only_upgrade upgrades an installed one',
    { name: ['git', 'make'], state: 'latest', only_upgrade: true },
    {},
    { argv: [[...I, NR, '--only-upgrade', 'install', 'git']] },
  ],
  [
    'default_release: -t',
    { name: 'make', 'default-release': 'bookworm-backports' },
    {},
    { argv: [[...I, NR, '-t', 'bookworm-backports', 'install', 'make']] },
  ],
  [
    'force_apt_get is taken (always apt-get)',
    { name: 'make', force_apt_get: true },
    {},
    { argv: [[...I, NR, 'install', 'make']] },
  ],
  // upgrade: decided by the simulation; the task does only this
  [
    'upgrade: dist',
    { upgrade: 'dist', name: 'make' },
    { simulated: UPGRADE_SIM },
    {
      argv: [[...I, 'dist-upgrade']],
      changes: [
        'upgrade git 1:2.39.5-0+deb12u2 → 1:2.39.5-0+deb12u3',
        'upgrade zstd 1.5.4+dfsg2-5 → 1.5.4+dfsg2-5+deb12u1',
      ],
    },
  ],
  [
    'upgrade: full is dist-upgrade with apt-get',
    { upgrade: 'full' },
    { simulated: UPGRADE_SIM },
    { argv: [[...I, 'dist-upgrade']] },
  ],
  [
    'upgrade: yes (boolean) with flags',
    { upgrade: true, autoremove: true, allow_downgrade: true, fail_on_autoremove: true },
    { simulated: UPGRADE_SIM },
    { argv: [[...I, '--no-remove', '--allow-downgrades', '--auto-remove', 'upgrade', '--with-new-pkgs']] },
  ],
  ['upgrade: safe with nothing to upgrade is ok', { upgrade: 'safe' }, { simulated: NOTHING_SIM }, { argv: [] }],
  ['upgrade: no is no upgrade', { upgrade: 'no', name: 'git' }, {}, { argv: [] }],
  // deb: a file on the host, ok when that version is installed
  [
    'deb installs a new package',
    { deb: '/tmp/tool_1.0_all.deb' },
    { deb: { name: 'tool', version: '1.0', installed: '' } },
    { argv: [[...I, NR, 'install', '/tmp/tool_1.0_all.deb']], changes: ['install tool 1.0 (/tmp/tool_1.0_all.deb)'] },
  ],
  [
    'deb by bare file name, a downgrade allowed',
    { deb: 'tool.deb', allow_downgrade: true },
    { deb: { name: 'tool', version: '1.0', installed: '2.0' } },
    {
      argv: [[...I, NR, '--allow-downgrades', 'install', './tool.deb']],
      changes: ['change tool 2.0 → 1.0 (tool.deb)'],
    },
  ],
  [
    'deb at the installed version is ok',
    { deb: '/tmp/t.deb' },
    { deb: { name: 'tool', version: '1.0', installed: '1.0' } },
    { argv: [] },
  ],
  [
    'deb from a URL installs the download, then removes its temp folder',
    { deb: 'https://example.test/tool.deb' },
    {
      deb: { name: 'tool', version: '1.0', installed: '' },
      fetched: { file: '/tmp/tsplay-deb.X/package.deb', dir: '/tmp/tsplay-deb.X' },
    },
    {
      argv: [
        [
          'sh',
          '-c',
          'd=$1; shift; "$@"; rc=$?; rm -rf -- "$d"; exit $rc',
          'sh',
          '/tmp/tsplay-deb.X',
          ...I,
          NR,
          'install',
          '/tmp/tsplay-deb.X/package.deb',
        ],
      ],
      changes: ['install tool 1.0 (https://example.test/tool.deb)'],
    },
  ],
  [
    'deb with state absent fails',
    { deb: '/tmp/t.deb', state: 'absent' },
    { deb: { name: 't', version: '1', installed: '' } },
    { fail: /deb only supports state=present/ },
  ],
  // autoclean: only with no package named
  [
    'autoclean deletes',
    { autoclean: true, purge: true },
    { simulated: AUTOCLEAN_SIM },
    { argv: [[...I, '--purge', 'autoclean']], changes: ['autoclean libssl3 3.0.22-1~deb12u1'] },
  ],
  ['autoclean with nothing to delete is ok', { autoclean: true }, { simulated: NOTHING_SIM }, { argv: [] }],
  ['autoclean next to a package is not run', { autoclean: true, name: 'git' }, {}, { argv: [] }],
  [
    'autoclean after a cache update is not run (Ansible ends there)',
    { autoclean: true, update_cache: true },
    { simulated: AUTOCLEAN_SIM },
    { argv: [] },
  ],
  // build-dep
  [
    'build-dep',
    { name: 'make', state: 'build-dep' },
    { simulated: UPGRADE_SIM },
    { argv: [[...I, NR, 'build-dep', 'make']] },
  ],
  ['build-dep naming nothing does nothing', { state: 'build-dep' }, {}, { argv: [] }],
  ['build-dep with all there is ok', { name: 'make', state: 'build-dep' }, { simulated: NOTHING_SIM }, { argv: [] }],
]

describe('apt arguments', () => {
  it.each(rows)('%s', (...row) => expectAptPlan(...row))
  it('policy_rc_d wraps each command: the code and the command as arguments of a constant script', () => {
    const plan = planOf(apt, facts(), playbookArgs(apt, { name: 'make', policy_rc_d: 101 }) as never, testCtx())
    const [c] = plan.commands
    expect(c.argv.slice(0, 2)).toEqual(['sh', '-c'])
    expect(c.argv.slice(3)).toEqual(['sh', '101', ...I, NR, 'install', 'make'])
    expect(c.env).toEqual({ DEBIAN_FRONTEND: 'noninteractive' })
  })
})

describe('apt simulations', () => {
  it('parses what apt-get -s says', () => {
    expect(simulatesNothing(NOTHING_SIM)).toBe(true)
    expect(simulatesNothing(UPGRADE_SIM)).toBe(false)
    expect(parseSimulatedInstalls('Inst make (4.3-4.1 Debian:12.15/oldstable [amd64])\n')).toEqual([
      'install make 4.3-4.1',
    ])
    expect(parseAutoclean(AUTOCLEAN_SIM)).toEqual(['autoclean libssl3 3.0.22-1~deb12u1'])
  })
  it('gathers the simulation of the mode (not dpkg/apt-cache)', async () => {
    const io = scriptedIO([[/^apt-get -s --no-remove dist-upgrade/, ok(NOTHING_SIM)]])
    const f = await gatherOf(apt, { upgrade: 'dist', fail_on_autoremove: true }, testCtx(), io)
    expect(f.simulated).toBe(NOTHING_SIM)
    expect(io.seen.map((c) => c.argv.join(' '))).toEqual(['apt-get -s --no-remove dist-upgrade'])
  })
  it('reads the .deb control fields, then dpkg', async () => {
    const io = scriptedIO([
      [/^dpkg-deb -f \.\/t\.deb Package Version/, ok('Package: tool\nVersion: 1.0\n')],
      [/^dpkg-query/, { rc: 1, stdout: '', stderr: 'no packages found matching tool' }],
    ])
    const f = await gatherOf(apt, { deb: 't.deb' }, testCtx(), io)
    expect(f.deb).toEqual({ name: 'tool', version: '1.0', installed: '' })
  })
  it('fails on a file that is no package', async () => {
    const io = scriptedIO([[/^dpkg-deb/, { rc: 2, stdout: '', stderr: 'dpkg-deb: error: failed to read archive' }]])
    await expect(gatherOf(apt, { deb: '/x.deb' }, testCtx(), io)).rejects.toThrow(/cannot read the package/)
  })
  it('fails with the simulation error (build-dep without deb-src)', async () => {
    const io = scriptedIO([
      [/^apt-get -s build-dep/, { rc: 100, stdout: '', stderr: "E: You must put some 'deb-src' URIs" }],
    ])
    await expect(gatherOf(apt, { name: 'make', state: 'build-dep' }, testCtx(), io)).rejects.toThrow(/deb-src/)
  })
  it('reads candidates with the default release', async () => {
    const io = scriptedIO([
      [/^dpkg-query/, ok(DPKG)],
      [/^apt-cache -o APT::Default-Release=bookworm-backports policy/, ok(POLICY)],
      [/^sh -c stat -c %Y/, ok('0\n')],
    ])
    await gatherOf(apt, { name: 'git', default_release: 'bookworm-backports' }, testCtx(), io)
    expect(io.seen).toHaveLength(3)
  })
})

describe('apt after a failed apt-get', () => {
  it('reports no change, as Ansible does (its recap counts none for an ignored failure)', async () => {
    const args = playbookArgs(apt, { name: 'make' }) as never
    const failed = [{ rc: 100, stdout: '', stderr: 'E: Held packages were changed' }]
    expect(await apt.after!(facts(), args, failed, testCtx(), scriptedIO([]))).toEqual({ changed: false })
    expect(await apt.after!(facts(), args, [{ rc: 0, stdout: '', stderr: '' }], testCtx(), scriptedIO([]))).toEqual({})
  })
})
