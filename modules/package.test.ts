import type { ModuleArgs } from '../engine/argtypes.js'
import { describe, expect, it } from 'vitest'
import { resolveArgs } from '../engine/load/args.js'
import type { CommandResult, HostFacts } from '../engine/types.js'
import pkg from './package.js'
import { ok, scriptedIO, testCtx } from '../test/helpers/module-ctx.js'

const args = (raw: Record<string, unknown>) =>
  resolveArgs(pkg, raw, { file: 'pb.yml', line: 1, col: 1 }) as ModuleArgs<typeof pkg.schema>
const withMgr = (pkg_mgr: string) => ({ facts: { pkg_mgr } as HostFacts })

const POLICY = 'make:\n  Installed: (none)\n  Candidate: 4.3-4.1\n  Version table:\n     4.3-4.1 500\n'
const DEBIAN: [RegExp, CommandResult][] = [
  [/^dpkg-query/, { rc: 1, stdout: '', stderr: '' }],
  [/^apt-cache policy/, ok(POLICY)],
  [/^sh -c stat -c %Y/, ok('1700000000\n')],
]

type Row = [string, Record<string, unknown>, Partial<ReturnType<typeof testCtx>>, string, RegExp | string[]]
const rows: Row[] = [
  ['auto on Debian (probe) runs as apt', { name: 'make', state: 'present' }, {}, 'apt\n', ['install make 4.3-4.1']],
  ['auto with facts needs no probe', { name: 'make' }, withMgr('apt'), 'never asked', ['install make 4.3-4.1']],
  ['use: apt', { name: 'make', use: 'apt' }, {}, 'never asked', ['install make 4.3-4.1']],
  ['absent of a package not installed is ok', { name: 'make', state: 'absent' }, {}, 'apt\n', []],
  ['a dnf host fails with its manager', { name: 'make' }, withMgr('dnf'), '', /this host uses dnf.*apt only/],
  ['no manager at all', { name: 'make' }, {}, '\n', /no known package manager/],
]

describe('package dispatches to apt', () => {
  it.each(rows)('%s', async (_n, raw, ctxOver, probe, want) => {
    const io = scriptedIO([[/^sh -c for x in/, ok(probe)], ...DEBIAN])
    const ctx = testCtx(ctxOver)
    const a = args(raw)
    const state = pkg.gather(a, ctx, io)
    if (want instanceof RegExp) return expect(state).rejects.toThrow(want)
    const plan = pkg.plan(await state, a, ctx)
    expect(plan.changes).toEqual(want)
    if (probe === 'never asked') expect(io.seen.map((c) => c.argv[0])).toEqual(['dpkg-query', 'apt-cache', 'sh'])
  })
  it('passes apt arguments through: update_cache is the refresh step', () => {
    expect(pkg.refresh!(args({ name: 'make', update_cache: true }), testCtx())?.describe).toBe(
      'refresh the package lists',
    )
    expect(pkg.refresh!(args({ name: 'make' }), testCtx())).toBeUndefined()
  })
  it("takes apt's arguments as apt does: an update of the package lists alone needs no name", () => {
    expect(args({ update_cache: true })).toMatchObject({ update_cache: true })
    expect(pkg.refresh!(args({ update_cache: true }), testCtx())?.describe).toBe('refresh the package lists')
  })
  it.each([
    [{ name: 'make', use: 'yum' }, /use/],
    [{ name: 'make', nosuch: 1 }, /nosuch/],
  ])('refuses %j before any host is contacted', (raw, msg) => {
    expect(() => args(raw)).toThrow(msg)
  })
})
