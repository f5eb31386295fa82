/**
 * Module tests call modules the way the runner does: the arguments go through the engine's one resolution
 * (`moduleArgs`: aliases, checks, defaults) and a whole call through `runModule` (engine/run/module-call.ts). This
 * file only supplies what a test stands in for: a module context, and a HostIO — `scriptedIO` answers from a table
 * of real command output captured on Debian hosts (to test gather's parsing), `localIO` really runs every command
 * on this machine through the real quoting path (`renderCommand` → `/bin/sh -c`), optionally as another user.
 *
 * @example
 * ```ts
 * expect(planOf(apt, facts, { name: 'make' }).changes).toEqual(['install make 4.3-4.1'])
 * const r = await runWith(copy, { content: 'x', dest }, testCtx(), localIO())
 * ```
 */
import { spawn, spawnSync } from 'node:child_process'
import type { Static, TSchema } from '@sinclair/typebox'
import { expect } from 'vitest'
import type { HostIO, ModuleContext, ModuleDef, Plan } from '../../engine/module.js'
import { resolveArgs } from '../../engine/load/args.js'
import { moduleArgs, runModule, type ModuleRun } from '../../engine/run/module-call.js'
import { renderCommand } from '../../engine/ssh/quote.js'
import type { Command, CommandResult } from '../../engine/types.js'

export { moduleArgs }

/** The arguments of a module as a task writes them (defaults optional). */
export type WrittenArgs<D> = D extends { schema: infer S extends TSchema } ? Static<S> & Record<string, unknown> : never

/** A context for calling a module (diff mode on, so file modules also read what they replace). */
export function testCtx(over: Partial<ModuleContext> = {}): ModuleContext {
  return {
    host: 'node1',
    vars: {},
    checkMode: false,
    diffMode: true,
    searchPaths: [],
    render: (t) => t,
    log: () => {},
    signal: new AbortController().signal,
    ...over,
  }
}

/**
 * Arguments as a playbook may write them (aliases, `yes`/`no`, digit strings), resolved as the runner resolves
 * them; checked at run time only, so use it for what the typed `Static<S>` cannot spell.
 */
export function playbookArgs<S extends TSchema, F>(def: ModuleDef<S, F>, written: Record<string, unknown>) {
  return resolveArgs(def, written, { file: 'test.yml', line: 1, col: 1 })
}

/** args + facts → plan: the table-driven module test. */
export function planOf<S extends TSchema, F>(
  def: ModuleDef<S, F>,
  facts: F,
  written: Static<S> & Record<string, unknown>,
  ctx: ModuleContext = testCtx(),
): Plan {
  return def.plan(facts, moduleArgs(def, written), ctx)
}

/** What `gather` finds for these arguments. */
export function gatherOf<S extends TSchema, F>(
  def: ModuleDef<S, F>,
  written: Static<S> & Record<string, unknown>,
  ctx: ModuleContext,
  io: HostIO,
): Promise<F> {
  return def.gather(moduleArgs(def, written), ctx, io)
}

/** A whole module call, as the runner makes it (gather, plan, apply unless `ctx.checkMode`, after). */
export function runWith<S extends TSchema, F>(
  def: ModuleDef<S, F>,
  written: Static<S> & Record<string, unknown>,
  ctx: ModuleContext,
  io: HostIO,
): Promise<ModuleRun<F>> {
  return runModule(def, moduleArgs(def, written), ctx, io)
}

/**
 * Run the module on this machine as the runner does (diff mode off), check it worked with nothing on stderr, then
 * plan again: the first plan and the second (which must be empty for a module that converges).
 */
export async function converge<S extends TSchema, F>(
  def: ModuleDef<S, F>,
  written: Static<S> & Record<string, unknown>,
): Promise<{ p1: Plan; p2: Plan }> {
  const ctx = testCtx({ diffMode: false })
  const first = await runWith(def, written, ctx, localIO())
  expect(first.failed, first.msg).toBeUndefined()
  expect(first.results.map((r) => r.stderr).join('')).toBe('')
  const again = planOf(def, await gatherOf(def, written, ctx, localIO()), written, ctx)
  return { p1: first.plan, p2: again }
}

export const ok = (stdout = ''): CommandResult => ({ rc: 0, stdout, stderr: '' })

/** A HostIO answering each command by the first rule whose pattern matches `argv.join(' ')`; records commands. */
export function scriptedIO(rules: [RegExp, CommandResult][]): HostIO & { seen: Command[] } {
  const seen: Command[] = []
  const answer = (cmd: Command): CommandResult => {
    seen.push(cmd)
    const line = cmd.argv.join(' ')
    const hit = rules.find(([re]) => re.test(line))
    if (!hit) throw new Error(`unexpected command: ${line}`)
    return hit[1]
  }
  return {
    seen,
    run: async (cmd) => answer(cmd),
    batch: async (cmds) => cmds.map(answer),
    reconnect: async () => {},
  }
}

/** How `localIO` runs commands. */
export interface LocalOptions {
  /** Run every command as this user (`runuser`), or as the command's own `runAs` (a task's `become_user`). */
  become?: string
  /** Environment added to every command. */
  env?: Record<string, string>
  /** Every round trip, in order (to assert on batching). */
  log?: Command[][]
}

/** Run one command on this machine exactly as a host would get it. */
export function runLocal(cmd: Command, opts: LocalOptions = {}): CommandResult {
  const text = renderCommand({ ...cmd, runAs: undefined })
  const user = cmd.runAs ?? opts.become
  const argv = user ? ['runuser', '-u', user, '--', '/bin/sh', '-c', text] : ['/bin/sh', '-c', text]
  const r = spawnSync(argv[0], argv.slice(1), {
    input: cmd.stdin ?? '',
    encoding: 'utf8',
    ...(user ? { cwd: '/' } : {}),
    env: { ...process.env, ...opts.env },
  })
  return { rc: r.status ?? 128, stdout: r.stdout, stderr: r.stderr }
}

/** Like `runLocal`, without blocking the event loop (for tests that serve something in-process). */
export function runLocalAsync(cmd: Command): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', renderCommand(cmd)], { stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.stdin.on('error', () => {}) // a command that exits before reading its stdin
    child.on('error', reject)
    child.on('close', (code) => resolve({ rc: code ?? 128, stdout, stderr }))
    child.stdin.end(cmd.stdin ?? '')
  })
}

/** A HostIO over `runLocal`: not a mock, every command really runs. */
export function localIO(opts: LocalOptions = {}): HostIO {
  return {
    run: async (cmd) => {
      opts.log?.push([cmd])
      return runLocal(cmd, opts)
    },
    batch: async (cmds) => {
      opts.log?.push([...cmds])
      return cmds.map((c) => runLocal(c, opts))
    },
    reconnect: async () => {},
  }
}

/** A HostIO over `runLocalAsync`: the event loop keeps running (a server in the test process can answer). */
export function localAsyncIO(): HostIO {
  return {
    run: (cmd) => runLocalAsync(cmd),
    batch: (cmds) => Promise.all(cmds.map(runLocalAsync)),
    reconnect: async () => {},
  }
}
