/**
 * Host patterns, as in Ansible's `hosts:` and `--limit`: `all`/`*`, host and group names, unions `a:b` or `a,b`,
 * intersections `a:&b`, exclusions `a:!b`, globs (`pi*`, `web-?`, `pi[0-3]*`), regexes (`~pi\d+`) and
 * subscripts (`builders[0]`, `builders[-1]`, `builders[1:3]`, `builders[1:]`, inclusive like Ansible).
 * Unions apply first, then intersections, then exclusions, whatever order they are written in; a pattern of
 * only `&`/`!` parts starts from `all`. Results are in Ansible's order: the union's parts in turn, each group's hosts
 * in its own order (engine/inventory/meta.ts), intersections and exclusions keeping it.
 *
 * @example
 * ```ts
 * selectHosts(inv, 'hydra_builders:!pi3') // { hosts: ['pi2'], unmatched: [] }
 * selectHosts(inv, 'web')                 // { hosts: [], unmatched: ['web'] }
 * ```
 */
import type { Inventory } from '../ast.js'
import { UserError } from '../errors.js'
import { implicitHost } from './implicit.js'
import { meta } from './meta.js'

/** Split on `,` if there is one, else on `:` outside brackets (`::1` stays whole). */
export function splitPattern(pattern: string): string[] {
  if (pattern === '::1') return [pattern] // an address, not three parts
  if (pattern.includes(',')) return pattern.split(',')
  const parts: string[] = []
  let depth = 0
  let cur = ''
  for (const c of pattern) {
    if (c === '[') depth++
    else if (c === ']') depth = Math.max(0, depth - 1)
    if (c === ':' && depth === 0) {
      parts.push(cur)
      cur = ''
    } else cur += c
  }
  parts.push(cur)
  return parts
}

/** A shell glob as an anchored regular expression (`[!x]` negates a class). */
export function globToRegex(glob: string): RegExp {
  let re = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]
    if (c === '*') re += '.*'
    else if (c === '?') re += '.'
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2)
      if (end < 0) re += '\\['
      else {
        let body = glob.slice(i + 1, end)
        if (body.startsWith('!')) body = `^${body.slice(1)}`
        re += `[${body.replace(/\\/g, '\\\\')}]`
        i = end
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&')
  }
  try {
    return new RegExp(`^${re}$`)
  } catch {
    return new RegExp(`^${glob.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`)
  }
}

const SUBSCRIPT = /^(.+)\[(?:(-?\d+)|(\d+)[:-](\d+)?)\]$/

/** Hosts one pattern term selects (no `&`/`!` prefix), in Ansible's order. */
function term(inv: Inventory, t: string): string[] {
  const m = meta(inv)
  if (t === 'all' || t === '*') return allHosts(inv)
  if (inv.groups.has(t)) return m.groupHosts.get(t) ?? []
  if (inv.hosts.has(t)) return [t]
  const local = implicitHost(inv, t)
  if (local) return [local]
  const sub = t.startsWith('~') ? null : SUBSCRIPT.exec(t)
  if (sub) {
    // a subscript (`builders[0]`), as Ansible reads it before any glob: `pi[23]` is item 23 of `pi`, not a glob
    const base = term(inv, sub[1])
    if (sub[2] !== undefined) {
      const i = Number(sub[2])
      const h = base.at(i)
      return h === undefined ? [] : [h]
    }
    const start = Number(sub[3])
    const end = sub[4] === undefined ? base.length - 1 : Number(sub[4])
    return base.slice(start, end + 1)
  }
  let re: RegExp
  if (t.startsWith('~')) {
    try {
      re = new RegExp(t.slice(1))
    } catch (e) {
      throw new UserError(`invalid regular expression in host pattern "${t}": ${(e as Error).message}`)
    }
    const test = (name: string) => re.exec(name)?.index === 0 // Ansible matches from the start
    return unionOf(inv, test)
  }
  if (!/[*?[]/.test(t)) return []
  re = globToRegex(t)
  return unionOf(inv, (name) => re.test(name))
}

/** Hosts of every group whose name passes `test`, plus every host whose name does. */
function unionOf(inv: Inventory, test: (name: string) => boolean): string[] {
  const out = new Set<string>()
  for (const [g, hosts] of meta(inv).groupHosts) if (test(g)) hosts.forEach((h) => out.add(h))
  for (const h of inv.hosts.values()) if (!h.implicit && test(h.name)) out.add(h.name)
  return [...out]
}

/** `all`'s hosts in Ansible's order, without the implicit localhost (only its own name selects it, as in Ansible). */
const allHosts = (inv: Inventory): string[] => meta(inv).groupHosts.get('all') ?? []

/**
 * The hosts `pattern` selects, in Ansible's order (each union part's hosts in turn, a group's in its order), and the
 * parts of it (as written, with `&`/`!`) that matched no host (an existing but empty group is not listed). Throws
 * `UserError` for an invalid `~regex`.
 */
export function selectHosts(inv: Inventory, pattern: string): { hosts: string[]; unmatched: string[] } {
  const parts = splitPattern(pattern.trim())
    .map((p) => p.trim())
    .filter(Boolean)
  const plus = parts.filter((p) => !p.startsWith('&') && !p.startsWith('!'))
  const and = parts.filter((p) => p.startsWith('&'))
  const not = parts.filter((p) => p.startsWith('!'))
  const unmatched: string[] = []
  const resolve = (p: string, t: string): string[] => {
    const hosts = term(inv, t)
    if (hosts.length === 0 && !inv.groups.has(t)) unmatched.push(p) // an existing, empty group is not a mistake
    return hosts
  }
  const selected = new Set<string>(plus.length || !parts.length ? [] : allHosts(inv))
  for (const p of plus) resolve(p, p).forEach((h) => selected.add(h))
  for (const p of and) {
    const keep = new Set(resolve(p, p.slice(1).trim()))
    for (const h of selected) if (!keep.has(h)) selected.delete(h)
  }
  for (const p of not) resolve(p, p.slice(1).trim()).forEach((h) => selected.delete(h))
  return { hosts: [...selected], unmatched }
}
