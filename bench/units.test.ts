/**
 * Unit tests of the benchmark's pure parts: recap parsers, figures, the workload's shape, settings, targets.
 * Run: `npx vitest run --config bench/vitest.config.ts bench/units.test.ts`.
 */
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { readConfig } from './config.js'
import { parseAnsibleRecap, parseTsplayRecap } from './engines.js'
import { goals } from './goals.js'
import { markdown } from './markdown.js'
import { summarizeProfile, type CpuProfile } from './profile.js'
import { Results } from './report.js'
import { summarize, table } from './stats.js'
import { BLOCKS, expectedCounts, floorTasks, playbookYaml, TASKS_PER_HOST } from './workload.js'

// ansible-core 2.14's default callback, trailing spaces included
const ANSIBLE_OUT = `PLAY [bench] *******************************************************************

TASK [dir 1] *******************************************************************
changed: [t1]
changed: [t2]

PLAY RECAP *********************************************************************
t1                         : ok=29   changed=24   unreachable=0    failed=0    skipped=1    rescued=0    ignored=0   
t2                         : ok=3    changed=1    unreachable=1    failed=2    skipped=0    rescued=0    ignored=0   
`

describe('parseAnsibleRecap', () => {
  it('reads every host line of the PLAY RECAP', () => {
    expect(parseAnsibleRecap(ANSIBLE_OUT)).toEqual({
      t1: { ok: 29, changed: 24, unreachable: 0, failed: 0, skipped: 1 },
      t2: { ok: 3, changed: 1, unreachable: 1, failed: 2, skipped: 0 },
    })
  })
  it('finds nothing without a recap (a run that died)', () => {
    expect(parseAnsibleRecap('ERROR! the playbook could not be found\n')).toEqual({})
  })
})

describe('parseTsplayRecap', () => {
  const recap = {
    type: 'recap',
    hosts: { t1: { ok: 30, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 } },
  }
  it.each([
    [
      'the last recap line',
      `{"type":"task","host":"t1","status":"ok"}\n${JSON.stringify(recap)}\n`,
      { t1: { ok: 30, changed: 0, unreachable: 0, failed: 0, skipped: 0 } },
    ],
    ['nothing when no recap', '{"type":"task","host":"t1","status":"ok"}\n', {}],
    ['nothing from a broken line', '{"type":"recap", "hosts": \n', {}],
  ])('%s', (_, out, want) => {
    expect(parseTsplayRecap(out)).toEqual(want)
  })
})

describe('summarize', () => {
  it.each([
    [[3, 1, 2], { n: 3, median: 2, min: 1, max: 3 }],
    [[4, 1, 3, 2], { n: 4, median: 2.5, min: 1, max: 4 }],
    [[5, NaN], { n: 1, median: 5, min: 5, max: 5 }],
  ])('%j', (xs, want) => {
    expect(summarize(xs)).toEqual(want)
  })
  it('has no median without samples', () => {
    expect(summarize([]).median).toBeNaN()
  })
})

describe('table', () => {
  it('pads columns to the widest cell and rules the header', () => {
    expect(
      table([
        ['a', 'bb'],
        ['ccc', 'd'],
      ]),
    ).toBe('a    bb\n---  --\nccc  d')
  })
})

describe('the workload', () => {
  const plays = parse(playbookYaml()) as { gather_facts: boolean; tasks: Record<string, unknown>[] }[]
  const tasks = plays[0].tasks
  const moduleOf = (t: Record<string, unknown>) =>
    Object.keys(t).filter((k) => !['name', 'register', 'when'].includes(k))

  it(`has ${TASKS_PER_HOST} tasks, one module each, mixing the six modules, without facts`, () => {
    expect(plays[0].gather_facts).toBe(false)
    expect(tasks).toHaveLength(30)
    for (const t of tasks) expect(moduleOf(t)).toHaveLength(1)
    expect(new Set(tasks.flatMap(moduleOf))).toEqual(
      new Set(['file', 'copy', 'lineinfile', 'command', 'stat', 'template']),
    )
  })

  it('tests only registered stats in `when`, after they are registered', () => {
    const seen = new Set<string>()
    for (const t of tasks) {
      if (typeof t.when === 'string') expect(seen.has(t.when.replace('.stat.exists', ''))).toBe(true)
      if (typeof t.register === 'string') seen.add(t.register)
    }
  })

  it('sets the strategy only when asked', () => {
    expect((parse(playbookYaml({ strategy: 'free' })) as { strategy?: string }[])[0].strategy).toBe('free')
    expect((plays[0] as { strategy?: string }).strategy).toBeUndefined()
  })

  it('gives the floor the same tasks in the same order', () => {
    expect(floorTasks('/r', 't1').map((t) => t.name)).toEqual(tasks.map((t) => t.name))
  })

  it('expects every change on a first run and none on a second', () => {
    expect(expectedCounts('first')).toEqual({ ok: 29, changed: 29 - BLOCKS, unreachable: 0, failed: 0, skipped: 1 })
    expect(expectedCounts('second')).toEqual({ ok: 29, changed: 0, unreachable: 0, failed: 0, skipped: 1 })
  })
})

