/**
 * Light helpers shared by the runner and the listings (no SSH, no modules loaded).
 */
import { HOST_ORDERS, type HostOrder, type Inventory, type Play, type Task } from '../ast.js'
import { UserError } from '../errors.js'
import { renderValue } from '../template.js'
import type { Vars } from '../types.js'
import { mergeLayers, resolveVars } from './vars.js'
import { globToRegex, selectHosts } from '../inventory/patterns.js'
import { renderBool, renderWholeNumber } from './keyword.js'

/** The display name of a task (Ansible's: `role : name`, or the module name). */
export function taskName(t: Task): string {
  const n = t.name ?? t.module
  return t.role ? `${t.role} : ${n}` : n
}

/** The hosts a play targets: its pattern, intersected with `--limit`, in the play's `order`. */
export function playHosts(inv: Inventory, pattern: string, limit?: string, order?: HostOrder | string): string[] {
  const hosts = selectHosts(inv, pattern).hosts
  if (!limit) return orderHosts(hosts, order)
  const allowed = new Set(selectHosts(inv, limit).hosts)
  return orderHosts(
    hosts.filter((h) => allowed.has(h)),
    order,
  )
}

/** `order:` as Ansible applies it: by name (code point order), reversed, or shuffled. */
export function orderHosts(hosts: string[], order: HostOrder | string = 'inventory'): string[] {
  const byName = () => [...hosts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  switch (order) {
    case 'inventory':
      return hosts
    case 'reverse_inventory':
      return [...hosts].reverse()
    case 'sorted':
      return byName()
    case 'reverse_sorted':
      return byName().reverse()
    case 'shuffle': {
      const out = [...hosts]
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1))
        ;[out[i], out[j]] = [out[j], out[i]]
      }
      return out
    }
    default:
      throw new UserError(`"order" must be one of ${HOST_ORDERS.join(', ')}, found "${order}"`)
  }
}

/**
 * A play's `hosts` rendered when it is a template (`hosts: "{{ target | default('web') }}"`), as Ansible renders it
 * before the play: with the play's variables, its roles' defaults and vars, the extra vars and `groups`, no host's;
 * a list it gives is a union. Throws `UserError` (an undefined variable).
 */
export function renderPlayHosts(play: Play, inv: Inventory, extraVars: Vars): string {
  if (!play.hosts.includes('{{')) return play.hosts
  const v = renderValue(play.hosts, playLevelVars(play, inv, extraVars), { pos: play.pos, what: 'hosts' })
  return (Array.isArray(v) ? v.map(String).join(',') : String(v)).trim()
}

/** The variables a play's own keywords are rendered with before it starts (Ansible's, without a host). */
function playLevelVars(play: Play, inv: Inventory, extraVars: Vars): Vars {
  const groups = Object.fromEntries([...inv.groups.keys()].map((g) => [g, selectHosts(inv, g).hosts]))
  const layers = [play.roleDefaults, play.vars, play.varsFiles, play.roleVars, extraVars]
  return { ...resolveVars(mergeLayers(layers)), groups }
}

/**
 * The play with its templated `name`, `gather_facts`, `serial`, `throttle`, `timeout`, `max_fail_percentage` and
 * `gather_timeout` rendered, as Ansible renders them before the play.
 * Throws `UserError` (an undefined variable, or a value of the wrong kind).
 */
export function renderPlayKeywords(play: Play, inv: Inventory, extraVars: Vars): Play {
  const gf = play.gatherFacts
  const named = play.name?.includes('{{') === true
  const numbers = (['throttle', 'taskTimeout', 'maxFailPercentage', 'gatherTimeout'] as const).filter(
    (k) => typeof play[k] === 'string',
  )
  const templated =
    named ||
    numbers.length > 0 ||
    typeof gf === 'string' ||
    play.serial?.some((e) => typeof e === 'string' && e.includes('{{'))
  if (!templated) return play
  const vars = playLevelVars(play, inv, extraVars)
  const render = (v: string, what: string) => renderValue(v, vars, { pos: play.pos, what })
  const out = { ...play }
  // the name as the banner and the events show it; kept as written when it cannot be rendered
  if (named) {
    try {
      out.name = String(render(play.name!, 'name'))
    } catch (e) {
      if (!(e instanceof UserError)) throw e
    }
  }
  const KEY = {
    throttle: 'throttle',
    taskTimeout: 'timeout',
    maxFailPercentage: 'max_fail_percentage',
    gatherTimeout: 'gather_timeout',
  } as const
  const least = (k: keyof typeof KEY) => (k === 'taskTimeout' || k === 'gatherTimeout' ? 1 : 0)
  for (const k of numbers) out[k] = renderWholeNumber(play[k] as string, vars, KEY[k], play.pos, least(k))
  if (typeof gf === 'string') out.gatherFacts = renderBool(gf, vars, 'gather_facts')
  if (play.serial) {
    out.serial = play.serial.flatMap((e) => {
      if (typeof e !== 'string' || !e.includes('{{')) return [e]
      const v = render(e, 'serial')
      return (Array.isArray(v) ? v : [v]).map((x) => {
        const t = String(x).replace(/\s+/g, '')
        if (/^\d+%?$/.test(t)) return t.endsWith('%') ? t : Number(t)
        throw new UserError(`"serial" must be a whole number or a percentage ("30%"), found "${t}" from ${e}`, play.pos)
      })
    })
  }
  return out
}

/** A play's `order`, its template rendered as the play's other keywords are (`playLevelVars`). */
export function renderOrder(play: Play, inv: Inventory, extraVars: Vars): string | undefined {
  const o = play.order
  if (o === undefined || !o.includes('{{')) return o
  return String(renderValue(o, playLevelVars(play, inv, extraVars), { pos: play.pos, what: 'order' })).trim()
}

/** Does task `t` answer to `--start-at-task` `want` (Ansible's test)? */
export function startMatches(t: Task, want: string): boolean {
  const full = taskName(t)
  const glob = globToRegex(want)
  return t.name === want || full === want || (t.name !== undefined && glob.test(t.name)) || glob.test(full)
}
