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

/** Above this many hosts, PLAY RECAP shows a line per set of counts instead of a line per host. */
export const RECAP_HOSTS_MAX = 50

/**
 * `host : ok=1 changed=0 …` lines of PLAY RECAP, one per host, as Ansible prints them. With more than
 * `RECAP_HOSTS_MAX` hosts, hosts with the same counts share one line (`998 hosts (h1, h2, … h1000) : ok=29 …`),
 * most hosts first: a thousand hosts give a few lines, and a host that failed stands out instead of drowning.
 *
 * @example
 * ```ts
 * recapLines({ pi1: { ok: 2, changed: 1, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 } })
 * // → ['pi1                       : ok=2    changed=1    unreachable=0    failed=0 …']
 * ```
 */
export function recapLines(recap: Record<string, HostRecap>, max = RECAP_HOSTS_MAX): string[] {
  const f = (k: string, n: number) => `${k}=${String(n).padEnd(4)}`
  const counts = (r: HostRecap) =>
    [
      f('ok', r.ok),
      f('changed', r.changed),
      f('unreachable', r.unreachable),
      f('failed', r.failed),
      f('skipped', r.skipped),
      f('rescued', r.rescued),
      f('ignored', r.ignored),
    ].join(' ')
  const hosts = Object.entries(recap)
  let rows: [string, string][]
  if (hosts.length <= max) rows = hosts.map(([h, r]) => [h, counts(r)])
  else {
    const groups = new Map<string, string[]>()
    for (const [h, r] of hosts) {
      const c = counts(r)
      const names = groups.get(c)
      if (names) names.push(h)
      else groups.set(c, [h])
    }
    rows = [...groups]
      .sort((a, b) => b[1].length - a[1].length)
      .map(([c, names]) => {
        const shown = names.length > 3 ? `${names.slice(0, 2).join(', ')}, … ${names.at(-1)}` : names.join(', ')
        return [names.length === 1 ? names[0] : `${names.length} hosts (${shown})`, c]
      })
  }
  const width = Math.max(26, ...rows.map(([h]) => h.length + 1))
  return rows.map(([h, c]) => `${h.padEnd(width)}: ${c}`.trimEnd())
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