describe('readConfig', () => {
  it('defaults to the full run', () => {
    const c = readConfig({}, '/repo')
    expect(c).toMatchObject({
      runs: 3,
      sizes: [1, 10],
      scale: [50, 100],
      forks: 10,
      engines: ['ansible', 'tsplay', 'floor'],
      outDir: '/repo/bench/results',
    })
  })
  it('has a quick mode and engine choice', () => {
    expect(readConfig({ BENCH_QUICK: '1', BENCH_NO_ANSIBLE: '1' })).toMatchObject({
      runs: 1,
      scale: [],
      engines: ['tsplay', 'floor'],
    })
    expect(readConfig({ BENCH_ENGINES: 'floor,ansible', BENCH_SCALE: '0' })).toMatchObject({
      engines: ['ansible', 'floor'],
      scale: [],
    })
  })
  it.each([
    [{ BENCH_RUNS: '0' }, /BENCH_RUNS/],
    [{ BENCH_FORKS: 'many' }, /BENCH_FORKS/],
    [{ BENCH_ENGINES: 'pyinfra' }, /unknown engine/],
    [{ BENCH_STRATEGY: 'host_pinned' }, /BENCH_STRATEGY/],
  ])('refuses %j', (env, msg) => {
    expect(() => readConfig(env)).toThrow(msg)
  })
})

describe('goals and ratios', () => {
  const results = (ansibleMs: number, tsplayMs: number, floorMs: number) => {
    const r = new Results()
    for (const run of ['first', 'second'] as const) {
      r.add('ansible', 10, run, { wallMs: ansibleMs, peakRssKb: 60_000, cpuMs: 1, targetCpuMs: 1 })
      r.add('tsplay', 10, run, { wallMs: tsplayMs, peakRssKb: 90_000, cpuMs: 1, targetCpuMs: 1 })
      r.add('floor', 10, run, { wallMs: floorMs, peakRssKb: 55_000, cpuMs: 1, targetCpuMs: 1 })
    }
    return r
  }
  const status = (r: Results, prefix: string) =>
    goals(r.cases(), r.ratios(), [], []).find((g) => g.goal.startsWith(prefix))?.status

  it.each([
    [31_000, 1000, 600, 'met', 'met'],
    [29_000, 1000, 400, 'MISSED', 'MISSED'],
  ])('ansible %d ms, tsplay %d ms, floor %d ms', (a, t, f, vsAnsible, vsFloor) => {
    const r = results(a, t, f)
    expect(status(r, '10 hosts × 30 tasks, second run')).toBe(vsAnsible)
    expect(status(r, '10 host(s), second run: tsplay/floor')).toBe(vsFloor)
    expect(r.ratios().find((x) => x.run === 'first')?.ansibleOverTsplay).toBeCloseTo(a / t)
  })
  it('says "not measured" for what a run did not measure', () => {
    expect(status(new Results(), '100 hosts, first run: peak RSS')).toBe('not measured')
  })
})

describe('summarizeProfile', () => {
  // root → main (engine file) → write (native); samples: 2 in main (10 µs + 20 µs), 1 in write (5000 µs), 1 idle
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2, 4] },
      {
        id: 2,
        callFrame: { functionName: 'main', url: 'file:///repo/dist/engine/cli/main.js', lineNumber: 9 },
        children: [3],
      },
      {
        id: 3,
        callFrame: { functionName: 'write', url: 'file:///repo/node_modules/ssh2/lib/client.js', lineNumber: 0 },
      },
      { id: 4, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
    ],
    samples: [2, 2, 3, 4],
    timeDeltas: [10, 20, 5000, 7000],
    startTime: 0,
    endTime: 12_030,
  }
  it('sums self time by function and by file, node_modules as npm:package, idle apart', () => {
    const s = summarizeProfile(profile, '/repo')
    expect(
      summarizeProfile(
        {
          ...profile,
          nodes: profile.nodes.map((n) =>
            n.id === 3
              ? { ...n, callFrame: { ...n.callFrame, url: 'file:///repo/node_modules/@sinclair/typebox/build/x.mjs' } }
              : n,
          ),
        },
        '/repo',
      ).byFile[0].name,
    ).toBe('npm:@sinclair/typebox')
    expect(s.totalMs).toBeCloseTo(12.03)
    expect(s.special).toEqual([{ name: '(idle)', ms: 7 }])
    expect(s.byFile).toEqual([
      { name: 'npm:ssh2', ms: 5 },
      { name: 'dist/engine/cli/main.js', ms: 0.03 },
    ])
    expect(s.byFunction[1]).toEqual({ name: 'main dist/engine/cli/main.js:10', ms: 0.03 })
  })
})

describe('markdown', () => {
  it('renders the cases with ratios on the tsplay rows and the mismatches', () => {
    const r = new Results()
    r.add('ansible', 10, 'second', { wallMs: 30_000, peakRssKb: 60 * 1024, cpuMs: 1, targetCpuMs: 1 })
    r.add('tsplay', 10, 'second', { wallMs: 1000, peakRssKb: 80 * 1024, cpuMs: 1, targetCpuMs: 1 })
    r.add('floor', 10, 'second', { wallMs: 500, peakRssKb: 55 * 1024, cpuMs: 1, targetCpuMs: 1 })
    const text = markdown({
      date: '2026-01-01T00:00:00Z',
      machine: {
        cores: 2,
        cpu: 'x',
        memoryGB: 4,
        os: 'Debian',
        node: 'v20',
        ansible: 'core 2.14',
        commit: 'abc',
        loadAverageAtStart: [0],
      },
      config: { runs: 3, forks: 10 },
      tasksPerHost: 30,
      cases: r.cases(),
      ratios: r.ratios(),
      startup: [],
      facts: [],
      goals: [],
      mismatches: ['tsplay, 1 host(s), first run: exit code 1'],
    })
    expect(text).toContain('| 10 | second | **tsplay** | 1.00 s | 1.00–1.00 s | 80 MB |')
    expect(text).toContain('| **30.0×** | 2.00× |')
    expect(text).toContain('- tsplay, 1 host(s), first run: exit code 1')
  })
})
