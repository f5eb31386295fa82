/**
 * The pure core of `authorized_key`: an `authorized_keys` file parsed into keys (options, type, blob, comment) and
 * edited as Ansible's module does — keys identified by their blob, options compared as a map, new keys after the
 * existing ones in the order given, `exclusive` dropping all others, comment and invalid lines kept as they were.
 *
 * @example
 * ```ts
 * editKeys('', 'ssh-ed25519 AAAAC3 me@pc', { state: 'present' }).content // 'ssh-ed25519 AAAAC3 me@pc\n'
 * ```
 */

const KEY_TYPES = new Set([
  'sk-ecdsa-sha2-nistp256@openssh.com',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'ssh-ed25519',
  'ssh-dss',
  'ssh-rsa',
])

/** One line of the file: a key, or a line kept as it is (`type` 'skipped'). */
export interface KeyLine {
  /** The key blob (its identity), or the whole line when skipped. */
  id: string
  type: string
  options: [string, string | undefined][]
  comment: string
  rank: number
}

/** `no-pty,command="a,b"` → ordered name/value pairs (commas inside quotes kept). */
export function parseOptions(text: string | undefined): [string, string | undefined][] {
  if (!text) return []
  const out = new Map<string, string | undefined>()
  for (const part of text.match(/(?:[^,"']|"[^"]*"|'[^']*')+/g) ?? []) {
    const eq = part.indexOf('=')
    if (eq >= 0) out.set(part.slice(0, eq), part.slice(eq + 1))
    else out.set(part, undefined)
  }
  return [...out]
}

/** Parse one key line; undefined when it holds no known key type. */
export function parseKey(raw: string, rank: number): KeyLine | undefined {
  const text = raw.replace(/\\#/g, '#')
  const parts = text.split(/\s+/).filter(Boolean)
  if (parts[0] === '#') return { id: raw, type: 'skipped', options: [], comment: '', rank }
  const at = parts.findIndex((p) => KEY_TYPES.has(p))
  if (at < 0 || at + 1 >= parts.length) return undefined
  return {
    id: parts[at + 1],
    type: parts[at],
    options: parseOptions(at > 0 ? parts.slice(0, at).join(' ') : undefined),
    comment: parts.slice(at + 2).join(' '),
    rank,
  }
}

/** The file's lines by identity, in file order (a later duplicate replaces an earlier one, as in Ansible). */
export function parseKeys(content: string): Map<string, KeyLine> {
  const keys = new Map<string, KeyLine>()
  content.split(/(?<=\n)/).forEach((line, i) => {
    if (line === '') return
    const k = parseKey(line, i) ?? { id: line, type: 'skipped', options: [], comment: '', rank: i }
    keys.set(k.id, k)
  })
  return keys
}

/** The file text, keys in rank order (Ansible writes `TYPE BLOB COMMENT`, with a space even without a comment). */
export function serialize(keys: Map<string, KeyLine>): string {
  return [...keys.values()]
    .sort((a, b) => a.rank - b.rank)
    .map((k) => {
      if (k.type === 'skipped') return k.id
      const opts = k.options.map(([n, v]) => (v === undefined ? n : `${n}=${v}`)).join(',')
      return `${opts ? `${opts} ` : ''}${k.type} ${k.id} ${k.comment}\n`
    })
    .join('')
}

const sameOptions = (a: KeyLine['options'], b: KeyLine['options']): boolean => {
  if (a.length !== b.length) return false
  const m = new Map(b)
  return a.every(([n, v]) => m.has(n) && m.get(n) === v)
}

/** What the task asks. */
export interface KeyEdit {
  state: 'present' | 'absent'
  key_options?: string
  exclusive?: boolean
  comment?: string
}

/** Apply `wanted` (one key per line) to the file's `content`. Throws for a line that is not a key. */
export function editKeys(content: string, wanted: string, e: KeyEdit): { content: string; changed: boolean } {
  const keys = parseKeys(content)
  const existingCount = keys.size
  const keep: string[] = []
  let changed = false
  const lines = wanted.split(/\r?\n|\r/).filter((s) => s && !s.startsWith('#'))
  lines.forEach((line, i) => {
    const parsed = parseKey(line, i)
    if (!parsed || parsed.type === 'skipped') throw new Error(`invalid key specified: ${line}`)
    if (e.key_options !== undefined) parsed.options = parseOptions(e.key_options)
    if (e.comment !== undefined) parsed.comment = e.comment
    const old = keys.get(parsed.id)
    const same =
      !!old && old.type === parsed.type && sameOptions(old.options, parsed.options) && old.comment === parsed.comment
    const matched = !!old && (same || e.state !== 'present')
    if (e.state === 'present') {
      keep.push(parsed.id)
      if (old && !same) {
        keys.delete(parsed.id)
        changed = true
      }
      if (!matched) {
        keys.set(parsed.id, { ...parsed, rank: existingCount + i })
        changed = true
      }
    } else if (matched) {
      keys.delete(parsed.id)
      changed = true
    }
  })
  if (e.state === 'present' && e.exclusive) {
    for (const id of [...keys.keys()]) {
      if (!keep.includes(id)) {
        keys.delete(id)
        changed = true
      }
    }
  }
  return { content: changed ? serialize(keys) : content, changed }
}
