/**
 * Where lookups find controller files, as Ansible 2.14's lookups do: through the task's `ansible_search_path`
 * (the role's folder, the task file's folder, the playbook's folder) and, for each folder, its `files/`,
 * `templates/` or `vars/` subfolder first (Ansible's `path_dwim_relative_stack`); the playbook's folder is the
 * last resort. An absolute path (or `~/…`) is taken as it is.
 *
 * @example
 * ```ts
 * const p = lookupPaths((n) => ({ ansible_search_path: ['/pb/roles/web', '/pb/roles/web/tasks', '/pb'] })[n])
 * searchCandidates(p, 'templates', 'motd.j2')[0] // '/pb/roles/web/templates/motd.j2'
 * ```
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { basename, dirname, isAbsolute, join } from 'node:path'

/** The folders a task's lookups search, most specific first, and the playbook's folder (the last resort). */
export interface LookupPaths {
  paths: string[]
  basedir: string
}

/** The search path from a task's variables (`ansible_search_path`, else `role_path` or `playbook_dir`). */
export function lookupPaths(get: (name: string) => unknown): LookupPaths {
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined)
  const basedir = str(get('playbook_dir')) ?? process.cwd()
  const sp = get('ansible_search_path')
  if (Array.isArray(sp) && sp.every((p) => typeof p === 'string')) return { paths: sp as string[], basedir }
  return { paths: [str(get('role_path')) ?? basedir], basedir }
}

const MAINS = ['main.yml', 'main.yaml', 'main']

const rolePaths = new Map<string, boolean>()

/**
 * Ansible's rough test for a folder inside a role: it (or its parent) holds `tasks/main.yml` or `meta/main.yml`.
 * Asked once per folder (a role's layout does not change during a run; lookups run per host and task).
 */
function isRolePath(p: string): boolean {
  let known = rolePaths.get(p)
  if (known !== undefined) return known
  const holds = (d: string) => ['tasks', 'meta'].some((sub) => MAINS.some((m) => existsSync(join(d, sub, m))))
  known = (/\/tasks\/?$/.test(p) && MAINS.some((m) => existsSync(join(p, m)))) || holds(p) || holds(dirname(p))
  rolePaths.set(p, known)
  return known
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p
}

/** Every place `needle` may be, in the order Ansible looks; `sub` is `files`, `templates` or `vars`. */
export function searchCandidates(lp: LookupPaths, sub: string, needle: string): string[] {
  if (needle.startsWith('~') || isAbsolute(needle)) return [expandHome(needle)]
  const out: string[] = []
  const both = (d: string) => {
    if (needle.split('/')[0] !== sub) out.push(join(d, sub, needle))
    out.push(join(d, needle))
  }
  for (const p of lp.paths) {
    const up = dirname(p)
    if (up.endsWith('/tasks') && isRolePath(p)) out.push(join(dirname(up), sub, needle), join(up, needle))
    else both(p)
  }
  both(lp.basedir)
  return out
}

/** The first place `needle` exists (file or folder), or undefined. */
export function findInSearchPath(lp: LookupPaths, sub: string, needle: string): string | undefined {
  return searchCandidates(lp, sub, needle).find((c) => existsSync(c))
}

/** A regular expression for a shell glob over one name (`*`, `?`, `[…]`). */
export function globRe(pat: string): RegExp {
  let re = ''
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i]
    if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else if (c === '[' && pat.indexOf(']', i + 2) > 0) {
      const end = pat.indexOf(']', i + 2)
      const body = pat.slice(i + 1, end)
      re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body.replace(/\\/g, '\\\\')}]`
      i = end
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&')
  }
  // a leading `*` does not match dot files, as Python's glob
  return new RegExp(`^${pat.startsWith('.') ? '' : '(?!\\.)'}${re}$`)
}

/** Files (not folders) in `dir` whose names match `pattern`, sorted, as full paths. */
export function globFiles(dir: string, pattern: string): string[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  const re = globRe(pattern)
  return names
    .filter((n) => re.test(n))
    .map((n) => join(dir, n))
    .filter((p) => {
      try {
        return statSync(p).isFile()
      } catch {
        return false
      }
    })
    .sort()
}

/**
 * `fileglob`: a pattern with a folder has the folder looked up like a file; a bare pattern is tried in each search
 * folder's files/ and the folder itself.
 */
export function fileglob(lp: LookupPaths, pattern: string): string[] {
  const name = basename(pattern)
  const dirs: Array<string | undefined> = []
  if (name !== pattern) dirs.push(findInSearchPath(lp, 'files', dirname(pattern)))
  else for (const p of lp.paths) dirs.push(join(p, 'files'), p)
  for (const d of dirs) {
    if (!d) continue
    const hits = globFiles(d, name)
    if (hits.length) return hits
  }
  return []
}
