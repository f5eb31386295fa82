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
import { hostsLabel, Results } from './report.js'
import { shareFrom } from './calibrate.js'
import { benchHosts } from './targets.js'
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
      piCap: 'auto',
      piSizes: [1, 10],
      huge: 1000,
      hugeListeners: 100,
      hugeForks: [50, 200],
    })
  })
  it('sets the Pi-speed cap and the big rows', () => {
    expect(readConfig({ BENCH_QUICK: '1' })).toMatchObject({ piCap: 0, huge: 0 })
    expect(readConfig({ BENCH_PI_CAP: '0.25', BENCH_HUGE: '0' })).toMatchObject({ piCap: 0.25, huge: 0 })
    expect(() => readConfig({ BENCH_PI_CAP: 'slow' })).toThrow(/BENCH_PI_CAP/)
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
    [31_000, 1000, 800, 'met', 'met'],
    [29_000, 1000, 400, 'MISSED', 'MISSED'],
  ])('ansible %d ms, tsplay %d ms, floor %d ms', (a, t, f, vsAnsible, vsFloor) => {
    const r = results(a, t, f)
    expect(status(r, '10 hosts × 30 tasks, second run')).toBe(vsAnsible)
    expect(status(r, '10 host(s), second run: tsplay/floor')).toBe(vsFloor)
    expect(r.ratios().find((x) => x.run === 'first')?.ansibleOverTsplay).toBeCloseTo(a / t)
  })
  it('holds 10 and 100 hosts to the floor on CPU too, and the big rows to the 100-host time per host-task', () => {
    const r = new Results()
    for (const [e, cpu, target] of [
      ['tsplay', 140, 120],
      ['floor', 100, 100],
    ] as const) {
      r.add(e, 100, 'second', { wallMs: 10_000, peakRssKb: 1, cpuMs: cpu, targetCpuMs: target })
      r.add(e, 1000, 'second', { wallMs: 95_000, peakRssKb: 600 * 1024, cpuMs: 1, targetCpuMs: 1 }, { forks: 50 })
    }
    const g = goals(r.cases(), r.ratios(), [], [])
    const st = (p: string) => g.find((x) => x.goal.startsWith(p))?.status
    expect(st('100 host(s), second run: tsplay/floor controller CPU ≤ 1.5×')).toBe('met')
    expect(st('100 host(s), second run: tsplay/floor target CPU ≤ 1.25×')).toBe('met')
    expect(st('1000 hosts, forks 50, second run: peak RSS')).toBe('MISSED')
    expect(st('1000 hosts, forks 50, second run: time per host-task')).toBe('met')
  })
  it('reports no ratio for a case where an engine was wrong', () => {
    const r = results(31_000, 1000, 800)
    r.refuse(10, 'second')
    expect(r.ratios().find((x) => x.run === 'second')?.tsplayOverFloor).toBeNaN()
    expect(r.ratios().find((x) => x.run === 'first')?.tsplayOverFloor).toBeCloseTo(1.25)
    expect(status(r, '10 host(s), second run: tsplay/floor')).toBe('not measured')
  })
  it('keeps Pi-speed and forks variants apart, with their own labels', () => {
    const r = results(31_000, 1000, 800)
    r.add('tsplay', 10, 'second', { wallMs: 3000, peakRssKb: 1, cpuMs: 1, targetCpuMs: 1 }, { targets: 'pi' })
    r.add('floor', 10, 'second', { wallMs: 2000, peakRssKb: 1, cpuMs: 1, targetCpuMs: 1 }, { targets: 'pi' })
    const pi = r.ratios().find((x) => x.targets === 'pi')
    expect(pi?.tsplayOverFloor).toBeCloseTo(1.5)
    expect(r.ratios().find((x) => x.run === 'second' && !x.targets)?.tsplayOverFloor).toBeCloseTo(1.25)
    expect(hostsLabel({ hosts: 10, targets: 'pi' })).toBe('10 Pi')
    expect(hostsLabel({ hosts: 1000, forks: 200 })).toBe('1000 f200')
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
    expect(text).not.toContain('NODE_EXTRA_CA_CERTS')
  })

  it('says when NODE_EXTRA_CA_CERTS made every engine read the CA bundle at its start', () => {
    const machine = { cores: 2, cpu: 'x', memoryGB: 4, os: 'D', node: 'v20', ansible: 'a', commit: 'c' }
    const text = markdown({
      date: '2026-01-01T00:00:00Z',
      machine: { ...machine, loadAverageAtStart: [0], nodeExtraCaCerts: true },
      config: { runs: 3, forks: 10 },
      tasksPerHost: 30,
      cases: [],
      ratios: [],
      startup: [],
      facts: [],
      goals: [],
      mismatches: [],
    })
    expect(text).toContain('NODE_EXTRA_CA_CERTS was set: every Node.js process')
  })
})

describe('Pi-speed calibration', () => {
  it('divides the Pi 4 figure by the events per CPU second measured here', () => {
    const out = 'CPU speed:\n    events per second:  700\n    total number of events:              5520\n\n1.98 0.02\n'
    expect(shareFrom(out)).toMatchObject({ share: 0.535, eventsPerCpuSec: 2760 })
    expect(shareFrom('no figures').share).toBe(0.5)
  })
})

describe('benchHosts', () => {
  const host = (i: number) => ({ name: `t${i}`, host: '127.0.0.1', port: 2000 + i, pid: i, hostKey: '' })
  const fleet = { hosts: [1, 2, 3].map(host) } as Parameters<typeof benchHosts>[0]
  it('spreads more names than listeners round-robin, one name each', () => {
    expect(benchHosts(fleet, 2).map((h) => h.name)).toEqual(['t1', 't2'])
    const many = benchHosts(fleet, 7)
    expect(many.map((h) => `${h.name}:${h.port}`)).toEqual([
      'h1:2001',
      'h2:2002',
      'h3:2003',
      'h4:2001',
      'h5:2002',
      'h6:2003',
      'h7:2001',
    ])
  })
})
