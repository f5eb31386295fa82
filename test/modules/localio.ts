/**
 * A HostIO that runs commands on THIS machine through the real quoting path (`renderCommand` → `/bin/sh -c`),
 * for module tests that need a real shell and real files but no SSH. Not a mock: every command really runs.
 *
 * @example
 * ```ts
 * const facts = await copy.gather(args, localContext(), localIO())
 * ```
 */
import { spawn, spawnSync } from 'node:child_process'
import { renderCommand } from '../../engine/ssh/quote.js'
import type { HostIO, ModuleContext } from '../../engine/module.js'
import type { Command, CommandResult } from '../../engine/types.js'

/** Run one command locally exactly as a host would get it. */
export function runLocal(cmd: Command): CommandResult {
  const r = spawnSync('/bin/sh', ['-c', renderCommand(cmd)], { input: cmd.stdin ?? '', encoding: 'utf8' })
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
    child.on('error', reject)
    child.on('close', (code) => resolve({ rc: code ?? 128, stdout, stderr }))
    child.stdin.end(cmd.stdin ?? '')
  })
}

/** A HostIO over `runLocal`; `log` collects every command run (to assert on round trips). */
export function localIO(log: Command[][] = []): HostIO {
  return {
    run: async (cmd) => {
      log.push([cmd])
      return runLocal(cmd)
    },
    batch: async (cmds) => {
      log.push([...cmds])
      return cmds.map(runLocal)
    },
    reconnect: async () => {},
  }
}

/** A module context for local tests. */
export function localContext(over: Partial<ModuleContext> = {}): ModuleContext {
  return {
    host: 'local',
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

/** Run a plan's commands in order (the default apply), stopping at the first failure. */
export function applyLocal(cmds: readonly Command[]): CommandResult[] {
  const out: CommandResult[] = []
  for (const c of cmds) {
    const r = runLocal(c)
    out.push(r)
    if (!(c.okCodes ?? [0]).includes(r.rc)) break
  }
  return out
}
