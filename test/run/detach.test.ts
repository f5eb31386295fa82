/**
 * `poll: 0` for modules other than command/shell: which modules qualify, and the plan's commands run for real as
 * one detached job on this machine (in a temporary HOME), read back by async_status as the runner's tasks do.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { fireAndForgetRefusal, NO_ASYNC } from '../../engine/load/fireforget.js'
import { startJob } from '../../engine/run/async.js'
import { detachedDef, jobCommand, jobResults, type JobFinisher } from '../../engine/run/detach.js'
import type { Command } from '../../engine/types.js'
import { loadAllModules, moduleData } from '../../modules/registry.js'
import asyncStatus, { parseStatus } from '../../modules/async_status.js'
import lineinfile from '../../modules/lineinfile.js'
import { JOB_STATUS } from '../../modules/lib/jobs.js'
import { localIO, runWith, testCtx } from '../helpers/module-ctx.js'
import { defineModule, type ModuleDef } from '../../engine/module.js'
import { Type } from '@sinclair/typebox'
import { UserErrors } from '../../engine/errors.js'
import { loadPlaybook } from '../../engine/load/playbook.js'

const home = mkdtempSync(join(tmpdir(), 'tsplay-detach-'))
afterAll(() => rmSync(home, { recursive: true, force: true }))
const io = localIO({ env: { HOME: home } })
let n = 0

/** Wait for job `id` to finish; async_status's result for it. */
async function status(id: string) {
  for (let i = 0; i < 100; i++) {
    const out = (await io.run({ argv: ['sh', '-c', JOB_STATUS, 'sh', id] })).stdout
    const job = parseStatus(out)
    if (job.state === 'finished') return asyncStatus.plan(job, { jid: id, mode: 'status' }, testCtx())
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`job ${id} did not finish`)
}

/** Run `cmds` as one job; async_status's result once it finished. */
async function job(cmds: Command[], unchanged = false) {
  const id = `t${++n}`
  expect(await startJob(io, jobCommand(cmds), id, 30, unchanged)).toMatchObject({ rc: 0 })
  return status(id)
}

describe('fire and forget: which modules', () => {
  it.each([
    ['file', undefined],
    ['lineinfile', undefined],
    ['blockinfile', undefined],
    ['command', undefined],
    ['stat', undefined],
    ['debug', /does not run commands/],
    ['apt_key', /its own steps/],
    ['reboot', undefined],
    ['apt', undefined],
    ['get_url', undefined],
    ['systemd', undefined],
    ['service', undefined],
    ['postgres_user', /user of its own/],
  ])('%s: %s', async (name, want) => {
    const def = (await loadAllModules()).get(name) as ModuleDef
    // the same answer from the module's code and from its entry in the build's table (data only)
    for (const d of [def, moduleData(def) as ModuleDef]) {
      const why = fireAndForgetRefusal(name, d)
      if (want) expect(why).toMatch(want)
      else expect(why).toBeUndefined()
    }
  })
})

describe('fire and forget: the loader', () => {
  const load = async (task: string) => {
    const dir = mkdtempSync(join(home, 'pb-'))
    writeFileSync(join(dir, 'pb.yml'), `- hosts: all\n  tasks:\n    - ${task}\n      async: 60\n      poll: 0\n`)
    try {
      await loadPlaybook(join(dir, 'pb.yml'), { modules: await loadAllModules() })
      return ''
    } catch (e) {
      if (!(e instanceof UserErrors)) throw e
      return e.errors.map((x) => `${x.pos?.line}:${x.pos?.col} ${x.message} ${x.hint}`).join('\n')
    }
  }

  it('takes a module whose plan is its commands, refuses others at "poll" saying why', async () => {
    expect(await load('file: { path: /x, state: touch }')).toBe('')
    expect(await load('lineinfile: { path: /x, line: a }')).toBe('')
    expect(await load('apt: { name: git }')).toBe('')
    // their apply only runs the plan's commands and checks a start after them: the job runs the commands
    expect(await load('systemd: { name: x, state: restarted }')).toBe('')
    expect(await load('service: { name: x, state: restarted }')).toBe('')
    expect(await load('apt_key: { url: "http://k/x.asc" }')).toMatch(
      /^5:13 "poll: 0" \(fire and forget\) with apt_key is not supported by tsplay: it runs its own steps/,
    )
    // Ansible's reboot takes async and runs as without it (engine/run/asyncfields.ts)
    expect(await load('reboot: {}')).toBe('')
  })

  it("loads a module whose Ansible action takes no async: its task fails when it runs, as Ansible's", async () => {
    for (const m of ['copy', 'template', 'fetch', 'raw', 'script', 'unarchive', 'debug', 'set_fact', 'assert'])
      expect(NO_ASYNC.has(m), m).toBe(true)
    for (const m of ['command', 'shell', 'apt', 'uri', 'systemd', 'service', 'reboot', 'stat', 'setup', 'ping'])
      expect(NO_ASYNC.has(m), m).toBe(false)
    expect(await load('copy: { content: a, dest: /x }')).toBe('')
    expect(await load('raw: echo hi')).toBe('')
  })
})

