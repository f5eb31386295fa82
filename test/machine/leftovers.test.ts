/**
 * The leftovers registry (test/helpers/leftovers.ts) in a private folder, as any user: what a process records is
 * removed once it is dead — by a sweep, once — and kept for its run's final check; a live owner's things are
 * left alone; a dead owner whose pid was reused (another start time) counts as dead.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { liveEntries, none, ownerAlive, startTime, sweepDead } from '../helpers/leftovers.js'

describe('leftovers registry', () => {
  const base = mkdtempSync(join(tmpdir(), 'tsplay-registry-'))
  const saved = process.env.TSPLAY_TEST_REGISTRY
  beforeAll(() => {
    process.env.TSPLAY_TEST_REGISTRY = join(base, 'registry')
  })
  afterAll(() => {
    if (saved === undefined) delete process.env.TSPLAY_TEST_REGISTRY
    else process.env.TSPLAY_TEST_REGISTRY = saved
    rmSync(base, { recursive: true, force: true })
  })

  /** A registry entry for `pid` owning `dir`, written as track() would. */
  function entry(pid: number, start: string, dir: string, run = 'r1'): void {
    const owners = join(base, 'registry', 'owners')
    mkdirSync(owners, { recursive: true })
    const things = { ...none(), dirs: [dir] }
    writeFileSync(join(owners, `${pid}-${start}.json`), JSON.stringify({ pid, start, run, ...things, made: things }))
  }

  it('knows a live process by pid and start time', () => {
    expect(ownerAlive({ pid: process.pid, start: startTime(process.pid) })).toBe(true)
    expect(ownerAlive({ pid: process.pid, start: '1' })).toBe(false) // same pid, another process
  })

  it("removes a dead owner's things once and keeps the record for its run", () => {
    const child = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' })
    const dead = Number(child.stdout.trim())
    const dir = join(base, 'made-by-dead')
    mkdirSync(dir)
    writeFileSync(join(dir, 'f'), 'x')
    entry(dead, '12345', dir)
    expect(sweepDead()).toBe(1)
    expect(existsSync(dir)).toBe(false)
    expect(sweepDead()).toBe(0)
    const kept = readdirSync(join(base, 'registry', 'swept', 'r1'))
    expect(kept).toEqual([`${dead}-12345.json`])
    expect(JSON.parse(readFileSync(join(base, 'registry', 'swept', 'r1', kept[0]), 'utf8')).made.dirs).toEqual([dir])
  })

  it("leaves a live owner's things alone", () => {
    const dir = join(base, 'made-by-me')
    mkdirSync(dir)
    entry(process.pid, startTime(process.pid), dir, 'r2')
    expect(sweepDead()).toBe(0)
    expect(existsSync(dir)).toBe(true)
    expect(liveEntries().map((e) => e.run)).toEqual(['r2'])
  })
})
