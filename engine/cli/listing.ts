/**
 * `--list-hosts`, `--list-tasks`, `--list-tags`: what a run would do, without contacting anything.
 */
import type { TaskNode } from '../ast.js'
import { playHosts, renderOrder, renderPlayHosts, taskName } from '../run/names.js'
import { tagsSelected } from '../run/walk.js'
import type { Prepared } from './prepare.js'
import type { Vars } from '../types.js'

export interface ListingFlags {
  limit?: string
  tags: string[]
  skipTags: string[]
  listHosts: boolean
  listTasks: boolean
  listTags: boolean
}

function flatten(nodes: readonly TaskNode[], tags: string[], out: { name: string; tags: string[] }[]): void {
  for (const n of nodes) {
    const t = [...tags, ...n.tags]
    if (n.kind === 'task') out.push({ name: taskName(n), tags: t })
    else for (const part of [n.block, n.rescue, n.always]) flatten(part, t, out)
  }
}

export function listing(p: Prepared, f: ListingFlags, extraVars: Vars = {}): string {
  const lines: string[] = [`playbook: ${p.playbook.file}`]
  const allTags = new Set<string>()
  p.playbook.plays.forEach((play, i) => {
    const name = play.name ?? play.hosts
    const pattern = renderPlayHosts(play, p.inventory, extraVars)
    lines.push('', `  play #${i + 1} (${pattern}): ${name}`)
    if (f.listHosts) {
      const hosts = playHosts(p.inventory, pattern, f.limit, renderOrder(play, p.inventory, extraVars))
      lines.push(`    hosts (${hosts.length}):`, ...hosts.map((h) => `      ${h}`))
    }
    const tasks: { name: string; tags: string[] }[] = []
    flatten(play.tasks, play.tags, tasks)
    for (const t of tasks) t.tags.forEach((x) => allTags.add(x))
    if (f.listTasks) {
      lines.push('    tasks:')
      for (const t of tasks)
        if (tagsSelected(t.tags, f))
          lines.push(`      ${t.name}${t.tags.length ? `\tTAGS: [${t.tags.join(', ')}]` : ''}`)
    }
    if (f.listTags) lines.push(`    TASK TAGS: [${[...new Set(tasks.flatMap((t) => t.tags))].sort().join(', ')}]`)
  })
  return lines.join('\n') + '\n'
}