describe('fire and forget: one job of the plan', () => {
  const dir = mkdtempSync(join(home, 'work-'))

  it('runs the commands in order, each with its own input, folder and environment', async () => {
    const r = await job([
      { argv: ['sh', '-c', 'cat > a'], cwd: dir, stdin: 'één\n' },
      { argv: ['sh', '-c', 'cat > "$D/b"; echo "$X"'], env: { D: dir, X: "it's" }, stdin: 'two' },
      { argv: ['cat', join(dir, 'a'), join(dir, 'b')] },
    ])
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('één\n')
    expect(readFileSync(join(dir, 'b'), 'utf8')).toBe('two')
    expect(r).toMatchObject({ changed: true, data: { rc: 0, finished: 1, stdout: "it's\néén\ntwo" } })
  })

  it('stops at the first command that fails, with its exit code; okCodes count as success', async () => {
    const r = await job([
      { argv: ['sh', '-c', 'exit 1'], okCodes: [0, 1] },
      { argv: ['sh', '-c', 'echo x; exit 3'] },
      { argv: ['touch', join(dir, 'never')] },
    ])
    expect(r).toMatchObject({ fail: 'non-zero return code', data: { rc: 3, stdout: 'x' } })
    expect(() => readFileSync(join(dir, 'never'))).toThrow()
  })

  it('an empty plan does nothing and reads back ok', async () => {
    expect(jobCommand([]).argv).toEqual(['true'])
    expect(await job([], true)).toMatchObject({ changed: false, data: { rc: 0, finished: 1 } })
  })

  it('refuses commands that run as a user of their own', () => {
    expect(() => jobCommand([{ argv: ['true'] }, { argv: ['true'], runAs: 'postgres' }])).toThrow(/user of its own/)
  })

  it('a module plans at once and its job changes the host later: changed, then ok on a second round', async () => {
    const path = join(dir, 'conf')
    writeFileSync(path, 'a=1\n')
    const round = async () => {
      let id = ''
      const def = detachedDef(lineinfile, (cmd, unchanged) => startJob(io, cmd, (id = `t${++n}`), 30, unchanged))
      const run = await runWith(def, { path, line: 'b=2' }, testCtx(), io)
      expect(run).toMatchObject({ changed: true, failed: undefined })
      return status(id)
    }
    expect(await round()).toMatchObject({ changed: true, data: { rc: 0 } })
    expect(readFileSync(path, 'utf8')).toBe('a=1\nb=2\n')
    expect(await round()).toMatchObject({ changed: false, data: { rc: 0 } })
  })
})

describe('fire and forget: a module whose result is built after its commands', () => {
  const said = defineModule({
    name: 'said',
    summary: 'test module: two commands, a result from their outputs',
    schema: Type.Object({ word: Type.String(), fail: Type.Optional(Type.Boolean()) }),
    changedWhen: 'always',
    check: 'full',
    example: 'said: { word: hi }',
    gather: async () => ({ before: 'state' }),
    plan: (_s, a) => ({
      commands: [
        { argv: ['sh', '-c', 'printf "%s" "$1"; echo oops >&2', 'sh', a.word] },
        { argv: ['sh', '-c', a.fail ? 'echo no; exit 5' : 'printf "two\\nlines\\n"'] },
      ],
      data: { word: a.word },
    }),
    after: (s, _a, results) => ({
      data: { state: s.before, out: results.map((r) => r.stdout), err: results[0].stderr, n: results.length },
      changed: results[0].stdout === 'hi',
    }),
  })
  const run = async (args: { word: string; fail?: boolean }) => {
    let id = ''
    let finish: JobFinisher | undefined
    const def = detachedDef(
      said,
      (cmd, unchanged) => startJob(io, cmd, (id = `t${++n}`), 30, unchanged),
      (f) => (finish = f),
    )
    expect(await runWith(def, args, testCtx(), io)).toMatchObject({ changed: true, failed: undefined })
    await status(id)
    const out = (await io.run({ argv: ['sh', '-c', JOB_STATUS, 'sh', id] })).stdout
    const job = parseStatus(out)
    return job.state === 'finished' ? (await finish?.(job.log, testCtx(), io))?.data : undefined
  }

  it("registers the module's own result: each command's output and errors apart, then its after step", async () => {
    expect(await run({ word: 'hi' })).toEqual({
      word: 'hi',
      state: 'state',
      out: ['hi', 'two\nlines\n'],
      err: 'oops\n',
      n: 2,
      changed: true,
      failed: false,
    })
    expect(await run({ word: 'ho' })).toMatchObject({ changed: false, failed: false })
  })

  it('stops at the failing command, as a task does', async () => {
    const r = await run({ word: 'hi', fail: true })
    expect(r).toMatchObject({ failed: true, n: 2, out: ['hi', 'no\n'] })
    expect(String(r?.msg)).toBe('sh failed (rc 5): no')
  })

  it('a log cut to its tail holds no result (async_status then reports rc and output)', () => {
    const m = 'tsplay-0123'
    const log = `${m} out\na\n${m} err\n\n${m} rc 0\n${m} out\nb\n${m} err\ne\n${m} rc 2\n`
    expect(jobResults(log, m)).toEqual([
      { rc: 0, stdout: 'a', stderr: '' },
      { rc: 2, stdout: 'b', stderr: 'e' },
    ])
    expect(jobResults(log.slice(5), m)).toBeUndefined()
    expect(jobResults('plain output\n', m)).toBeUndefined()
  })
})
