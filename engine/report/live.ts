/**
 * The live terminal view (listr2): per task, a row per host with a spinner and elapsed time while it runs, the
 * last output line of long builds, and the Ansible recap at the end. Used only on a terminal. A task on more
 * than `LIVE_ROWS_MAX` hosts is one row counting results instead (failures listed under it when it ends).
 *
 * Every row ends, whatever results arrive: a row ends with its host's result, and `task.end` ends the rows no
 * result came for ("no result"); `run.end` and `close()` end whatever is still open (an interrupted or failed
 * run), so the view can never wait forever. Ctrl-C is left to the CLI (listr2's own handler, which exits 127
 * without a recap, is off). listr2 is loaded lazily, so other outputs and `--help` do not pay for it.
 */
import type { EngineEvent, Reporter } from '../events.js'
import type { TaskResult } from '../types.js'
import { header, recapLines, unifiedDiff } from './format.js'
import { interruptedNote, resultLines } from './plain.js'

/** Options for the live reporter. */
export interface LiveOptions {
  verbosity: number
  diff: boolean
}

/** One host's row of a task: ended by its result, or by the task's end without one. */
interface Row {
  host: string
  line?: string
  /** Set once the row is on screen: shows a new output line. */
  show?: (line: string) => void
  end: (r: TaskResult | undefined) => void
  done: Promise<TaskResult | undefined>
  ended: boolean
}

/** One task (or handler) on screen: its rows, in the order the engine announced the hosts. */
interface View {
  task: string
  handler: boolean
  rows: Map<string, Row>
  /** Lines printed under the rows when the task is over (failures, diffs, results for hosts not announced). */
  extra: string[]
}

/**
 * Text made safe for a row of the view: its last non-blank line, tabs as spaces, no control characters or escape
 * sequences, cut to the screen's width. The view redraws by counting lines: a tab or an over-long line that the
 * terminal draws wider than counted leaves stale rows behind.
 */
export function screenLine(text: string, width = (process.stdout.columns ?? 80) - 8): string {
  const lines = text.split(/\r\n|\r|\n/).filter((l) => l.trim())
  const clean = (lines.at(-1) ?? '')
    // eslint-disable-next-line no-control-regex -- ANSI escape sequences are what this strips
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/\t/g, ' ')
    // eslint-disable-next-line no-control-regex -- control characters are what this strips
    .replace(/[\x00-\x1f\x7f-\x9f]/g, '')
  const max = Math.max(20, width)
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean
}

/** Above this many hosts a task is shown as one counting row, not a row per host. */
export const LIVE_ROWS_MAX = 40

/**
 * The counting row of a task with many hosts: `412/1000 hosts done: ok 300, changed 100, failed 12`.
 *
 * @example
 * ```ts
 * tally(3, [okResult, undefined]) // → '2/3 hosts done: ok 1, no result 1'
 * ```
 */
export function tally(total: number, got: readonly (TaskResult | undefined)[]): string {
  const n = new Map<string, number>()
  for (const r of got) {
    const k = !r ? 'no result' : r.status === 'failed' && r.ignored ? 'failed (ignored)' : r.status
    n.set(k, (n.get(k) ?? 0) + 1)
  }
  const order = ['ok', 'changed', 'skipped', 'failed', 'failed (ignored)', 'unreachable', 'no result']
  const parts = order.filter((k) => n.has(k)).map((k) => `${k} ${n.get(k)}`)
  return `${got.length}/${total} hosts done${parts.length ? `: ${parts.join(', ')}` : ''}`
}

function newRow(host: string): Row {
  let end!: (r: TaskResult | undefined) => void
  const done = new Promise<TaskResult | undefined>((r) => (end = r))
  const row: Row = {
    host,
    end: (r) => {
      if (!row.ended) {
        row.ended = true
        end(r)
      }
    },
    done,
    ended: false,
  }
  return row
}

export class LiveReporter implements Reporter {
  private chain: Promise<void> = Promise.resolve()
  /** Tasks whose `task.end` has not come yet, oldest first (several at once under `strategy: free`). */
  private open: View[] = []

  constructor(private readonly o: LiveOptions) {}

  /** Commands show as transient lines even without -v; their output with -vv. */
  get logLevel(): number {
    return Math.max(1, this.o.verbosity)
  }

  private print(text: string): void {
    this.chain = this.chain.then(() => void process.stdout.write(text))
  }

  /** The open row of `host` (the oldest, if `task` is not given or matches none). */
  private row(host: string, task?: string): { view: View; row: Row } | undefined {
    const found = this.open.flatMap((view) => {
      const row = view.rows.get(host)
      return row && !row.ended ? [{ view, row }] : []
    })
    return found.find((f) => f.view.task === task) ?? found[0]
  }

