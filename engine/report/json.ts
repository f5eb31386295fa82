/**
 * The JSON reporter (`--json`): one JSON object per line on stdout — one per task result
 * `{"type":"task","play","task","host","status","msg"?,"diff"?}` and a last line `{"type":"recap","hosts":{…}}` (with
 * `set_stats`' stats, when it recorded any, as Ansible's JSON callback gives them: `"custom_stats"` per host and
 * `"global_custom_stats"` for the whole run).
 */
import type { EngineEvent, Reporter } from '../events.js'

export class JsonReporter implements Reporter {
  /** Lines of the running task, written in one go when it ends (one write per task, not per host). */
  private buffer: string[] = []
  /** Log lines are not part of the JSON output. */
  readonly logLevel = -1
  constructor(private readonly out: (text: string) => void = (t) => process.stdout.write(t)) {}

  private write(line: string): void {
    this.buffer.push(line)
    if (this.buffer.length >= 1000) this.flush()
  }

  private flush(): void {
    if (this.buffer.length === 0) return
    this.out(this.buffer.join(''))
    this.buffer = []
  }

  close(): void {
    this.flush()
  }

  handle(ev: EngineEvent): void {
    switch (ev.type) {
      case 'task.end':
      case 'play.end':
        this.flush()
        break
      case 'task.result': {
        const r = ev.result
        const line: Record<string, unknown> = {
          type: 'task',
          play: ev.play,
          task: ev.task,
          host: ev.host,
          status: r.status,
        }
        if (ev.handler) line.handler = true
        if (r.msg) line.msg = r.msg
        if (r.status === 'failed' && r.ignored) line.ignored = true
        if (r.status === 'changed' && r.diff) line.diff = r.diff
        if (r.status === 'changed' && r.changes) line.changes = r.changes
        if (r.data && Object.keys(r.data).length) line.result = r.data
        this.write(JSON.stringify(line) + '\n')
        break
      }
      case 'warning':
        this.write(JSON.stringify({ type: 'warning', msg: ev.msg }) + '\n')
        break
      case 'run.end':
        this.write(
          JSON.stringify({
            type: 'recap',
            hosts: ev.recap,
            interrupted: ev.interrupted,
            ...(ev.customStats ? customStats(ev.customStats) : {}),
          }) + '\n',
        )
        this.flush()
        break
    }
  }
}

/** Per-host stats and the run's (`_run`), under the keys Ansible's JSON callback uses. */
function customStats(all: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const { _run: global, ...hosts } = all
  return { custom_stats: hosts, global_custom_stats: global ?? {} }
}
