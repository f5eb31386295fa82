/**
 * A snapshot of what tests could leave behind on this machine: users, groups, /etc/sudoers.d, mounts, network
 * links, iptables rules (every table, NAT included), listening sockets and tsplay's parse cache folder in this
 * user's home (tests turn the cache off), each as a sorted list of lines; and the difference between two
 * snapshots. Read-only; needs root for iptables (without it that part is empty).
 *
 * @example
 * ```ts
 * const before = takeSnapshot()
 * // … the test run …
 * const added = snapshotDiff(before, takeSnapshot()) // { users: ['tspt-1a2b3c-np'], … }
 * ```
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

export const PARTS = ['users', 'groups', 'sudoers', 'mounts', 'links', 'iptables', 'listeners', 'caches'] as const
export type Part = (typeof PARTS)[number]
export type Snapshot = Record<Part, string[]>

function run(argv: string[]): string {
  try {
    return execFileSync(argv[0], argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  } catch {
    return ''
  }
}

const names = (file: string): string[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(':')[0])

/** `ip -o link` → link names (`veth0@if3` → `veth0`). */
export function linkNames(text: string): string[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(': ')[1]?.split('@')[0] ?? l)
}

/** `iptables-save` → its rules, each prefixed with its table (`nat -A POSTROUTING …`); counters and chains dropped. */
export function iptablesRules(text: string): string[] {
  let table = ''
  const out: string[] = []
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1)
    else if (line.startsWith('-A ')) out.push(`${table} ${line}`)
  }
  return out
}

/** `ss -Hltun` → `tcp 127.0.0.1:2222` per listening socket. */
export function listenerLines(text: string): string[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const f = l.trim().split(/\s+/)
      return `${f[0]} ${f[4]}`
    })
}

/** /proc/self/mounts → `mountpoint fstype source` lines (mount points are unique enough to compare). */
export function mountLines(text: string): string[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [source, point, type] = l.split(' ')
      return `${point} ${type} ${source}`
    })
}

const sorted = (xs: string[]): string[] => [...new Set(xs)].sort()

export function takeSnapshot(): Snapshot {
  return {
    users: sorted(names('/etc/passwd')),
    groups: sorted(names('/etc/group')),
    sudoers: sorted(existsSync('/etc/sudoers.d') ? readdirSync('/etc/sudoers.d') : []),
    mounts: sorted(mountLines(readFileSync('/proc/self/mounts', 'utf8'))),
    links: sorted(linkNames(run(['ip', '-o', 'link', 'show']))),
    iptables: sorted(iptablesRules(process.getuid?.() === 0 ? run(['iptables-save']) : '')),
    listeners: sorted(listenerLines(run(['ss', '-Hltun']))),
    caches: [join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tsplay')].filter((d) => existsSync(d)),
  }
}

/** What `after` has that `before` had not, per part (only parts with something new). */
export function snapshotDiff(before: Snapshot, after: Snapshot): Partial<Snapshot> {
  const out: Partial<Snapshot> = {}
  for (const p of PARTS) {
    const had = new Set(before[p])
    const added = after[p].filter((x) => !had.has(x))
    if (added.length > 0) out[p] = added
  }
  return out
}