  handle(ev: EngineEvent): void {
    switch (ev.type) {
      case 'play.start':
        this.print(`\n${header('PLAY', ev.play)}\n`)
        break
      case 'task.start':
        this.startTask(ev.task, ev.hosts, ev.handler)
        break
      case 'host.log': {
        // progress (level 0) always; commands (1) as a transient line; command output only with -vv
        if (ev.level > Math.max(1, this.o.verbosity)) break
        const f = this.row(ev.host, ev.task)
        if (f) {
          f.row.line = screenLine(ev.line)
          f.row.show?.(f.row.line)
        }
        break
      }
      case 'task.result': {
        const f = this.row(ev.host, ev.task)
        if (f && f.view.task === ev.task) f.row.end(ev.result)
        else
          this.open
            .find((v) => v.task === ev.task)
            ?.extra.push(...resultLines(ev.result, { ...this.o, verbosity: Math.max(1, this.o.verbosity) }))
        break
      }
      case 'task.end':
        this.endTask(ev.task)
        break
      case 'warning':
        this.print(`[WARNING]: ${ev.msg}\n`)
        break
      case 'run.end':
        this.endAll()
        this.print(`\n${header('PLAY RECAP', '').replace(' [] ', ' ')}\n${recapLines(ev.recap).join('\n')}\n`)
        if (ev.interrupted) this.print(`\n${interruptedNote}\n`)
        break
    }
  }

  /** End a task: its rows without a result end as "no result". Under `strategy: free` several tasks of one
   * name may be open: the one whose rows all have results is the one that ended. */
  private endTask(task: string): void {
    const same = this.open.filter((v) => v.task === task)
    const view = same.find((v) => [...v.rows.values()].every((r) => r.ended)) ?? same[0]
    if (!view) return
    for (const r of view.rows.values()) r.end(undefined)
    this.open.splice(this.open.indexOf(view), 1)
  }

  private endAll(): void {
    for (const v of this.open) for (const r of v.rows.values()) r.end(undefined)
    this.open = []
  }

  private startTask(task: string, hosts: string[], handler: boolean): void {
    const view: View = { task, handler, rows: new Map(hosts.map((h) => [h, newRow(h)])), extra: [] }
    this.open.push(view)
    this.chain = this.chain.then(() => this.render(view))
  }

  /** Show one task's rows until each has ended (runs in order on the chain: one task on screen at a time). */
  private async render(view: View): Promise<void> {
    // the header first, at once: the engine may go on to work that holds the thread (a Python plugin's call)
    // before the view's module is loaded
    process.stdout.write(`${header(view.handler ? 'RUNNING HANDLER' : 'TASK', view.task)}\n`)
    const { Listr, PRESET_TIMER } = await import('listr2')
    const o = this.o
    type Wrapper = { title: string; output: string; skip: (m?: string) => void }
    const options = {
      concurrent: true,
      exitOnError: false,
      registerSignalListeners: false, // Ctrl-C belongs to the CLI: finish, print the recap, exit 130
      // the message: once, below
      rendererOptions: { collapseErrors: false, showErrorMessage: false, timer: PRESET_TIMER },
    }
    /** What a result leaves under the task: its diff, the report of a failure. */
    const keep = (r: TaskResult): void => {
      if (r.status === 'changed' && r.diff) view.extra.push(...r.diff.map(unifiedDiff))
      if (r.status === 'failed' || r.status === 'unreachable') view.extra.push(...resultLines(r, o))
    }
    const rows = [...view.rows.values()]
    // many hosts: one counting row instead of a row each (a screen cannot show them); problems listed below
    const counting = () => ({
      title: tally(rows.length, []),
      task: async (_: unknown, t: Wrapper) => {
        const got: (TaskResult | undefined)[] = []
        await Promise.all(
          rows.map(async (row) => {
            const r = await row.done
            got.push(r)
            t.title = tally(rows.length, got)
            if (r) keep(r)
          }),
        )
      },
    })
    const hostRow = (row: Row) => ({
      title: row.host,
      task: async (_: unknown, t: Wrapper) => {
        row.show = (line) => (t.output = line)
        if (row.line) t.output = row.line
        const r = await row.done
        row.show = undefined
        if (!r) return t.skip(`${row.host}: no result`)
        const msg =
          r.status === 'ok' || r.status === 'changed'
            ? (r.msg ?? (typeof r.data.msg === 'string' ? r.data.msg : ''))
            : ''
        t.title = screenLine(`${row.host}: ${r.status}${msg ? ` => ${msg.split('\n')[0]}` : ''}`)
        keep(r)
        if (r.status === 'skipped') t.skip(`${row.host}: skipped`)
        else if ((r.status === 'failed' && !r.ignored) || r.status === 'unreachable') throw new Error(r.msg)
      },
    })
    const list = new Listr(rows.length > LIVE_ROWS_MAX ? [counting()] : rows.map(hostRow), options)
    await list.run().catch(() => undefined)
    if (view.extra.length) process.stdout.write(view.extra.join('\n') + '\n')
  }

  /**
   * A notice under every running row, at once (Ctrl-C: anything written to stderr waits until the task on screen
   * ends, as the view holds the terminal while it draws).
   */
  notice(text: string): void {
    for (const v of this.open) {
      for (const r of v.rows.values()) {
        if (r.ended) continue
        r.line = screenLine(text)
        r.show?.(r.line)
      }
    }
  }

  /** End whatever is still on screen (a run that stopped on an error), then wait for the screen to settle. */
  async close(): Promise<void> {
    this.endAll()
    await this.chain
  }
}
