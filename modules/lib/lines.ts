/**
 * The pure core of `lineinfile`: the new file content from the old, following Ansible's algorithm line for line
 * (regexp / search_string / exact line match, insertafter/insertbefore with BOF/EOF, firstmatch, backrefs).
 * Python regular expressions are accepted where JavaScript differs only in spelling (`(?P<name>…)`,
 * `(?P=name)`); `$` matches before a line's newline as in Python.
 *
 * @example
 * ```ts
 * editLines('a=1\nb=2\n', { line: 'b=3', regexp: '^b=' }) // { content: 'a=1\nb=3\n', changed: true, msg: 'line
 * replaced' }
 * ```
 */

/** What to do with the line(s). */
export interface LineEdit {
  state?: 'present' | 'absent'
  line?: string
  regexp?: string
  search_string?: string
  insertafter?: string
  insertbefore?: string
  firstmatch?: boolean
  backrefs?: boolean
}

/** The result: new content, whether it changed, Ansible's message, and lines found (absent). */
export interface LineResult {
  content: string
  changed: boolean
  msg: string
  found?: number
}

/** Thrown for a bad regular expression or a missing argument; the module turns it into a task failure. */
export class LineError extends Error {}

/** Compile a Python-style regular expression. */
export function pyRegex(src: string): RegExp {
  const js = src.replace(/\(\?P<(\w+)>/g, '(?<$1>').replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
  try {
    return new RegExp(js)
  } catch (e) {
    throw new LineError(`invalid regular expression '${src}': ${(e as Error).message}`)
  }
}

/** Python's `match.expand(template)`: `\1`, `\g<1>`, `\g<name>`, and escapes `\n`, `\t`, `\\`. */
export function expand(m: RegExpExecArray, template: string): string {
  return template.replace(
    /\\(?:g<(\w+)>|(\d{1,2})|(.))/gs,
    (_all, g: string | undefined, d: string | undefined, c: string | undefined) => {
      if (g !== undefined) return (/^\d+$/.test(g) ? m[Number(g)] : m.groups?.[g]) ?? ''
      if (d !== undefined) return m[Number(d)] ?? ''
      return c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c === '\\' ? '\\' : `\\${c}`
    },
  )
}

/** Split into lines keeping each `\n` (Python's `readlines`). */
export function splitKeep(content: string): string[] {
  const out = content.split(/(?<=\n)/)
  return out.length === 1 && out[0] === '' ? [] : out
}

const bare = (l: string): string => l.replace(/[\r\n]+$/, '')
const noNl = (l: string): string => (l.endsWith('\n') ? l.slice(0, -1) : l)

/** Apply `edit` to `content`. Pure. */
export function editLines(content: string, edit: LineEdit): LineResult {
  return (edit.state ?? 'present') === 'absent' ? absent(content, edit) : present(content, edit)
}

function present(content: string, e: LineEdit): LineResult {
  if (e.line === undefined) throw new LineError('line is required with state=present')
  if (e.backrefs && e.regexp === undefined) throw new LineError('regexp is required with backrefs=true')
  const lines = splitKeep(content)
  const line = e.line
  const insertafter = e.insertafter === undefined && e.insertbefore === undefined ? 'EOF' : e.insertafter
  const insertbefore = e.insertbefore
  const re = e.regexp !== undefined ? pyRegex(e.regexp) : undefined
  const insRe =
    insertafter !== undefined && insertafter !== 'BOF' && insertafter !== 'EOF'
      ? pyRegex(insertafter)
      : insertbefore !== undefined && insertbefore !== 'BOF'
        ? pyRegex(insertbefore)
        : undefined
  let found = -1
  let insertAt = -1
  let match: RegExpExecArray | boolean | null = null
  if (re) {
    for (let i = 0; i < lines.length; i++) {
      const m = re.exec(noNl(lines[i]))
      if (m) {
        found = i
        match = m
        if (e.firstmatch) break
      }
    }
  }
  if (e.search_string !== undefined) {
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].includes(e.search_string)) {
        found = i
        match = true
        if (e.firstmatch) break
      }
    }
  }
  if (!match) {
    for (let i = 0; i < lines.length; i++) {
      if (bare(lines[i]) === line) {
        found = i
      } else if (insRe && insRe.test(noNl(lines[i]))) {
        if (insertafter !== undefined) {
          insertAt = i + 1
          if (e.firstmatch) break
        }
        if (insertbefore !== undefined) {
          insertAt = i
          if (e.firstmatch) break
        }
      }
    }
  }
  const added = (): LineResult => ({ content: lines.join(''), changed: true, msg: 'line added' })
  const same = (): LineResult => ({ content, changed: false, msg: '' })
  if (found !== -1) {
    let newLine = e.backrefs && match && typeof match !== 'boolean' ? expand(match, line) : line
    if (!newLine.endsWith('\n')) newLine += '\n'
    if (lines[found] === newLine) return same()
    lines[found] = newLine
    return { content: lines.join(''), changed: true, msg: 'line replaced' }
  }
  if (e.backrefs) return same()
  if (insertbefore === 'BOF' || insertafter === 'BOF') {
    lines.unshift(`${line}\n`)
    return added()
  }
  if (insertafter === 'EOF' || insertAt === -1) {
    if (lines.length && !/[\n\r]$/.test(lines[lines.length - 1])) lines.push('\n')
    lines.push(`${line}\n`)
    return added()
  }
  if (insertafter !== undefined) {
    if (insertAt === lines.length) {
      if (bare(lines[insertAt - 1]) === line) return same()
      if (!/[\n\r]$/.test(lines[lines.length - 1])) lines[lines.length - 1] += '\n'
      lines.push(`${line}\n`)
      return added()
    }
    if (bare(lines[insertAt]) === line) return same()
    lines.splice(insertAt, 0, `${line}\n`)
    return added()
  }
  lines.splice(insertAt, 0, `${line}\n`)
  return added()
}

function absent(content: string, e: LineEdit): LineResult {
  if (e.regexp === undefined && e.search_string === undefined && e.line === undefined) {
    throw new LineError('one of line, search_string, or regexp is required with state=absent')
  }
  const re = e.regexp !== undefined ? pyRegex(e.regexp) : undefined
  const lines = splitKeep(content)
  const matches = (l: string): boolean =>
    re ? re.test(noNl(l)) : e.search_string !== undefined ? l.includes(e.search_string) : bare(l) === e.line
  const kept = lines.filter((l) => !matches(l))
  const found = lines.length - kept.length
  return { content: kept.join(''), changed: found > 0, msg: found > 0 ? `${found} line(s) removed` : '', found }
}
