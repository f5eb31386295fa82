/**
 * Reading one Ansible setting (config-settings.ts) as Ansible 2.14 does: a play variable (plugin settings only;
 * the last of its names that is set wins), else an environment variable (likewise), else ansible.cfg (the first
 * file Ansible would read; the last entry set wins), else the default; then the text is read as the setting's type.
 * Paths expand `~` and `$VARS`; a relative path is taken against ansible.cfg's folder when it came from there, else
 * against the working folder. A `tmppath` setting is a new `ansible-local-<pid>…` folder made inside the configured
 * one (removed when tsplay exits), as Ansible makes it.
 *
 * @example
 * ```ts
 * settingValue(GLOBAL_SETTINGS.DEFAULT_FORKS, 'DEFAULT_FORKS') // 5, or $ANSIBLE_FORKS, or ansible.cfg's forks
 * ```
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { UserError } from '../errors.js'
import { toBool, toStr } from '../expr/values.js'
import { ansibleCfgFile, iniValue } from '../source/rolespath.js'
import { GLOBAL_SETTINGS, type HomeDefault, type Setting } from './config-settings.js'

/** A variable of the task (for plugin settings); undefined when not set. */
export type VarReader = (name: string) => unknown

/** The global Ansible setting `name` as Ansible reads it (environment, else ansible.cfg, else its default). */
export function ansibleSetting(name: string): unknown {
  return settingValue(GLOBAL_SETTINGS[name]!, name)
}

/** The value of `s` (named `name` in messages). Throws `UserError` for a value its type cannot read. */
export function settingValue(s: Setting, name: string, vars?: VarReader): unknown {
  let value: unknown
  let base = process.cwd()
  let from = 'default'
  for (const n of (vars && s.vars) || []) {
    const v = vars!(n)
    if (v !== undefined && v !== null) [value, from] = [v, `var: ${n}`]
  }
  if (value === undefined)
    for (const n of s.env ?? []) if (process.env[n] !== undefined) [value, from] = [process.env[n], `env: ${n}`]
  if (value === undefined && s.ini?.length) {
    const cfg = ansibleCfgFile()
    const text = cfg ? readFileSync(cfg, 'utf8') : ''
    for (const entry of s.ini) {
      const dot = entry.indexOf('.')
      const v = cfg ? iniValue(text, entry.slice(0, dot), entry.slice(dot + 1)) : undefined
      if (v !== undefined) [value, from, base] = [v, cfg!, dirname(cfg!)]
    }
  }
  if (value === undefined || value === null) {
    value = typeof s.def === 'function' ? (s.def as HomeDefault)(ansibleHome()) : s.def
    from = 'default'
  }
  try {
    value = ofType(value, s, base)
  } catch (e) {
    if (!(e instanceof TypeError)) throw e
    if (from.startsWith('env: ') && value === '') return ofType(s.def, s, process.cwd())
    throw new UserError(`Invalid type for configuration option ${name} (from ${from}): ${e.message}`)
  }
  if (value !== null && s.choices && !s.choices.includes(toStr(value)))
    throw new UserError(
      `Invalid value "${toStr(value)}" for configuration option "${name}", valid values are: ${s.choices.join(', ')}`,
    )
  return value
}

/** `ANSIBLE_HOME` (the base of several defaults), resolved. */
function ansibleHome(): string {
  return settingValue(GLOBAL_SETTINGS.ANSIBLE_HOME, 'ANSIBLE_HOME') as string
}

/** A value read as its setting's type (a `TypeError` when it cannot be). */
function ofType(v: unknown, s: Setting, base: string): unknown {
  if (v === null || v === undefined) return null
  switch (s.type) {
    case 'bool':
      return toBool(v)
    case 'int': {
      const n = typeof v === 'number' ? v : Number(toStr(v).trim())
      if (!Number.isInteger(n) || toStr(v).trim() === '') throw new TypeError(`invalid literal for int(): ${toStr(v)}`)
      return n
    }
    case 'list':
      return Array.isArray(v)
        ? v
        : toStr(v)
            .split(',')
            .map((x) => unquote(x.trim()))
    case 'path':
      return pathOf(toStr(v), base)
    case 'pathspec':
      return (Array.isArray(v) ? v.map(toStr) : toStr(v).split(':')).map((p) => pathOf(p, base))
    case 'pathlist':
      return (
        Array.isArray(v)
          ? v.map(toStr)
          : toStr(v)
              .split(',')
              .map((x) => x.trim())
      ).map((p) => pathOf(p, base))
    case 'tmppath':
      return localTmp(pathOf(toStr(v), base))
    default:
      return v
  }
}

/** Surrounding matching quotes removed (Ansible's `unquote`). */
function unquote(s: string): string {
  return s.length >= 2 && (s[0] === '"' || s[0] === "'") && s.at(-1) === s[0] ? s.slice(1, -1) : s
}

/** A path with `$VARS` and `~` expanded, made absolute against `base`. */
export function pathOf(p: string, base: string): string {
  const vars = p.replace(/\$(\w+)|\$\{(\w+)\}/g, (m, a?: string, b?: string) => process.env[a ?? b ?? ''] ?? m)
  const home = vars === '~' || vars.startsWith('~/') ? join(homedir(), vars.slice(1)) : vars
  return resolve(base, home)
}

const made = new Map<string, string>()

/** The run's own `ansible-local-<pid>…` folder inside `dir` (made once, mode 0700; removed at exit). */
function localTmp(dir: string): string {
  let out = made.get(dir)
  if (out) return out
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  out = mkdtempSync(join(dir, `ansible-local-${process.pid}`))
  if (made.size === 0) process.once('exit', () => made.forEach((d) => rmSync(d, { recursive: true, force: true })))
  made.set(dir, out)
  return out
}
