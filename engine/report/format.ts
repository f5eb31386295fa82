/**
 * Shared text formatting for the plain and live reporters: Ansible-style headers, recap lines, unified diffs.
 */
import { createTwoFilesPatch } from 'diff'
import type { HostRecap } from '../events.js'
import type { FileDiff } from '../types.js'

/** `TASK [name] ****…` padded to 80 columns, as Ansible prints. */
export function header(kind: string, name: string): string {
  const text = `${kind} [${name}] `
  return text + '*'.repeat(Math.max(3, 79 - text.length))
}

/** `host : ok=1 changed=0 …` lines of PLAY RECAP. */
export function recapLines(recap: Record<string, HostRecap>): string[] {
  const width = Math.max(26, ...Object.keys(recap).map((h) => h.length + 1))
  const f = (k: string, n: number) => `${k}=${String(n).padEnd(4)}`
  return Object.entries(recap).map(([h, r]) =>
    (
      `${h.padEnd(width)}: ` +
      [
        f('ok', r.ok),
        f('changed', r.changed),
        f('unreachable', r.unreachable),
        f('failed', r.failed),
        f('skipped', r.skipped),
        f('rescued', r.rescued),
        f('ignored', r.ignored),
      ].join(' ')
    ).trimEnd(),
  )
}

/** A unified diff of one file change (`--diff`). */
export function unifiedDiff(d: FileDiff): string {
  return createTwoFilesPatch(`before: ${d.path}`, `after: ${d.path}`, d.before, d.after, '', '', { context: 3 })
    .split('\n')
    .filter((l) => !l.startsWith('===='))
    .join('\n')
}

/** Whether to color output: FORCE_COLOR wins, then NO_COLOR, then "is stdout a terminal". */
export function colorEnabled(): boolean {
  const force = process.env.FORCE_COLOR
  if (force !== undefined && force !== '0' && force !== 'false') return true
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false
  return Boolean(process.stdout.isTTY)
}

const CODES: Record<string, number> = {
  ok: 32,
  changed: 33,
  failed: 31,
  fatal: 31,
  skipping: 36,
  unreachable: 31,
  warning: 35,
}

/** Color a status line by its first word, Ansible's way (green ok, yellow changed, red failed, cyan skipped). */
export function colorLine(line: string, on: boolean): string {
  if (!on) return line
  const code = CODES[line.split(/[:\s]/)[0]] ?? (line.startsWith('[WARNING]') ? CODES.warning : undefined)
  return code ? `\x1b[${code}m${line}\x1b[0m` : line
}
