/**
 * The plain reporter: Ansible-like lines (`TASK [name]`, `changed: [pi1]`, `PLAY RECAP`) for CI, pipes and NO_COLOR.
 *
 * @example
 * ```
 * TASK [install git] *************************************************************
 * changed: [pi1]
 * ```
 */
import type { EngineEvent, Reporter } from '../events.js'
import type { TaskResult } from '../types.js'
import { colorEnabled, colorLine, header, recapLines, unifiedDiff } from './format.js'
import { isPollLine, ProgressLines } from './progress.js'

/** Options for the plain reporter. */
export interface PlainOptions {
  verbosity: number
  diff: boolean
  write?: (text: string) => void
  /** How often (ms) "still running" lines are looked for; default 1000. */
  progressTickMs?: number
}

/** The line under the recap of an interrupted run. */
export const interruptedNote = 'Interrupted: no new tasks were started; the recap above is complete for what ran.'

export function resultLines(r: TaskResult, o: { verbosity: number; diff: boolean }): string[] {
  const lines: string[] = []
  const items = Array.isArray(r.data.results) ? (r.data.results as Record<string, unknown>[]) : undefined
  if (items && r.status !== 'unreachable') {
    // Without -v, skipped items are counted on one line (a loop over unused install methods is not a flood).
    const skipped = o.verbosity > 0 ? [] : items.filter((it) => it.skipped)
    if (skipped.length)
      lines.push(
        `skipping: [${r.host}] ` +
          `(${skipped.length === items.length ? '' : `${skipped.length} of `}${items.length} ` +
          `item${items.length === 1 ? '' : 's'})`,
      )
    for (const [i, it] of items.entries()) {
      if (o.verbosity === 0 && it.skipped) continue
      const st = it.skipped ? 'skipping' : it.failed === true ? 'failed' : it.changed ? 'changed' : 'ok'
      lines.push(
        `${st}: [${r.host}] => ` +
          `(item=${String(r.itemLabels?.[i] ?? it.item)})` +
          (st === 'failed' && it.msg ? ` => ${String(it.msg)}` : ''),
      )
    }
  }
  const msg = r.msg ?? (typeof r.data.msg === 'string' ? r.data.msg : undefined)
  switch (r.status) {
    case 'ok':
    case 'changed':
      if (!items) lines.push(`${r.status}: [${r.host}]${msg ? ` => ${msg}` : ''}`)
      break
    case 'skipped':
      if (!items) lines.push(`skipping: [${r.host}]`)
      break
    case 'failed':
      lines.push(`fatal: [${r.host}]: FAILED! => ${msg}`)
      if (r.ignored) lines.push('...ignoring')
      break
    case 'unreachable':
      lines.push(`fatal: [${r.host}]: UNREACHABLE! => ${msg}`)
      break
  }
  if (o.verbosity > 0 && (r.status === 'ok' || r.status === 'changed')) {
    for (const c of (r.status === 'changed' ? r.changes : undefined) ?? []) lines.push(`  - ${c}`)
    for (const k of ['stdout', 'stderr'] as const) {
      const v = r.data[k]
      if (o.verbosity > 1 && typeof v === 'string' && v.trim()) lines.push(`  ${k}: ${v.trimEnd()}`)
    }
  }
  // a diff is there when --diff or the task's `diff: true` asked for it (and not with `diff: false`)
  if (r.status === 'changed' && r.diff) for (const d of r.diff) lines.push(unifiedDiff(d))
  if (r.status === 'changed' && !r.diff && o.diff && Array.isArray(r.data.changes)) {
    for (const c of r.data.changes as string[]) lines.push(`  - ${c}`)
  }
  return lines
}

export class PlainReporter implements Reporter {
  private readonly write: (text: string) => void
  private readonly color = colorEnabled()
  private readonly progress: ProgressLines
  constructor(private readonly o: PlainOptions) {
    this.write = o.write ?? ((t) => process.stdout.write(t))
    this.progress = new ProgressLines((l) => this.write(`${l}\n`), o.progressTickMs)
  }

  /** Lines up to the verbosity (level 0, progress, always). */
  get logLevel(): number {
    return this.o.verbosity
  }

  close(): void {
    this.progress.stop()
  }

  handle(ev: EngineEvent): void {
    switch (ev.type) {
      case 'play.start':
        this.write(`\n${header('PLAY', ev.play)}\n`)
        break
      case 'task.start':
        this.write(`\n${header(ev.handler ? 'RUNNING HANDLER' : 'TASK', ev.task)}\n`)
        break
      case 'host.start':
        this.progress.start(ev.host, ev.task)
        break
      case 'host.log':
        // without -v, an async job's poll lines are held back and shown on the "still running" schedule
        if (ev.level === 0 && this.o.verbosity === 0 && isPollLine(ev.line) && !this.progress.poll(ev.host, ev.line))
          break
        if (this.o.verbosity >= ev.level) this.write(`  [${ev.host}] ${ev.line}\n`)
        break
      case 'task.end':
        this.progress.taskEnded(ev.task)
        break
      case 'task.result':
        this.progress.done(ev.host)
        this.write(
          resultLines(ev.result, this.o)
            .map((l) => colorLine(l, this.color) + '\n')
            .join(''),
        )
        break
      case 'warning':
        this.write(colorLine(`[WARNING]: ${ev.msg}`, this.color) + '\n')
        break
      case 'run.end':
        this.progress.stop()
        this.write(`\n${header('PLAY RECAP', '').replace(' [] ', ' ')}\n${recapLines(ev.recap).join('\n')}\n`)
        if (ev.interrupted) this.write(`\n${interruptedNote}\n`)
        break
    }
  }
}
