import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import svn, { parseLocal, type SvnState } from './subversion.js'
import { localIO, planOf, runWith, testCtx, type WrittenArgs } from '../test/helpers/module-ctx.js'

const PW = 'pw-not-in-argv'
const R = 'file:///srv/svn/p'
const wc = (over: Partial<SvnState> = {}): SvnState => ({
  dest: 'wc',
  rev: 'Revision: 3',
  url: `URL: ${R}`,
  mods: [],
  target: 'Revision: 3',
  ...over,
})
const O = ['svn', '--non-interactive', '--no-auth-cache', '--trust-server-cert']
type Row = [string, WrittenArgs<typeof svn>, SvnState, { argv?: string[][]; fail?: RegExp; check?: boolean }]
const base = { repo: R, dest: '/opt/p' }
const rows: Row[] = [
  [
    'checkout into a new dest',
    base,
    { dest: 'absent', mods: [] },
    { argv: [[...O, 'checkout', '-r', 'HEAD', '--', R, '/opt/p']] },
  ],
  ['up to date: nothing', base, wc(), { argv: [] }],
  [
    'behind: update',
    { ...base, revision: '5' },
    wc({ target: 'Revision: 5' }),
    { argv: [[...O, 'update', '-r', '5', '--', '/opt/p']] },
  ],
  [
    'another URL: switch and update',
    { ...base, repo: `${R}/branches/b` },
    wc(),
    {
      argv: [
        [...O, 'switch', '--revision', 'HEAD', '--', `${R}/branches/b`, '/opt/p'],
        [...O, 'update', '-r', 'HEAD', '--', '/opt/p'],
      ],
    },
  ],
  ['another URL, switch: false', { ...base, repo: `${R}/b`, switch: false }, wc(), { argv: [] }],
  ['local mods fail', base, wc({ mods: ['M       /opt/p/a'] }), { fail: /modified files exist/ }],
  [
    'local mods, force: revert',
    { ...base, force: true },
    wc({ mods: ['M       /opt/p/a'] }),
    {
      argv: [
        [...O, 'revert', '-R', '--', '/opt/p'],
        [...O, 'update', '-r', 'HEAD', '--', '/opt/p'],
      ],
    },
  ],
  ['update: false', { ...base, update: false }, wc({ target: undefined }), { argv: [] }],
  ['not a working copy', base, { dest: 'other', mods: [] }, { fail: /already exists, but its not a subversion/ }],
  [
    'in_place',
    { ...base, in_place: true },
    { dest: 'other', mods: [] },
    { argv: [[...O, 'checkout', '--force', '-r', 'HEAD', '--', R, '/opt/p']] },
  ],
  [
    'export (always), force',
    { ...base, export: true, force: true },
    wc(),
    { argv: [[...O, 'export', '--force', '-r', 'HEAD', '--', R, '/opt/p']] },
  ],
  ['checkout: false on a new dest', { ...base, checkout: false }, { dest: 'absent', mods: [] }, { argv: [] }],
  ['no dest', { repo: R }, { dest: 'none', mods: [] }, { fail: /destination directory must be specified/ }],
  [
    'nothing to fetch',
    { repo: R, checkout: false, update: false },
    { dest: 'none', mods: [], target: 'Revision: 9' },
    { argv: [] },
  ],
  ['svn missing', base, { dest: 'no-svn', mods: [] }, { fail: /apt: \{ name: subversion \}/ }],
  ['repository unreadable', base, wc({ remoteError: 'svn: E170013: Unable to connect' }), { fail: /E170013/ }],
  ['an option-like revision', { ...base, revision: '-x' }, wc(), { fail: /not a revision/ }],
  [
    'executable and certificates',
    { ...base, executable: '/opt/svn', validate_certs: true, username: 'u' },
    { dest: 'absent', mods: [] },
    {
      argv: [
        [
          '/opt/svn',
          '--non-interactive',
          '--no-auth-cache',
          '--username',
          'u',
          'checkout',
          '-r',
          'HEAD',
          '--',
          R,
          '/opt/p',
        ],
      ],
    },
  ],
]

