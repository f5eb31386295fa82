/**
 * Test helpers for module unit tests: a module context and a scripted HostIO that answers commands
 * from a table of real command output captured on Debian hosts (used to test gather's parsing, not SSH).
 *
 * @example
 * ```ts
 * const io = scriptedIO([[/^dpkg-query/, { rc: 0, stdout: 'git\tii \t1:2.39\n', stderr: '' }]])
 * ```
 */
import type { HostIO, ModuleContext } from '../../engine/module.js'
import type { Command, CommandResult } from '../../engine/types.js'

/** A context for calling gather/plan directly. */
export function testCtx(over: Partial<ModuleContext> = {}): ModuleContext {
  return {
    host: 'node1',
    vars: {},
    checkMode: false,
    diffMode: false,
    searchPaths: [],
    render: (t) => t,
    log: () => {},
    signal: new AbortController().signal,
    ...over,
  }
}

const ok = (stdout = ''): CommandResult => ({ rc: 0, stdout, stderr: '' })
export { ok }

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
