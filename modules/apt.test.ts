import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import apt, { APT_UPDATE_RETRIED } from './apt.js'
import { removeTempDir, tempDir } from '../test/helpers/tempdir.js'
import { runRefresh } from '../engine/refresh.js'
import { parseAptPolicy, parseDpkgQuery } from './lib/apt-state.js'
import {
  APT_GET as I,
  aptFacts as facts,
  DPKG,
  expectAptPlan,
  POLICY,
  type AptRow,
} from '../test/helpers/apt-fixtures.js'
import { gatherOf, ok, planOf, playbookArgs, scriptedIO, testCtx } from '../test/helpers/module-ctx.js'

describe('apt fact parsers', () => {
  it('parses apt-cache policy', () => {
    const p = parseAptPolicy(POLICY)
    expect(p.get('git')).toEqual({
      installed: '1:2.39.5-0+deb12u2',
      candidate: '1:2.39.5-0+deb12u3',
      versions: ['1:2.39.5-0+deb12u3', '1:2.39.5-0+deb12u2'],
    })
    expect(p.get('make')).toEqual({ candidate: '4.3-4.1', versions: ['4.3-4.1'] })
    expect(p.get('mail-transport-agent')).toEqual({ versions: [] })
    expect(p.has('nosuch')).toBe(false)
  })
  it('parses dpkg-query', () => {
    const d = parseDpkgQuery(DPKG)
    expect(d.get('vim')).toEqual({ status: 'rc', version: '2:9.0.1378-2' })
    expect(d.get('bash')?.status).toBe('ii')
  })
})

const rows: AptRow[] = [
  ['installed package is ok', { name: 'bash' }, {}, { argv: [] }],
  [
    'missing package is installed',
    { name: ['bash', 'make'] },
    {},
    { argv: [[...I, '--no-install-recommends', 'install', 'make']], changes: ['install make 4.3-4.1'] },
  ],
  ['comma list', { name: 'make, git' }, {}, { argv: [[...I, '--no-install-recommends', 'install', 'make']] }],
  ['recommends on request', { name: 'make', install_recommends: true }, {}, { argv: [[...I, 'install', 'make']] }],
  [
    'latest upgrades an old version',
    { name: 'git', state: 'latest' },
    {},
    {
      argv: [[...I, '--no-install-recommends', 'install', 'git']],
      changes: ['upgrade git 1:2.39.5-0+deb12u2 → 1:2.39.5-0+deb12u3'],
    },
  ],
  ['latest at candidate is ok', { name: 'bash', state: 'latest' }, {}, { argv: [] }],
  ['pinned version installed is ok', { name: 'git=1:2.39.5-0+deb12u2' }, {}, { argv: [] }],
  [
    'pinned other version changes',
    { name: 'git=1:2.39.5-0+deb12u3' },
    {},
    {
      argv: [[...I, '--no-install-recommends', 'install', 'git=1:2.39.5-0+deb12u3']],
      changes: ['change git 1:2.39.5-0+deb12u2 → 1:2.39.5-0+deb12u3'],
    },
  ],
  ['unknown pinned version fails', { name: 'make=9.9' }, {}, { fail: /no package matching make version 9\.9/ }],
  ['unknown package fails', { name: ['make', 'nosuchpkg'] }, {}, { fail: /no package matching nosuchpkg/ }],
  [
    'virtual package without candidate fails',
    { name: 'mail-transport-agent' },
    {},
    { fail: /no package matching mail-transport-agent/ },
  ],
  [
    'absent removes installed',
    { name: ['git', 'make'], state: 'absent' },
    {},
    { argv: [[...I, 'remove', 'git']], changes: ['remove git 1:2.39.5-0+deb12u2'] },
  ],
  ['absent on config-files only is ok', { name: 'vim', state: 'absent' }, {}, { argv: [] }],
  ['purge removes config files', { name: 'vim', state: 'absent', purge: true }, {}, { argv: [[...I, 'purge', 'vim']] }],
  [
    'absent with autoremove',
    { name: 'git', state: 'absent', autoremove: true },
    {},
    { argv: [[...I, '--autoremove', 'remove', 'git']] },
  ],
  [
    'autoremove alone when something is removable',
    { autoremove: true },
    { autoremovable: ['libfoo1'] },
    { argv: [[...I, 'autoremove']], changes: ['autoremove libfoo1'] },
  ],
  ['autoremove alone with nothing to remove', { autoremove: true }, {}, { argv: [] }],
  ['update_cache alone runs no command in the plan', { update_cache: true }, {}, { argv: [] }],
  [
    'fixed installs what is missing with --fix-broken',
    { name: ['bash', 'make'], state: 'fixed' },
    {},
    { argv: [[...I, '--no-install-recommends', '--fix-broken', 'install', 'make']], changes: ['install make 4.3-4.1'] },
  ],
  ['fixed with everything installed is ok (apt-get is not run)', { name: 'bash', state: 'fixed' }, {}, { argv: [] }],
  ['fixed does not upgrade, as present', { name: 'git', state: 'fixed' }, {}, { argv: [] }],
]

