/**
 * Local facts (`ansible_local`), read as Ansible 2.14's setup reads them: every `*.fact` file of `fact_path`
 * (default /etc/ansible/facts.d), run when its owner may execute it, else read; its text parsed as JSON, else as
 * INI (Python's ConfigParser: sections of `key = value` or `key: value`, keys lowercased, `[DEFAULT]` in every
 * section, `%(key)s` interpolation); the key is the file name without `.fact`. A fact that fails is a message in
 * its place, as in Ansible. The shell part runs inside the one fact script; this file parses its output.
 *
 * @example
 * ```ts
 * factValue('[db]\nPort = 5432\n', '/etc/ansible/facts.d/app.fact') // { db: { port: '5432' } }
 * ```
 */

/** Ansible's default `fact_path`. */
export const DEFAULT_FACT_PATH = '/etc/ansible/facts.d'

/**
 * Shell reading `$fp/*.fact`: one line a file, `X NAME RC OUT ERR` (ran), `R NAME TEXT` (read) or `S NAME`
 * (cannot stat), every field base64.
 */
export const LOCAL_FACTS_SCRIPT = [
  'echo @local',
  'if [ -n "$fp" ] && [ -e "$fp" ]; then for f in "$fp"/*.fact; do',
  '  [ -e "$f" ] || continue; n=$(printf %s "$f" | base64 -w0)',
  '  m=$(stat -L -c %A -- "$f" 2>/dev/null) || { echo "S $n"; continue; }',
  '  case $m in',
  '  ???[xs]*) t=$(mktemp) || continue; o=$("$f" 2>"$t"); r=$?',
  '    echo "X $n $r $(printf %s "$o" | base64 -w0) $(base64 -w0 < "$t")"; rm -f -- "$t" ;;',
  '  *) echo "R $n $(base64 -w0 < "$f" 2>/dev/null)" ;;',
  '  esac',
  'done; fi',
].join('\n')

const b64 = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8')

/** The `ansible_local` map from the script's lines. */
export function parseLocalFacts(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const line of text.split('\n')) {
    const [kind, name, ...rest] = line.trim().split(' ')
    if (!['S', 'R', 'X'].includes(kind) || !name) continue
    const fn = b64(name)
    const key = fn.slice(fn.lastIndexOf('/') + 1).replaceAll('.fact', '')
    if (kind === 'S') out[key] = `Could not stat fact (${fn})`
    else if (kind === 'R') out[key] = factValue(b64(rest[0]), fn)
    else if (rest[0] !== '0') out[key] = `Failure executing fact script (${fn}), rc: ${rest[0]}, err: ${b64(rest[2])}`
    else out[key] = factValue(b64(rest[1]), fn)
  }
  return out
}

/** One fact's value: its text as JSON, else as INI, else Ansible's message. */
export function factValue(text: string, fn: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    /* not JSON: INI */
  }
  const ini = parseIni(text)
  if (ini === undefined) return `error loading facts as JSON or ini - please check content: ${fn}`
  try {
    return interpolateAll(ini)
  } catch (e) {
    return `Failed to convert (${fn}) to JSON: ${(e as Error).message}`
  }
}

interface Ini {
  defaults: Record<string, string[]>
  sections: Map<string, Record<string, string[]>>
}

/** ConfigParser's reading (strict): undefined where it raises (no section header, duplicates, a bad line). */
export function parseIni(text: string): Ini | undefined {
  const ini: Ini = { defaults: {}, sections: new Map() }
  let cur: Record<string, string[]> | undefined
  let key: string | undefined
  let keyIndent = 0
  for (const raw of text.split(/\r\n|\n|\r/)) {
    const line = raw.trim()
    if (/^[#;]/.test(line)) continue
    if (line === '') {
      if (cur && key !== undefined) cur[key].push('')
      continue
    }
    const indent = raw.length - raw.trimStart().length
    if (cur && key !== undefined && indent > keyIndent) {
      cur[key].push(line)
      continue
    }
    const head = /^\[(.+)\]/.exec(line)
    if (head) {
      if (head[1] === 'DEFAULT') cur = ini.defaults
      else if (ini.sections.has(head[1])) return undefined
      else ini.sections.set(head[1], (cur = {}))
      key = undefined
      continue
    }
    const opt = /^(.*?)\s*[=:]\s*(.*)$/.exec(line)
    if (!cur || !opt) return undefined
    key = opt[1].trimEnd().toLowerCase()
    if (key in cur) return undefined
    cur[key] = [opt[2]]
    keyIndent = indent
  }
  return ini
}

/** Every section's options (its own, then the defaults it lacks), joined and interpolated as `get` does. */
function interpolateAll(ini: Ini): Record<string, Record<string, string>> {
  const join = (v: string[]) => v.join('\n').trimEnd()
  const out: Record<string, Record<string, string>> = {}
  for (const [name, own] of ini.sections) {
    const all: Record<string, string> = {}
    for (const [k, v] of Object.entries(own)) all[k] = join(v)
    for (const [k, v] of Object.entries(ini.defaults)) if (!(k in all)) all[k] = join(v)
    out[name] = Object.fromEntries(Object.keys(all).map((k) => [k, interpolate(all[k], all, name, 1)]))
  }
  return out
}

/** BasicInterpolation: `%%` is `%`, `%(key)s` the option's value (up to 10 levels deep). */
function interpolate(value: string, opts: Record<string, string>, section: string, depth: number): string {
  if (depth > 10) throw new Error(`Recursion limit exceeded in value substitution: section: [${section}]`)
  return value.replace(/%(%|\(([^)]*)\)s|.?)/g, (m: string, what: string, ref: string | undefined) => {
    if (what === '%') return '%'
    if (ref === undefined) throw new Error(`'%' must be followed by '%' or '(', found: '${m}'`)
    const k = ref.toLowerCase()
    if (!(k in opts)) throw new Error(`Bad value substitution: section: [${section}], option: ${ref}`)
    return interpolate(opts[k], opts, section, depth + 1)
  })
}