describe('subversion plan', () => {
  it.each(rows)('%s', (_n, args, state, want) => {
    const plan = planOf(svn, state, args, testCtx({ checkMode: want.check ?? false }))
    if (want.fail) return expect(plan.fail).toMatch(want.fail)
    expect(plan.fail).toBeUndefined()
    expect(plan.commands.map((c) => c.argv)).toEqual(want.argv)
  })

  it('sends the password over a secret stdin, never in argv', () => {
    const [cmd] = planOf(svn, { dest: 'absent', mods: [] }, { ...base, username: 'u', password: PW }).commands
    expect(cmd!.argv.join(' ')).not.toContain(PW)
    expect(cmd!.argv).toContain('--password-from-stdin')
    expect([cmd!.stdin, cmd!.secretStdin]).toEqual([`${PW}\n`, true])
  })

  it('check mode: a new dest with checkout: false is still predicted changed (as Ansible)', () => {
    const p = planOf(svn, { dest: 'absent', mods: [] }, { ...base, checkout: false }, testCtx({ checkMode: true }))
    expect(p.changed).toBe(true)
  })

  it.each([
    ['older: changed', 'Revision: 5', 1],
    ['newer: Ansible predicts no change', 'Revision: 2', 0],
  ])('check mode, working copy %s', (_n, target, n) => {
    const p = planOf(svn, wc({ target }), { ...base, revision: '2' }, testCtx({ checkMode: true }))
    expect(p.commands).toHaveLength(n)
  })

  it('parses the local probe (unversioned files are no modifications)', () => {
    const out =
      'state wc\ninfo Path: /opt/p\ninfo URL: file:///r\ninfo Revision: 4\nstatus M       a\nstatus ?       b\n'
    expect(parseLocal(out)).toEqual({ dest: 'wc', rev: 'Revision: 4', url: 'URL: file:///r', mods: ['M       a'] })
  })
})

const hasSvn = existsSync('/usr/bin/svnadmin') && existsSync('/usr/bin/svn')

describe.skipIf(!hasSvn)('subversion on this machine (a file:// repository in a temp folder)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-svn-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const url = `file://${dir}/repo`
  const run = (args: WrittenArgs<typeof svn>) => runWith(svn, args, testCtx({ diffMode: false }), localIO())
  /** Commit `file` with `text` to the repository (through a scratch working copy). */
  const commit = (file: string, text: string) => {
    const w = join(dir, 'scratch')
    if (!existsSync(w)) execFileSync('svn', ['checkout', '-q', url, w])
    const had = existsSync(join(w, file))
    writeFileSync(join(w, file), text)
    if (!had) execFileSync('svn', ['add', '-q', join(w, file)])
    execFileSync('svn', ['commit', '-q', '-m', file, w])
  }

  it('checks out, stays, updates, reverts with force, exports', async () => {
    execFileSync('svnadmin', ['create', join(dir, 'repo')])
    commit('a', 'one\n')
    const dest = join(dir, 'wc')
    const first = await run({ repo: url, dest })
    expect([first.failed, first.changed]).toEqual([undefined, true])
    expect(first.data.after).toEqual(['Revision: 1', `URL: ${url}`])
    const again = await run({ repo: url, dest })
    expect([again.failed, again.changed, again.results.length]).toEqual([undefined, false, 0])
    commit('a', 'two\n')
    const up = await run({ repo: url, dest })
    expect([up.failed, up.changed]).toEqual([undefined, true])
    expect(readFileSync(join(dest, 'a'), 'utf8')).toBe('two\n')
    const back = await run({ repo: url, dest, revision: '1' })
    expect([back.failed, back.changed, readFileSync(join(dest, 'a'), 'utf8')]).toEqual([undefined, true, 'one\n'])
    writeFileSync(join(dest, 'a'), 'local\n')
    expect((await run({ repo: url, dest, revision: '1' })).failed).toMatch(/modified files exist/)
    const forced = await run({ repo: url, dest, revision: '1', force: true })
    expect([forced.failed, forced.changed, readFileSync(join(dest, 'a'), 'utf8')]).toEqual([undefined, true, 'one\n'])
    // switch: a working copy of t moves to t2 (a copy of t, with one more folder)
    execFileSync('svn', ['mkdir', '-q', '-m', 't', `${url}/t`])
    execFileSync('svn', ['copy', '-q', '-m', 'c', `${url}/t`, `${url}/t2`])
    const wc2 = join(dir, 'wc2')
    expect((await run({ repo: `${url}/t`, dest: wc2 })).changed).toBe(true)
    execFileSync('svn', ['mkdir', '-q', '-m', 'd', `${url}/t2/d`])
    const sw = await run({ repo: `${url}/t2`, dest: wc2 })
    expect([sw.failed, sw.changed, sw.data.after]).toEqual([undefined, true, ['Revision: 5', `URL: ${url}/t2`]])
    expect(existsSync(join(wc2, 'd'))).toBe(true)
    expect((await run({ repo: `${url}/t2`, dest: wc2 })).changed).toBe(false)
    const out = join(dir, 'export')
    const ex = await run({ repo: url, dest: out, export: true })
    expect([ex.failed, ex.changed, existsSync(join(out, '.svn'))]).toEqual([undefined, true, false])
    expect((await run({ repo: url, dest: out, export: true })).failed).toMatch(/E000017|exists/)
    expect((await run({ repo: url, dest: out, export: true, force: true })).changed).toBe(true)
    mkdirSync(join(dir, 'plain'))
    expect((await run({ repo: url, dest: join(dir, 'plain') })).failed).toMatch(/not a subversion repository/)
    expect((await run({ repo: url, dest: join(dir, 'plain'), in_place: true })).changed).toBe(true)
    expect((await run({ repo: `${url}/nope`, dest: join(dir, 'x2') })).failed).toMatch(/E170000|nope/)
  }, 120_000)
})