describe('apt plan', () => {
  it.each(rows)('%s', (...row) => expectAptPlan(...row))
})

describe('apt gather and its refresh step', () => {
  it("gather only reads: dpkg, apt-cache and the lists' time in one batch, never apt-get update", async () => {
    const io = scriptedIO([
      [/^dpkg-query/, { rc: 1, stdout: DPKG, stderr: 'dpkg-query: no packages found matching make\n' }],
      [/^apt-cache policy/, ok(POLICY)],
      [/^sh -c stat -c %Y/, ok('1700000000\n')],
    ])
    const f = await gatherOf(apt, { name: ['bash', 'make'], update_cache: true }, testCtx(), io)
    expect(io.seen.map((c) => c.argv[0])).toEqual(['dpkg-query', 'apt-cache', 'sh'])
    const plan = planOf(apt, f, { name: ['bash', 'make'] }, testCtx())
    expect(plan.changes).toEqual(['install make 4.3-4.1'])
    // as Ansible's: the lists' time (the stamp's), and nothing of the cache for a removal
    expect(plan.data).toEqual({ cache_updated: false, cache_update_time: 1700000000 })
    expect(planOf(apt, f, { name: ['bash'], state: 'absent' }, testCtx()).data).toEqual({})
  })
  it('has no refresh step without update_cache or cache_valid_time', () => {
    expect(apt.refresh!(playbookArgs(apt, { name: 'git' }), testCtx())).toBeUndefined()
  })
  it('refreshes when the lists are older than cache_valid_time (cache_valid_time implies update_cache)', async () => {
    const io = scriptedIO([
      [/date \+%s/, ok()],
      [/apt-get -q .* update/, ok()],
    ])
    const ctx = testCtx()
    const step = await runRefresh(
      apt.refresh!(playbookArgs(apt, { name: 'bash', cache_valid_time: 3600 }), ctx),
      ctx,
      io,
    )
    expect(step).toEqual({ outcome: 'ran', changes: ['refresh the package lists'] })
    // apt-get update tried 5 times, waiting at most 12 s: Ansible's defaults
    expect(io.seen.map((c) => c.argv.slice(-2))).toEqual([
      ['sh', '3600'],
      ['5', '12'],
    ])
    expect(ctx.refreshed).toBe('ran')
  })
  it('does not refresh fresh lists', async () => {
    const io = scriptedIO([[/date \+%s/, { rc: 1, stdout: '', stderr: '' }]])
    const ctx = testCtx()
    const step = await runRefresh(
      apt.refresh!(playbookArgs(apt, { update_cache: true, cache_valid_time: 3600 }), ctx),
      ctx,
      io,
    )
    expect(step).toEqual({ outcome: 'fresh', changes: [] })
    expect(planOf(apt, facts(), { update_cache: true }, ctx).changed).toBe(false)
  })
  it("fails the task with apt-get update's error", async () => {
    const io = scriptedIO([[/apt-get -q .* update/, { rc: 100, stdout: '', stderr: 'E: Could not resolve host\n' }]])
    const ctx = testCtx()
    const step = await runRefresh(apt.refresh!(playbookArgs(apt, { update_cache: true }), ctx), ctx, io)
    expect(step.fail).toMatch(/refresh the package lists failed .*Could not resolve host/)
  })
  it('update_cache alone is a change when the lists were refreshed, as in Ansible; next to packages it is not', () => {
    const ran = testCtx({ refreshed: 'ran' })
    expect(planOf(apt, facts(), { update_cache: true }, ran).changed).toBe(true)
    expect(planOf(apt, facts(), { update_cache: true }, ran).data).toEqual({
      cache_updated: true,
      cache_update_time: 0,
    })
    expect(planOf(apt, facts(), { name: 'bash', update_cache: true }, ran).changed).toBeUndefined()
    expect(planOf(apt, facts(), { name: 'bash', update_cache: true }, ran).commands).toEqual([])
  })
  it.each(['-oAPT::x=1', 'bash; rm -rf /', '$(id)'])('refuses %j as a package name', async (name) => {
    await expect(gatherOf(apt, { name }, testCtx(), scriptedIO([]))).rejects.toThrow(/not a Debian package name/)
  })
})

