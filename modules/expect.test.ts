import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import expectMod, { runnerInput, type ExpectState } from './expect.js'
import { localIO, moduleArgs, planOf, runWith, testCtx, type WrittenArgs } from '../test/helpers/module-ctx.js'

const SECRET = 's3cret-answer'
const ready: ExpectState = { startedAt: 0, pexpect: true }
type Row = [string, WrittenArgs<typeof expectMod>, ExpectState, { run?: boolean; fail?: RegExp; skip?: boolean }]
const base = { command: 'passwd alice', responses: { 'New password': SECRET } }
const rows: Row[] = [
  ['runs python3 with pexpect', base, ready, { run: true }],
  ['creates exists: skipped, ok', { ...base, creates: '/x' }, { ...ready, createsExists: true }, { run: false }],
  ['removes missing: skipped, ok', { ...base, removes: '/x' }, { ...ready, removesExists: false }, { run: false }],
  ['no pexpect: fails naming the package', base, { startedAt: 0, pexpect: false }, { fail: /python3-pexpect/ }],
  ['an empty command', { ...base, command: ' ' }, ready, { fail: /no command given/ }],
]

describe('expect plan', () => {
  it.each(rows)('%s', (_n, args, state, want) => {
    const plan = planOf(expectMod, state, args)
    if (want.fail) return expect(plan.fail).toMatch(want.fail)
    expect(plan.fail).toBeUndefined()
    expect(plan.commands).toHaveLength(want.run ? 1 : 0)
    if (!want.run) expect(plan.msg).toMatch(/^skipped, since \/x/)
  })

  it('keeps the answers out of argv: they travel over a secret stdin', () => {
    const [cmd] = planOf(expectMod, ready, base).commands
    expect(cmd!.argv.join(' ')).not.toContain(SECRET)
    expect(cmd!.secretStdin).toBe(true)
    expect(cmd!.stdin).toContain(SECRET)
    expect(cmd!.describe).toBe('passwd alice')
  })

  it('skips in check mode, as Ansible does for a module without check mode', () => {
    expect(planOf(expectMod, ready, base, testCtx({ checkMode: true })).skip).toMatch(/check mode/)
  })

  it('writes answers as Python would', () => {
    const args = moduleArgs(expectMod, { command: 'x', responses: { a: true, b: [1, 'two'] }, timeout: null })
    expect(JSON.parse(runnerInput(args))).toEqual({
      command: 'x',
      responses: { a: 'True', b: ['1', 'two'] },
      timeout: null,
      echo: false,
      chdir: null,
    })
  })
})

/** Debian's python3 with pexpect (a pyenv python on PATH may lack it). */
const hasPexpect = (() => {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import pexpect'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

describe.skipIf(!hasPexpect)('expect on this machine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-expect-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const io = localIO({ env: { PATH: '/usr/bin:/bin' } })
  const run = (args: WrittenArgs<typeof expectMod>) => runWith(expectMod, args, testCtx({ diffMode: false }), io)
  // a program asking two questions, the second twice
  const prompt = (out: string) =>
    `sh -c 'printf "Name? "; read n; printf "Pin? "; read p; printf "Pin? "; read q; ` +
    `printf "%s %s %s" "$n" "$p" "$q" > ${out}; echo done'`

  it('answers prompts, a list in turn, and hides the answers unless echo', async () => {
    const out = join(dir, 'answers')
    const r = await run({ command: prompt(out), responses: { 'Name\\?': 'ann', 'Pin\\?': [SECRET, '42'] } })
    expect(r.failed, r.msg).toBeUndefined()
    expect(r.changed).toBe(true)
    expect(readFileSync(out, 'utf8')).toBe(`ann ${SECRET} 42`)
    expect(r.data.stdout).not.toContain(SECRET)
    expect(r.data).toMatchObject({ rc: 0, cmd: prompt(out) })
    const echoed = await run({
      command: prompt(out),
      responses: { 'Name\\?': 'ann', 'Pin\\?': ['1', '2'] },
      echo: true,
    })
    expect(echoed.data.stdout).toContain('ann')
  }, 60_000)

  it('reports the exit code of a command that exits at once (pexpect.run may call it a timeout)', async () => {
    for (let i = 0; i < 10; i++) {
      const r = await run({ command: 'true', responses: {} })
      expect([r.failed, r.data.rc]).toEqual([undefined, 0])
    }
  }, 60_000)

  it('fails when a list runs out, on a non-zero rc, on a timeout; creates skips', async () => {
    const short = await run({ command: prompt(join(dir, 'x')), responses: { 'Name\\?': 'a', 'Pin\\?': ['1'] } })
    expect(short.failed).toMatch(/No remaining responses for 'Pin\\\?'/)
    // a command that ignores the hang-up would read end-of-file as its answer and go on: it is killed first
    const deaf = await run({
      command: `sh -c 'trap "" HUP; ${prompt(join(dir, 'deaf')).slice(7)}`,
      responses: { 'Name\\?': 'a', 'Pin\\?': ['1'] },
    })
    expect([deaf.failed !== undefined, existsSync(join(dir, 'deaf'))]).toEqual([true, false])
    const rc = await run({ command: 'sh -c "exit 3"', responses: {} })
    expect([rc.failed, rc.data.rc]).toEqual(['non-zero return code', 3])
    const slow = await run({ command: 'sleep 5', responses: {}, timeout: 1 })
    expect(slow.failed).toBe('command exceeded timeout')
    const skip = await run({ command: 'false', responses: {}, creates: 'answers', chdir: dir })
    expect([skip.failed, skip.changed, existsSync(join(dir, 'answers'))]).toEqual([undefined, false, true])
  }, 60_000)
})
