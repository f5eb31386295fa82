/**
 * Version comparison for the `version` test, as Ansible's: loose (the default, like distutils' LooseVersion:
 * numbers and letter runs compared in order, `1.0` < `1.0.0`), strict (`1.2`, `1.2.3`, `1.2a1`) and semver.
 *
 * @example
 * ```yaml
 * when: ansible_distribution_version is version('12', '>=')
 * ```
 */
import { UserError } from '../errors.js'
import { short } from './values.js'

type Part = number | string

function cmpParts(a: Part[], b: Part[], what: string): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]
    const y = b[i]
    if (x === y) continue
    if (typeof x !== typeof y)
      throw new UserError(`Version comparison failed: cannot compare ${short(x)} with ${short(y)} (${what})`)
    return x < y ? -1 : 1
  }
  return a.length - b.length
}

function loose(v: string): Part[] {
  return v
    .split(/(\d+|[a-z]+|\.)/)
    .filter((p) => p && p !== '.')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p))
}

function strict(v: string): [number[], Part[] | undefined] {
  const m = /^(\d+)\.(\d+)(\.(\d+))?([ab])?(\d+)?$/.exec(v)
  if (!m || (m[5] && !m[6])) throw new UserError(`Version comparison failed: invalid version number ${short(v)}`)
  return [[Number(m[1]), Number(m[2]), Number(m[4] ?? 0)], m[5] ? [m[5], Number(m[6])] : undefined]
}

function semver(v: string): [number[], Part[]] {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v)
  if (!m) throw new UserError(`Version comparison failed: invalid semantic version ${short(v)}`)
  const pre = m[4] ? m[4].split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : []
  return [[Number(m[1]), Number(m[2]), Number(m[3])], pre]
}

/** Compare two versions: negative, zero or positive. */
export function versionCompare(a: string, b: string, type: string): number {
  if (type === 'loose') return cmpParts(loose(a), loose(b), 'loose')
  if (type === 'strict') {
    const [x, xp] = strict(a)
    const [y, yp] = strict(b)
    const c = cmpParts(x, y, 'strict')
    if (c || (!xp && !yp)) return c
    if (!xp) return 1
    if (!yp) return -1
    return cmpParts(xp, yp, 'strict')
  }
  if (type === 'semver' || type === 'semantic') {
    const [x, xp] = semver(a)
    const [y, yp] = semver(b)
    const c = cmpParts(x, y, 'semver')
    if (c || (!xp.length && !yp.length)) return c
    if (!xp.length) return 1
    if (!yp.length) return -1
    for (let i = 0; i < Math.min(xp.length, yp.length); i++) {
      const p = xp[i]
      const q = yp[i]
      if (p === q) continue
      if (typeof p !== typeof q) return typeof p === 'number' ? -1 : 1
      return p < q ? -1 : 1
    }
    return xp.length - yp.length
  }
  throw new UserError(`Invalid version type ${short(type)}: use loose, strict, semver or semantic`)
}

const OPS: Record<string, (c: number) => boolean> = {
  eq: (c) => c === 0,
  ne: (c) => c !== 0,
  lt: (c) => c < 0,
  le: (c) => c <= 0,
  gt: (c) => c > 0,
  ge: (c) => c >= 0,
}
const ALIASES: Record<string, string> = {
  '==': 'eq',
  '=': 'eq',
  '!=': 'ne',
  '<>': 'ne',
  '<': 'lt',
  '<=': 'le',
  '>': 'gt',
  '>=': 'ge',
}

/** Ansible's `version` test. */
export function versionTest(
  value: unknown,
  version: unknown,
  operator: unknown = 'eq',
  strictFlag?: unknown,
  versionType?: unknown,
): boolean {
  if (strictFlag != null && versionType != null) throw new UserError("Cannot specify both 'strict' and 'version_type'")
  if (!value) throw new UserError('Input version value cannot be empty')
  if (!version) throw new UserError('Version parameter to compare against cannot be empty')
  const op = ALIASES[String(operator)] ?? String(operator)
  const f = OPS[op]
  if (!f)
    throw new UserError(`Invalid operator type ${short(operator)}: use one of == = eq < lt <= le > gt >= ge != <> ne`)
  const type = strictFlag ? 'strict' : versionType != null ? String(versionType) : 'loose'
  return f(versionCompare(String(value), String(version), type))
}
