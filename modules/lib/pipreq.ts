/**
 * Python requirement strings for the pip module, read as pip's own parser does for the plain cases: a project name
 * (compared in its canonical form), optional `[extras]` and version specifiers (`==`, `!=`, `>=`, `<=`, `>`, `<`,
 * `~=`, `===`, `==1.*`). Anything else (a path, a URL, `git+…`) is not a plain requirement: pip decides then.
 *
 * @example
 * ```ts
 * recoverNames(['django>1.11.1', '<1.11.3', 'six']) // ['django>1.11.1,<1.11.3', 'six']
 * parseRequirement('Foo_Bar>=1.0,<2')!.name // 'foo-bar'
 * satisfied(parseRequirement('foo~=1.4')!, '1.5.2') // true
 * ```
 */

/** A parsed plain requirement. */
export interface Requirement {
  /** Canonical project name (lower case, runs of `-_.` made one `-`). */
  name: string
  specs: { op: string; version: string }[]
}

const OPS = ['===', '~=', '==', '!=', '>=', '<=', '>', '<'] as const
const NAME_RE = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$/

/** pip's canonical project name. */
export function canonicalName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase()
}

/** Whether a word starts with a version operator (a specifier continuing the previous name). */
function isSpecifier(word: string): boolean {
  return OPS.some((op) => word.trimStart().startsWith(op))
}

/**
 * Rejoin names a list split at commas (`['django>1', '<2']` → `['django>1,<2']`), as Ansible does before
 * parsing: each comma-separated part that begins with an operator, or sits inside `[…]`, belongs to the one before.
 */
export function recoverNames(names: readonly string[]): string[] {
  const parts = names.flatMap((n) => n.split(','))
  const out: string[] = []
  let current: string[] = []
  let inBrackets = false
  for (const part of parts) {
    if (!isSpecifier(part) && !inBrackets && current.length) {
      out.push(current.join(','))
      current = []
    }
    if (part.includes('[')) inBrackets = true
    if (inBrackets && part.includes(']')) inBrackets = false
    current.push(part)
  }
  if (current.length) out.push(current.join(','))
  return out
}

/** Parse a plain requirement (`name[extras] specs`), or undefined for a path, URL or anything else. */
export function parseRequirement(text: string): Requirement | undefined {
  const noMarker = text.split(';')[0]!
  const m = NAME_RE.exec(noMarker)
  if (!m) return undefined
  const rest = m[3]!.trim().replace(/^\((.*)\)$/, '$1')
  const specs: Requirement['specs'] = []
  if (rest) {
    for (const raw of rest.split(',')) {
      const s = raw.trim()
      const op = OPS.find((o) => s.startsWith(o))
      const version = op ? s.slice(op.length).trim() : ''
      if (!op || !/^[A-Za-z0-9.*+!_-]+$/.test(version)) return undefined
      specs.push({ op, version })
    }
  }
  return { name: canonicalName(m[1]!), specs }
}

/** The requirement for `name` with the `version` argument added: `1.0` as `==1.0`, `>=1` as it is. */
export function withVersion(name: string, version: string | undefined): string {
  if (!version) return name
  const v = version.trimStart()
  return /^[0-9]/.test(v) ? `${name}==${v}` : `${name} ${v}`
}

/** A version as comparable parts: release numbers, then a pre/post/dev rank (approximating PEP 440). */
function versionKey(v: string): { release: number[]; rank: number; tail: string } {
  const s = v.toLowerCase().replace(/^v/, '').split('+')[0]!
  const m = /^(\d+(?:\.\d+)*)(.*)$/.exec(s)
  if (!m) return { release: [], rank: 0, tail: s }
  const tail = m[2]!.replace(/^[-_.]/, '')
  const rank = tail === '' ? 0 : /^(dev)/.test(tail) ? -3 : /^(a|alpha|b|beta|c|rc|pre)/.test(tail) ? -1 : 1
  return { release: m[1]!.split('.').map(Number), rank, tail }
}

/** Compare two versions: negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const x = versionKey(a)
  const y = versionKey(b)
  const n = Math.max(x.release.length, y.release.length)
  for (let i = 0; i < n; i++) {
    const d = (x.release[i] ?? 0) - (y.release[i] ?? 0)
    if (d) return d
  }
  if (x.rank !== y.rank) return x.rank - y.rank
  return x.tail < y.tail ? -1 : x.tail > y.tail ? 1 : 0
}

/** Whether `version` satisfies one specifier. */
function matches(op: string, want: string, version: string): boolean {
  if (op === '===') return version === want
  if ((op === '==' || op === '!=') && want.endsWith('.*')) {
    const prefix = want.slice(0, -2).split('.')
    const got = versionKey(version).release.slice(0, prefix.length).join('.')
    return (got === prefix.join('.')) === (op === '==')
  }
  const c = compareVersions(version, want)
  if (op === '==') return c === 0
  if (op === '!=') return c !== 0
  if (op === '>=') return c >= 0
  if (op === '<=') return c <= 0
  if (op === '>') return c > 0
  if (op === '<') return c < 0
  // ~=X.Y.Z: >= X.Y.Z and == X.Y.*
  const parts = want.split('.')
  const prefix = parts.slice(0, Math.max(1, parts.length - 1)).join('.')
  return c >= 0 && matches('==', `${prefix}.*`, version)
}

/** Whether an installed `version` satisfies every specifier of `req` (pre-releases allowed, as Ansible asks). */
export function satisfied(req: Requirement, version: string): boolean {
  return req.specs.every((s) => matches(s.op, s.version, version))
}

/** `name==version` lines of `pip list --format=freeze` (or `pip freeze`) as canonical name → version. */
export function parseFreeze(stdout: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const line of stdout.split('\n')) {
    const i = line.indexOf('==')
    if (i > 0) out.set(canonicalName(line.slice(0, i).trim()), line.slice(i + 2).trim())
  }
  return out
}
