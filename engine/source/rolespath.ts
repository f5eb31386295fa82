/**
 * Where roles are looked for, as Ansible looks: the play's `roles/` folder, then the roles path, then the play's
 * folder itself. The roles path is `$ANSIBLE_ROLES_PATH`, else `roles_path` in the `[defaults]` section of the first
 * ansible.cfg Ansible would read (`$ANSIBLE_CONFIG`, `./ansible.cfg`, `~/.ansible.cfg`, `/etc/ansible/ansible.cfg`;
 * relative entries against that file's folder), else Ansible's default folders. Entries are `:`-separated; `~` is
 * the home folder.
 *
 * @example
 * ```ts
 * roleSearchPaths('/proj') // ['/proj/roles', '/home/u/.ansible/roles', '/usr/share/ansible/roles', …, '/proj']
 * ```
 */
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

const DEFAULT_ROLES_PATH = '~/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles'

/** The ansible.cfg file Ansible would read, if any. */
export function ansibleCfgFile(): string | undefined {
  const env = process.env.ANSIBLE_CONFIG
  const candidates = [env, resolve('ansible.cfg'), join(homedir(), '.ansible.cfg'), '/etc/ansible/ansible.cfg']
  return candidates.find((f): f is string => !!f && existsSync(f))
}

/** `key` of `section` in INI text (the last one wins; `;`/`#` comments), or undefined. */
export function iniValue(text: string, section: string, key: string): string | undefined {
  let current = ''
  let value: string | undefined
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (!line || line.startsWith('#') || line.startsWith(';')) continue
    const head = /^\[(.+)\]$/.exec(line)
    if (head) current = head[1].trim()
    else if (current === section) {
      const m = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line)
      if (m && m[1] === key) value = m[2].replace(/\s+[;#].*$/, '')
    }
  }
  return value
}

/** Split a `:`-separated path list, `~` expanded, relative entries against `base`. */
/** A `:`-separated list of folders, `~` expanded, relative ones from `base`. */
export function pathList(spec: string, base: string): string[] {
  return spec
    .split(':')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => (p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : resolve(base, p)))
}

const cached = new Map<string, { key: string; paths: string[] }>()

/**
 * A configured path list as Ansible reads it: the environment variable `env`, else `key` in ansible.cfg's
 * `[defaults]` (relative to its folder), else `fallback`; read once per environment, file and working folder.
 */
export function configuredPaths(env: string, key: string, fallback: string): string[] {
  const cfg = ansibleCfgFile()
  const stamp = `${process.env[env] ?? ''}\0${cfg ?? ''}\0${process.cwd()}`
  const hit = cached.get(env)
  if (hit?.key === stamp) return hit.paths
  let paths: string[]
  if (process.env[env]) paths = pathList(process.env[env], process.cwd())
  else {
    const fromCfg = cfg ? iniValue(readFileSync(cfg, 'utf8'), 'defaults', key) : undefined
    paths = fromCfg ? pathList(fromCfg, dirname(cfg!)) : pathList(fallback, process.cwd())
  }
  cached.set(env, { key: stamp, paths })
  return paths
}

/** The configured roles path (see the file header). */
export function rolesPath(): string[] {
  return configuredPaths('ANSIBLE_ROLES_PATH', 'roles_path', DEFAULT_ROLES_PATH)
}

/** The folders a role named `name` is looked for in, for a play in `playDir`, in Ansible's order. */
export function roleSearchPaths(playDir: string): string[] {
  return [join(playDir, 'roles'), ...rolesPath(), playDir]
}

/** Ansible's variables of a role's task: `role_path`, `role_name`, `ansible_role_name` (none outside a role). */
export function roleVars(role: string | undefined, roleDir: string | undefined): Record<string, string> {
  return role && roleDir ? { role_path: resolve(roleDir), role_name: role, ansible_role_name: role } : {}
}
