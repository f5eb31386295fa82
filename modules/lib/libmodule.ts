/**
 * What a library module (a program in a `library/` folder, Ansible's custom modules) is and how it is called: its
 * style read from its bytes as Ansible reads it, the interpreter its `#!` line names (with Ansible's
 * `ansible_<name>_interpreter` overrides), the arguments file each style expects, and its JSON answer read back.
 * Pure functions; modules/library.ts runs them.
 *
 * @example
 * ```ts
 * const m = classify(readFileSync('library/hello.sh'))  // { style: 'old', shebang: ['/bin/sh'] , … }
 * argsText(m.style, { name: 'x' }, internal)            // "name=x _ansible_check_mode=False …"
 * ```
 */
import { pyStr } from '../../engine/expr/pystr.js'
import { splitArgs } from '../../engine/source/split.js'
import type { Vars } from '../../engine/types.js'

/** Ansible's module styles: `new` (AnsibleModule: JSON in ANSIBLE_MODULE_ARGS), `want_json`, `old`, `binary`. */
export type ModuleStyle = 'new' | 'want_json' | 'old' | 'binary'

/** A library module read on the controller. */
export interface LibraryModule {
  style: ModuleStyle
  /** The module is Python using Ansible's module_utils (runs with the host's Python). */
  python: boolean
  /** The `#!` line's words (empty when there is none). */
  shebang: string[]
  /** The module as sent: marker lines Ansible replaces are replaced. */
  body: Uint8Array
  /** Arguments are written into the body (Ansible's JSON-args marker): no arguments file. */
  argsInBody: boolean
  /** A Windows module (PowerShell): tsplay cannot run it. */
  windows: boolean
  /** The body is an AnsiballZ program (modules/lib/ansiballz.ts): it holds the arguments, no file is given. */
  zipped?: boolean
}

const MARK_COMMON = '#<<INCLUDE_ANSIBLE_MODULE_COMMON>>'
const MARK_JSONARGS = '<<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>'
const MARK_WINDOWS = '# POWERSHELL_COMMON'
/** Python imports of Ansible's module_utils, as Ansible recognises a new-style module. */
const NEW_STYLE = new RegExp(
  [
    'from +\\.{2,} *module_utils.* +import ',
    'from +ansible_collections\\.[^.]+\\.[^.]+\\.plugins\\.module_utils.* +import ',
    'import +ansible_collections\\.[^.]+\\.[^.]+\\.plugins\\.module_utils.*',
    'from +ansible\\.module_utils.* +import ',
    'import +ansible\\.module_utils\\.',
  ].join('|'),
)

/** Binary when the first KiB holds a byte that is not text (controls other than BEL, BS, TAB, LF, FF, CR, ESC). */
export function isBinary(b: Uint8Array): boolean {
  const n = Math.min(b.length, 1024)
  for (let i = 0; i < n; i++) {
    const c = b[i]
    if ((c < 0x20 && ![7, 8, 9, 10, 12, 13, 27].includes(c)) || c === 0x7f) return true
  }
  return false
}

/** The style, interpreter line and body of a module file's bytes (`file`: its name; `NAME.ps1` is Windows). Pure. */
export function classify(bytes: Uint8Array, args: Vars = {}, file = ''): LibraryModule {
  if (file.endsWith('.ps1'))
    return { style: 'new', python: false, shebang: [], body: bytes, argsInBody: false, windows: true }
  if (isBinary(bytes))
    return { style: 'binary', python: false, shebang: [], body: bytes, argsInBody: false, windows: false }
  let text = Buffer.from(bytes).toString('utf8')
  const first = text.split('\n', 1)[0]
  const shebang = first.startsWith('#!') ? shebangWords(first.slice(2).trim()) : []
  const base = { shebang, argsInBody: false, windows: false }
  if (text.includes(MARK_COMMON)) {
    text = text.replace(MARK_COMMON, 'from ansible.module_utils.basic import *')
    return { ...base, style: 'new', python: true, body: Buffer.from(text) }
  }
  if (NEW_STYLE.test(text)) return { ...base, style: 'new', python: true, body: bytes }
  if (text.includes(MARK_WINDOWS) || /(^|\/)(powershell|pwsh)$/.test(shebang[0] ?? ''))
    return { ...base, style: 'new', python: false, body: bytes, windows: true }
  if (text.includes(MARK_JSONARGS)) {
    text = text.replaceAll(MARK_JSONARGS, JSON.stringify(args))
    return { ...base, style: 'new', python: false, body: Buffer.from(text), argsInBody: true }
  }
  if (text.includes('WANT_JSON')) return { ...base, style: 'want_json', python: false, body: bytes }
  return { ...base, style: 'old', python: false, body: bytes }
}

/** The `#!` line's words, split as the shell splits them (a plain split when its quotes do not close). */
function shebangWords(line: string): string[] {
  try {
    return splitArgs(line)
  } catch {
    return line.split(/\s+/)
  }
}

/** Python's `shlex.quote`: safe words as they are, others in single quotes. */
export function pyShlexQuote(s: string): string {
  if (s === '') return "''"
  if (/^[\w@%+=:,./-]+$/.test(s)) return s
  return `'${s.replaceAll("'", `'"'"'`)}'`
}

/** The arguments file's text for a style: `k=v ` words (old), JSON (want_json, binary), or wrapped JSON (new). */
export function argsText(style: ModuleStyle, args: Vars): string {
  if (style === 'old')
    return Object.entries(args)
      .map(([k, v]) => `${k}=${pyShlexQuote(pyStr(v))} `)
      .join('')
  return JSON.stringify(style === 'new' ? { ANSIBLE_MODULE_ARGS: args } : args)
}

/**
 * The program that runs the module: `[]` to run it directly (binary, or no `#!` line), `['']` for the host's
 * Python found on the host (Ansible's interpreter discovery), else the words to run it with. `vars` gives
 * Ansible's `ansible_python_interpreter` and `ansible_<name>_interpreter` overrides.
 */
export function interpreter(m: LibraryModule, vars: Vars): string[] {
  if (m.style === 'binary') return []
  const words = m.python ? ['/usr/bin/python'] : m.shebang
  if (words.length === 0) return []
  const name = words[0].split('/').pop() ?? ''
  const set = vars[`ansible_${name}_interpreter`]
  if (name === 'python') {
    const v = typeof set === 'string' ? set.trim() : ''
    return v === '' || v.startsWith('auto') ? [''] : shebangWords(v)
  }
  if (typeof set === 'string' && set.trim() !== '') return [set.trim(), ...words.slice(1)]
  return words
}

/** Ansible's reading of module output: from the first line starting `{` to the last line ending `}`. */
export function jsonPart(stdout: string): { json: string; junk: boolean } | undefined {
  const lines = stdout.split('\n')
  const start = lines.findIndex((l) => l.trim().startsWith('{'))
  if (start < 0) return undefined
  let end = lines.length - 1
  while (end >= start && !lines[end].trim().endsWith('}')) end--
  if (end < start) return undefined
  const junk = lines.slice(end + 1).some((l) => l.trim() !== '')
  return { json: lines.slice(start, end + 1).join('\n'), junk }
}
