/**
 * One-line apt sources (`deb URI SUITE COMPONENT…` in /etc/apt/sources.list and sources.list.d/*.list) as Ansible's
 * `apt_repository` reads and writes them: every line is parsed into (enabled, source, comment), a source being
 * valid when its first word is `deb` or `deb-src`, and files are written back normalised (`# ` before a disabled
 * line, one space between words, ` # ` before a comment). Pure.
 *
 * @example
 * ```ts
 * const list = new SourcesList([{ path: '/etc/apt/sources.list', text: 'deb http://x.example/d bookworm main\n' }])
 * list.add('deb [trusted=yes] file:/srv/repo ./', suggestFilename('deb [trusted=yes] file:/srv/repo ./'))
 * list.render() // Map: path → normalised text
 * ```
 */

/** One line of a sources file. */
export interface SourceLine {
  valid: boolean
  enabled: boolean
  source: string
  comment: string
}

/** A sources file as read from the host. */
export interface SourcesFile {
  path: string
  text: string
}

const TYPES = ['deb', 'deb-src']
export const SOURCE_PARTS = '/etc/apt/sources.list.d'

/** Parse one line. */
export function parseLine(raw: string): SourceLine {
  let line = raw.trim()
  let enabled = true
  let comment = ''
  if (line.startsWith('#')) {
    enabled = false
    line = line.slice(1)
  }
  const i = line.indexOf('#')
  if (i > 0) {
    comment = line.slice(i + 1).trim()
    line = line.slice(0, i)
  }
  let source = line.trim()
  let valid = false
  if (source) {
    const words = source.split(/\s+/)
    if (TYPES.includes(words[0])) {
      valid = true
      source = words.join(' ')
    }
  }
  return { valid, enabled, source, comment }
}

/** The repository line given to the module, or why it is refused. */
export function parseRepo(repo: string): string | { invalid: string } {
  const p = parseLine(repo)
  return p.valid && p.enabled ? p.source : { invalid: repo.trim() }
}

/**
 * The file Ansible derives from a source: options and `scheme://` dropped, the first word that is not a type (the
 * URI, without `user:password@`), every run of other characters than ASCII letters and digits made one `_`, then
 * `.list`; `filename` (without `.list`) instead when given. A name without `/` is in sources.list.d.
 */
export function suggestFilename(source: string, filename?: string): string {
  let name = filename
  if (name === undefined) {
    const line = source.replace(/\[[^\]]+\]/g, '').replace(/[\p{L}\p{N}_]+:\/\//gu, '')
    let first = line.split(/\s+/).filter((w) => w !== '' && !TYPES.includes(w))[0] ?? ''
    if (first.includes('@')) first = first.slice(first.indexOf('@') + 1)
    name = first
      .replace(/[^a-zA-Z0-9]/g, ' ')
      .split(/\s+/)
      .filter(Boolean)
      .join('_')
  }
  const file = `${name}.list`
  return file.includes('/') ? file : `${SOURCE_PARTS}/${file}`
}

const render = (lines: readonly SourceLine[]): string =>
  lines.map((l) => `${l.enabled ? '' : '# '}${l.source}${l.comment ? ` # ${l.comment}` : ''}\n`).join('')

/** The sources files of a host, edited as Ansible edits them. */
export class SourcesList {
  readonly files = new Map<string, SourceLine[]>()
  /** Files this edit creates (they get a mode: `mode`, else 0644). */
  readonly created = new Set<string>()
  /** Files this edit adds a line to, new or not (Ansible sets `mode` on them when it is given). */
  readonly appended = new Set<string>()

  constructor(files: readonly SourcesFile[]) {
    for (const f of files) {
      const lines = f.text.split('\n')
      if (lines.at(-1) === '') lines.pop()
      this.files.set(f.path, lines.map(parseLine))
    }
  }

  /** Enable every line with this source, or add it to `file` when there is none. */
  add(source: string, file: string): void {
    let found = false
    for (const lines of this.files.values())
      for (const l of lines)
        if (l.valid && l.source === source) {
          l.enabled = true
          found = true
        }
    if (found) return
    if (!this.files.has(file)) {
      this.files.set(file, [])
      this.created.add(file)
    }
    this.files.get(file)!.push({ valid: true, enabled: true, source, comment: '' })
    this.appended.add(file)
  }

  /** Remove every enabled line with this source. */
  remove(source: string): void {
    for (const [path, lines] of this.files)
      this.files.set(
        path,
        lines.filter((l) => !(l.valid && l.enabled && l.source === source)),
      )
  }

  /** Every file's normalised text; a file left without lines is absent (undefined). */
  render(): Map<string, string | undefined> {
    const out = new Map<string, string | undefined>()
    for (const [path, lines] of this.files) out.set(path, lines.length ? render(lines) : undefined)
    return out
  }
}
