/**
 * The JSON reporter (`--json`): one JSON object per line on stdout — one per task result
 * `{"type":"task","play","task","host","status","msg"?,"diff"?}` and a last line `{"type":"recap","hosts":{…}}`.
 */
import type { EngineEvent, Reporter } from '../events.js'

export class JsonReporter implements Reporter {
  /** Lines of the running task, written in one go when it ends (one write per task, not per host). */
  private buffer: string[] = []
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
        this.write(JSON.stringify({ type: 'recap', hosts: ev.recap, interrupted: ev.interrupted }) + '\n')
        this.flush()
        break
    }
  }
}