describe('apt-get update, retried', () => {
  let dir = ''
  beforeAll(() => {
    dir = tempDir('tsplay-aptretry-')
    // stand-ins: apt-get fails until its Nth call ($FAILS failures), sleep records its waits
    const stub = (name: string, body: string) => writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 })
    stub(
      'apt-get',
      `echo x >> "${dir}/calls"; n=0; while read -r _; do n=$((n + 1)); done < "${dir}/calls"; [ "$n" -gt "$FAILS" ]`,
    )
    stub('sleep', `echo "$1" >> "${dir}/waits"`)
    stub('mkdir', 'exit 0')
    stub('touch', 'exit 0')
  })
  afterAll(() => removeTempDir(dir))
  const run = (fails: number, tries: number, maxDelay: number) => {
    rmSync(join(dir, 'calls'), { force: true })
    rmSync(join(dir, 'waits'), { force: true })
    const r = spawnSync('/bin/sh', ['-c', APT_UPDATE_RETRIED, 'sh', String(tries), String(maxDelay)], {
      env: { PATH: dir, FAILS: String(fails) },
      encoding: 'utf8',
    })
    const lines = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8').trim().split('\n') : [])
    return { rc: r.status, stderr: r.stderr, calls: lines('calls').length, waits: lines('waits').filter(Boolean) }
  }
  it('stops at the first success', () => {
    expect(run(0, 5, 12)).toMatchObject({ rc: 0, calls: 1, waits: [] })
  })
  it('waits 1, 2, 4… seconds between tries, at most the maximum', () => {
    expect(run(4, 5, 3)).toMatchObject({ rc: 0, calls: 5, waits: ['1', '2', '3', '3'] })
  })
  it('fails after the last try, without a wait after it', () => {
    const r = run(9, 3, 12)
    expect(r).toMatchObject({ rc: 1, calls: 3, waits: ['1', '2'] })
    expect(r.stderr).toMatch(/apt-get update failed \(tried 3 time\(s\)\)/)
  })
  it('with no tries it fails without running apt-get, as Ansible does', () => {
    expect(run(0, 0, 12)).toMatchObject({ rc: 1, calls: 0, waits: [] })
  })
  it('takes the retries from the task', () => {
    const step = apt.refresh!(
      playbookArgs(apt, { update_cache: true, update_cache_retries: 2, update_cache_retry_max_delay: 1 }),
      testCtx(),
    )
    expect(step?.commands[0].argv.slice(-2)).toEqual(['2', '1'])
  })
})

describe('apt in check mode', () => {
  it('does not run the refresh step; it is predicted and named in the changes', async () => {
    const io = scriptedIO([])
    const ctx = testCtx({ checkMode: true })
    const step = await runRefresh(apt.refresh!(playbookArgs(apt, { update_cache: true }), ctx), ctx, io)
    expect(step).toEqual({ outcome: 'predicted', changes: ['refresh the package lists'] })
    expect(io.seen).toEqual([])
    expect(planOf(apt, facts(), { update_cache: true }, ctx).changed).toBe(true)
  })
  it('predicts installing a package the skipped cache update would bring', () => {
    const plan = planOf(
      apt,
      facts({ policy: {}, dpkg: {} }),
      { name: 'make', update_cache: true },
      testCtx({ checkMode: true, refreshed: 'predicted' }),
    )
    expect(plan.fail).toBeUndefined()
    expect(plan.changes).toEqual(['install make (after the cache update skipped in check mode)'])
  })
  it('still fails for an unknown package when the cache was not to be updated', () => {
    expect(planOf(apt, facts({ policy: {}, dpkg: {} }), { name: 'make' }, testCtx({ checkMode: true })).fail).toMatch(
      /no package matching make/,
    )
  })
})
