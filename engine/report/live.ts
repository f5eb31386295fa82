/**
 * The live terminal view (listr2): per task, each host's state with a spinner and elapsed time while it runs,
 * the last output line of long builds, and the Ansible recap at the end. Used only on a terminal.
 * listr2 is loaded lazily, so other outputs and `--help` do not pay for it.
 */
import type { EngineEvent, Reporter } from '../events.js'
import type { TaskResult } from '../types.js'
import { header, recapLines, unifiedDiff } from './format.js'
import { resultLines } from './plain.js'

interface HostSlot {
  resolve: (r: TaskResult) => void
  output: (line: string) => void
}

/** Options for the live reporter. */
export interface LiveOptions {
  verbosity: number
  diff: boolean
}

export class LiveReporter implements Reporter {
  private chain: Promise<void> = Promise.resolve()
  private slots = new Map<string, HostSlot>()
  private pendingLogs = new Map<string, string>()

  constructor(private readonly o: LiveOptions) {}

  private print(text: string): void {
    this.chain = this.chain.then(() => void process.stdout.write(text))
  }

  handle(ev: EngineEvent): void {
    switch (ev.type) {
      case 'play.start':
        this.print(`\n${header('PLAY', ev.play)}\n`)
        break
      case 'task.start':
        this.startTask(ev.task, ev.hosts, ev.handler)
        break
      case 'host.log':
        // progress (level 0) always; commands (1) as a transient line; command output only with -vv
        if (ev.level > Math.max(1, this.o.verbosity)) break
        if (this.slots.has(ev.host)) this.slots.get(ev.host)!.output(ev.line)
        else this.pendingLogs.set(ev.host, ev.line)
        break
      case 'task.result': {
        const slot = this.slots.get(ev.host)
        if (slot) slot.resolve(ev.result)
        break
      }
      case 'warning':
        this.print(`[WARNING]: ${ev.msg}\n`)
        break
      case 'run.end':
        this.print(`\n${header('PLAY RECAP', '').replace(' [] ', ' ')}\n${recapLines(ev.recap).join('\n')}\n`)
        break
    }
  }

  private startTask(task: string, hosts: string[], handler: boolean): void {
    const deferred = new Map<string, { promise: Promise<TaskResult>; slot: HostSlot }>()
    for (const h of hosts) {
      let resolve!: (r: TaskResult) => void
      const promise = new Promise<TaskResult>((r) => (resolve = r))
      const slot: HostSlot = { resolve, output: () => undefined }
      deferred.set(h, { promise, slot })
      this.slots.set(h, slot)
    }
    const o = this.o
    this.chain = this.chain.then(async () => {
      const { Listr, PRESET_TIMER } = await import('listr2')
      const extra: string[] = []
      const list = new Listr(
        hosts.map((h) => ({
          title: h,
          task: async (_: unknown, t: { title: string; output: string; skip: (m?: string) => void }) => {
            const d = deferred.get(h)!
            d.slot.output = (line) => (t.output = line)
            const early = this.pendingLogs.get(h)
            if (early) t.output = early
            const r = await d.promise
            const msg = r.status === 'ok' || r.status === 'changed' ? (r.msg ?? (typeof r.data.msg === 'string' ? r.data.msg : '')) : ''
            t.title = `${h}: ${r.status}${msg ? ` => ${msg.split('\n')[0].slice(0, 160)}` : ''}`
            if (o.diff && r.status === 'changed' && r.diff) extra.push(...r.diff.map(unifiedDiff))
            if (r.status === 'skipped') t.skip(`${h}: skipped`)
            else if (r.status === 'failed' || r.status === 'unreachable') {
              extra.push(...resultLines(r, o))
              if (!(r.status === 'failed' && r.ignored)) throw new Error(r.msg)
            }
          },
        })),
        {
          concurrent: true,
          exitOnError: false,
          rendererOptions: { collapseErrors: false, timer: PRESET_TIMER },
        },
      )
      process.stdout.write(`${header(handler ? 'RUNNING HANDLER' : 'TASK', task)}\n`)
      await list.run().catch(() => undefined)
      if (extra.length) process.stdout.write(extra.join('\n') + '\n')
    })
  }

  async close(): Promise<void> {
    await this.chain
  }
}
