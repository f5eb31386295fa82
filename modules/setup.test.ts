import type { ModuleArgs } from '../engine/argtypes.js'
import { describe, expect, it } from 'vitest'
import { factsToVars } from '../engine/facts.js'
import { resolveArgs } from '../engine/load/args.js'
import setup, { filterFacts } from './setup.js'
import { fnmatchRe } from './lib/findfs.js'
import { localIO } from '../test/helpers/module-ctx.js'
import { scriptedIO, testCtx } from '../test/helpers/module-ctx.js'

const args = (raw: Record<string, unknown>) =>
  resolveArgs(setup, raw, { file: 'pb.yml', line: 1, col: 1 }) as ModuleArgs<typeof setup.schema>

describe('setup filter patterns', () => {
  it.each([
    ['ansible_distribution*', 'ansible_distribution_release', true],
    ['ansible_distribution*', 'ansible_os_family', false],
    ['ansible_?ostname', 'ansible_hostname', true],
    ['ansible_machine', 'ansible_machine_id', false],
    ['ansible_[a-z]*', 'ansible_kernel', true],
    ['a.b', 'axb', false],
  ])('%s matches %s: %s', (pattern, name, want) => {
    expect(fnmatchRe(pattern).test(name)).toBe(want)
  })
  it('no patterns keep every fact', () => {
    expect(filterFacts({ ansible_a: 1, ansible_b: 2 }, [])).toEqual({ ansible_a: 1, ansible_b: 2 })
    expect(filterFacts({ ansible_a: 1, ansible_b: 2 }, ['*_b', 'x'])).toEqual({ ansible_b: 2 })
  })
  it('a pattern without the ansible_ prefix matches with it, as Ansible', () => {
    const facts = { ansible_distribution: 'Debian', ansible_distribution_release: 'bookworm', ansible_kernel: '6' }
    expect(filterFacts(facts, ['distribution*'])).toEqual({
      ansible_distribution: 'Debian',
      ansible_distribution_release: 'bookworm',
    })
    expect(filterFacts(facts, ['kernel', 'ansible_distribution'])).toEqual({
      ansible_distribution: 'Debian',
      ansible_kernel: '6',
    })
  })
})

const KN = ['ansible_kernel', 'ansible_nodename']

describe('setup on this machine (the real fact script through the real quoting path)', () => {
  const DIST = ['distribution', 'distribution_release', 'distribution_version', 'distribution_major_version']
  it.each([
    [{}, ['ansible_architecture', 'ansible_distribution', 'ansible_pkg_mgr', 'ansible_service_mgr'], false],
    [{ filter: 'ansible_distribution*' }, DIST.map((n) => `ansible_${n}`), true],
    [{ gather_subset: ['!all', 'min'], filter: ['ansible_kernel', 'ansible_nodename'] }, KN, true],
  ])('%j registers %j', async (raw, names, exact) => {
    const a = args(raw)
    const facts = await setup.gather(a, testCtx(), localIO())
    const plan = setup.plan(facts, a, testCtx())
    expect(plan).toMatchObject({ commands: [], changed: false, facts })
    const registered = (plan.data?.ansible_facts ?? {}) as Record<string, unknown>
    for (const n of names) expect(registered[n]).toBe(factsToVars(facts)[n])
    // a point release (Debian 12.8) has a minor version, which the distribution filter matches too
    const minor = JSON.stringify(raw).includes('distribution*') && facts.distribution.version.includes('.')
    const dist = JSON.stringify(raw).includes('distribution*')
    // on the Debian family the file Ansible read the distribution from is named too
    const file = ['path', 'variety', 'parsed'].map((k) => `ansible_distribution_file_${k}`)
    const named = dist && 'ansible_distribution_file_path' in factsToVars(facts) ? file : []
    const want = [...names, ...named, ...(minor ? ['ansible_distribution_minor_version'] : [])]
    if (exact) expect(Object.keys(registered).sort()).toEqual([...want].sort())
  })
  it('refuses an unknown subset name', async () => {
    await expect(setup.gather(args({ gather_subset: 'no such' }), testCtx(), scriptedIO([]))).rejects.toThrow(
      /Bad subset 'no such'/,
    )
  })
  it('fails with the reason when the fact script prints nothing usable', async () => {
    const io = scriptedIO([[/^sh -c/, { rc: 126, stdout: '', stderr: 'permission denied' }]])
    await expect(setup.gather(args({}), testCtx(), io)).rejects.toThrow(/cannot gather facts.*permission denied/)
  })
})
