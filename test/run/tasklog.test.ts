/**
 * What a task's commands log through `taskIO` (engine/run/hosts.ts): the command at level 1, its exit code and
 * output at level 2, only the levels the log says it wants (no line is built for nobody), every level for a log
 * that does not say. Runs real commands on this machine (the local connector, as the controller's own user).
 */
import { describe, expect, it } from 'vitest'
import { sh } from '../../engine/commands.js'
import { LocalConnector } from '../../engine/local/connector.js'
import { taskIO, type TaskLog } from '../../engine/run/hosts.js'

const local = new LocalConnector('localhost')

/** A log that records what it was given; `upTo`: the most verbose level it wants (undefined: it does not say). */
function recorder(upTo?: number): { log: TaskLog; lines: Array<[number, string]> } {
  const lines: Array<[number, string]> = []
  const log: TaskLog = (line, level = 1) => void lines.push([level, line])
  if (upTo !== undefined) log.wants = (level) => level <= upTo
  return { log, lines }
}

describe('taskIO logging', () => {
  const cases: Array<{ name: string; upTo?: number; levels: number[] }> = [
    { name: 'a log that wants nothing gets nothing', upTo: 0, levels: [] },
    { name: '-v: the commands', upTo: 1, levels: [1, 1] },
    { name: '-vv: the commands, exit codes and output', upTo: 2, levels: [1, 1, 2, 2, 2] },
    { name: 'a log that does not say gets every level', levels: [1, 1, 2, 2, 2] },
  ]
  for (const c of cases) {
    it(c.name, async () => {
      const { log, lines } = recorder(c.upTo)
      const io = taskIO(local, {}, log)
      const [one, two] = await io.batch([sh('echo hello'), sh('exit 3')])
      expect([one.rc, one.stdout, two.rc]).toEqual([0, 'hello\n', 3])
      // batch logs each command (level 1); run logs its command, then rc and output (level 2)
      const r = await io.run(sh('echo out; echo err >&2'))
      expect(r.stdout).toBe('out\n')
      const want = c.levels.length ? [...c.levels.slice(0, 2), 1, ...c.levels.slice(2)] : []
      expect(lines.map(([l]) => l)).toEqual(want)
      if (c.upTo === undefined) expect(lines.slice(3).map(([, t]) => t)).toEqual(['rc=0', 'stdout: out', 'stderr: err'])
    })
  }
})
