/**
 * Ansible's filters over the controller's paths, clock and names: `realpath`, `relpath`, `expandvars`, `fileglob`
 * (the controller's files, as Ansible's filter reads them), Windows path parts (`win_basename`, `win_dirname`,
 * `win_splitdrive`), `strftime` and `to_uuid`.
 *
 * @example
 * ```yaml
 * - debug: { msg: "{{ '%Y-%m-%d' | strftime(0, utc=true) }} {{ 'pi1' | to_uuid }}" }
 *   # 1970-01-01 and the same UUID Ansible gives for pi1
 * ```
 */
import { createHash } from 'node:crypto'
import { readdirSync, realpathSync } from 'node:fs'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { UserError } from '../errors.js'
import { strftime } from './clock.js'
import { text } from './coerce.js'
import { globFiles, globRe } from './lookup-paths.js'
import { tuple } from './pystr.js'
import { def, type Def } from './registry.js'
import { short, truthy } from './values.js'

/** Python's `os.path.realpath`: links resolved as far as the path exists, the rest kept as written. */
function realpath(p: string): string {
  let head = resolve(p)
  const rest: string[] = []
  for (;;) {
    try {
      return join(realpathSync(head), ...rest)
    } catch {
      const parent = resolve(head, '..')
      if (parent === head) return resolve(p)
      rest.unshift(head.slice(parent.length).replace(/^\//, ''))
      head = parent
    }
  }
}

/** Python's `os.path.expandvars`: `$NAME` and `${NAME}` of the controller's environment; unknown ones kept. */
function expandvars(s: string): string {
  return s.replace(/\$(\w+|\{[^}]*\})/g, (m, name: string) => {
    const key = name.startsWith('{') ? name.slice(1, -1) : name
    return process.env[key] ?? m
  })
}

/** Python's `glob.glob` for regular files: wildcards in any part of the path, each folder's matches sorted. */
function fileglob(pattern: string): string[] {
  return globDirs(dirname(pattern)).flatMap((d) => globFiles(d, basename(pattern)))
}

/** The folders a folder pattern matches. */
function globDirs(pattern: string): string[] {
  if (!/[*?[]/.test(pattern)) return [pattern]
  const re = globRe(basename(pattern))
  return globDirs(dirname(pattern)).flatMap((d) => {
    try {
      return readdirSync(d)
        .filter((n) => re.test(n))
        .sort()
        .map((n) => join(d, n))
    } catch {
      return []
    }
  })
}

/** Python's `ntpath.splitdrive`: `['C:', '\\x']`, or a UNC share's `['\\\\server\\share', '\\x']`. */
function winSplitdrive(p: string): [string, string] {
  const norm = p.replace(/\//g, '\\')
  if (norm.startsWith('\\\\') && norm[2] !== '\\') {
    const m = /^\\\\[^\\]+\\[^\\]+/.exec(norm)
    if (m) return [p.slice(0, m[0].length), p.slice(m[0].length)]
    return ['', p]
  }
  return p[1] === ':' ? [p.slice(0, 2), p.slice(2)] : ['', p]
}

/** Python's `ntpath.split` (head without trailing separators unless it is the root). */
function winSplit(p: string): [string, string] {
  const [drive, rest] = winSplitdrive(p)
  let i = rest.length
  while (i && !'/\\'.includes(rest[i - 1])) i--
  const head = rest.slice(0, i)
  const trimmed = head.replace(/[/\\]+$/, '')
  return [drive + (trimmed || head), rest.slice(i)]
}

/** Python's `uuid.uuid5(namespace, name)`. */
function uuid5(name: string, namespace: string): string {
  const ns = namespace.replace(/[{}-]/g, '').replace(/^urn:uuid:/i, '')
  if (!/^[0-9a-fA-F]{32}$/.test(ns)) throw new UserError(`Invalid value '${namespace}' for 'namespace'`)
  const h = createHash('sha1').update(Buffer.from(ns, 'hex')).update(name, 'utf8').digest()
  h[6] = (h[6] & 0x0f) | 0x50
  h[8] = (h[8] & 0x3f) | 0x80
  const x = h.subarray(0, 16).toString('hex')
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`
}

export const PATH_FILTERS: Record<string, Def> = {
  realpath: def('', (v) => realpath(text(v))),
  relpath: def(
    'start',
    (v, start) => relative(resolve(start === undefined ? '.' : text(start)), resolve(text(v))) || '.',
  ),
  expandvars: def('', (v) => expandvars(text(v))),
  fileglob: def('', (v) => fileglob(text(v))),
  win_basename: def('', (v) => winSplit(text(v))[1]),
  win_dirname: def('', (v) => winSplit(text(v))[0]),
  win_splitdrive: def('', (v) => tuple(winSplitdrive(text(v)))),
  strftime: def('second utc', (v, second, utc) => {
    const secs = second === undefined || second === null ? Date.now() / 1000 : Number(second)
    if (Number.isNaN(secs)) throw new UserError(`Invalid value for epoch value (${short(second)})`)
    return strftime(new Date(secs * 1000), text(v), truthy(utc ?? false))
  }),
  to_uuid: def('namespace', (v, namespace) => uuid5(text(v), namespace === undefined ? NS_ANSIBLE : text(namespace))),
}

const NS_ANSIBLE = '361E6D51-FAEC-444A-9079-341386DA8E2E'
