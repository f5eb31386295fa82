/**
 * `--limit`, `--tags` and `--skip-tags` checked before any host is contacted. A `--limit` that leaves no play
 * with a host is an error (Ansible: "Specified hosts and/or --limit does not match any hosts"); a `--tags` tag
 * that no task, block, role or play carries is an error too (Ansible silently runs nothing: a deliberate
 * difference, since a typo there should not look like success). Parts of a pattern that match nothing, and
 * unknown `--skip-tags`, are warnings.
 *
 * @example
 * ```sh
 * tsplay run site.yml --tags ngnix   # error: --tags "ngnix" matches no tag in the playbook (did you mean "nginx"?)
 * ```
 */
import type { TaskNode } from '../ast.js'
import { UserError } from '../errors.js'
import { selectHosts } from '../inventory/patterns.js'
import { didYouMean } from '../source/suggest.js'
import { playHosts, renderPlayHosts, startMatches, taskName } from '../run/names.js'
import type { Vars } from '../types.js'
import type { Prepared } from './prepare.js'

/** Tags with a meaning of their own (Ansible's). */
const SPECIAL_TAGS = ['all', 'tagged', 'untagged', 'always', 'never']
const CLI = { file: '(command line)', line: 1, col: 1 }

export interface SelectionFlags {
  limit?: string
  startAtTask?: string
  /** The run's extra vars (a templated `hosts:` is rendered with them). */
  extraVars?: Vars
  tags: string[]
  skipTags: string[]
}

function collectTags(nodes: readonly TaskNode[], out: Set<string>): void {
  for (const n of nodes) {
    n.tags.forEach((t) => out.add(t))
    if (n.kind === 'block') for (const part of [n.block, n.rescue, n.always]) collectTags(part, out)
    // tags of what a templated include was found to bring before the run
    if (n.kind === 'block') for (const l of n.include?.dynamic?.loaded.values() ?? []) collectTags(l.nodes, out)
  }
}

/** Does the tree hold an include whose file or role is known only at run time? */
function hasRunTimeInclude(nodes: readonly TaskNode[]): boolean {
  return nodes.some(
    (n) =>
      n.kind === 'block' &&
      ((n.include?.dynamic !== undefined && !n.include.dynamic.known) ||
        [n.block, n.rescue, n.always].some(hasRunTimeInclude)),
  )
}

/** Every tag written in the playbook (plays, roles, blocks, tasks). */
export function playbookTags(p: Prepared): Set<string> {
  const out = new Set<string>()
  for (const play of p.playbook.plays) {
    play.tags.forEach((t) => out.add(t))
    collectTags(play.tasks, out)
  }
  return out
}

/** Errors (refuse the run) and warnings about what the flags select. */
export function checkSelection(p: Prepared, f: SelectionFlags): { errors: UserError[]; warnings: UserError[] } {
  const errors: UserError[] = []
  const warnings: UserError[] = []
  const names = [...p.inventory.hosts.keys(), ...p.inventory.groups.keys()]
  if (f.limit) {
    const sel = selectHosts(p.inventory, f.limit)
    for (const part of sel.unmatched) {
      warnings.push(
        new UserError(
          `--limit: "${part}" matches no host or group in the inventory`,
          CLI,
          didYouMean(part.replace(/^[&!]/, ''), names),
        ),
      )
    }
    // a play whose hosts are a template that cannot be rendered yet may target any host: not certain
    const targets = (play: (typeof p.playbook.plays)[number]): string[] | undefined => {
      try {
        return playHosts(p.inventory, renderPlayHosts(play, p.inventory, f.extraVars ?? {}), f.limit)
      } catch (e) {
        if (e instanceof UserError) return undefined
        throw e
      }
    }
    if (!p.playbook.plays.some((play) => (targets(play) ?? [undefined]).length > 0)) {
      const hint = sel.hosts.length
        ? `(it selects ${sel.hosts.join(', ')}, but no play targets them)`
        : (didYouMean(f.limit, names) ??
          `(hosts and groups: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''})`)
      errors.push(new UserError(`--limit "${f.limit}" leaves no host for any play: nothing would run`, CLI, hint))
    }
  }
  const known = playbookTags(p)
  const all = [...known, ...SPECIAL_TAGS]
  // a file known only at run time may carry the tag: then it is not certain, so a warning
  const tagFindings = p.playbook.plays.some((play) => hasRunTimeInclude(play.tasks)) ? warnings : errors
  for (const t of f.tags) {
    if (known.has(t) || SPECIAL_TAGS.includes(t)) continue
    tagFindings.push(
      new UserError(
        `--tags "${t}" matches no tag in the playbook`,
        CLI,
        didYouMean(t, all) ?? (known.size ? `(tags: ${[...known].sort().join(', ')})` : '(the playbook has no tags)'),
      ),
    )
  }
  for (const t of f.skipTags) {
    if (!known.has(t) && !SPECIAL_TAGS.includes(t))
      warnings.push(new UserError(`--skip-tags "${t}" matches no tag in the playbook`, CLI, didYouMean(t, all)))
  }
  if (f.startAtTask !== undefined) checkStartAt(p, f.startAtTask, tagFindings === errors ? errors : warnings)
  return { errors, warnings }
}

/**
 * `--start-at-task` that names no task: Ansible runs nothing and says so at the end; refused here before any contact
 * (a warning when an include known only at run time may bring the task).
 */
function checkStartAt(p: Prepared, want: string, findings: UserError[]): void {
  const names: string[] = []
  let found = false
  const visit = (nodes: readonly TaskNode[]): void => {
    for (const n of nodes) {
      if (n.kind === 'block') {
        for (const part of [n.block, n.rescue, n.always]) visit(part)
        for (const l of n.include?.dynamic?.loaded.values() ?? []) visit(l.nodes)
      } else if (startMatches(n, want)) found = true
      else if (n.name) names.push(taskName(n))
    }
  }
  for (const play of p.playbook.plays) visit(play.tasks)
  if (!found)
    findings.push(
      new UserError(`--start-at-task "${want}" matches no task in the playbook`, CLI, didYouMean(want, names)),
    )
}
