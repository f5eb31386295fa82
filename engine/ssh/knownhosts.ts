/**
 * OpenSSH known_hosts: parse (plain names, comma lists, `[host]:port`, wildcards and `!` negation, hashed
 * `|1|salt|hash` entries, comments, `@revoked`; `@cert-authority` lines are skipped), check a host's key, and
 * add one for explicit trust-on-first-use. Fingerprints are printed as OpenSSH does: `SHA256:base64`.
 *
 * @example
 * ```ts
 * const r = checkHostKey('/root/.ssh/known_hosts', 'pi1.lan', 22, keyBlob)
 * if (r.status === 'changed') console.error(`key changed: now ${r.fingerprint}`)
 * ```
 */
import { createHash, createHmac } from 'node:crypto'
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { dirname } from 'node:path'

/** One usable line of a known_hosts file. */
export interface KnownHostEntry {
  marker?: 'revoked'
  /** Host patterns (plain lists) or one hashed entry. */
  patterns: string[]
  hashed?: { salt: Buffer; hash: Buffer }
  keyType: string
  /** The key blob, base64 as in the file. */
  key: string
  line: number
}

export type HostKeyCheck =
  | { status: 'match' }
  | { status: 'unknown'; fingerprint: string; keyType: string }
  | { status: 'changed'; fingerprint: string; keyType: string; expectedFingerprints: string[] }
  | { status: 'revoked'; fingerprint: string; keyType: string }

/** `SHA256:…` fingerprint of a key blob, as `ssh-keygen -l` prints it. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`
}

/** The key type named inside a key blob (`ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`, …). */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return 'unknown'
  const n = key.readUInt32BE(0)
  return key.subarray(4, 4 + n).toString('latin1')
}

/** The name OpenSSH looks up for a host: `host`, or `[host]:port` when the port is not 22. */
export function hostPortName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`
}

/** Parse known_hosts text. Malformed lines are ignored, as OpenSSH does. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = []
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim()
    if (!line || line.startsWith('#')) return
    const fields = line.split(/\s+/)
    let marker: KnownHostEntry['marker']
    if (fields[0].startsWith('@')) {
      const m = fields.shift()
      if (m === '@revoked') marker = 'revoked'
      else return // @cert-authority and unknown markers: not supported, skipped
    }
    const [hosts, keyType, key] = fields
    if (!hosts || !keyType || !key) return
    const entry: KnownHostEntry = { marker, patterns: [], keyType, key, line: i + 1 }
    if (hosts.startsWith('|1|')) {
      const [, , salt, hash] = hosts.split('|')
      if (!salt || !hash) return
      entry.hashed = { salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') }
    } else entry.patterns = hosts.split(',')
    out.push(entry)
  })
  return out
}

/** Compiled host patterns: every host of a run is checked against every line of the same file. */
const globs = new Map<string, RegExp>()

function globMatch(pattern: string, name: string): boolean {
  let re = globs.get(pattern)
  if (!re) {
    const src = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')
    re = new RegExp(`^${src}$`, 'i')
    if (globs.size >= 10_000) globs.clear() // a huge file must not pile up compiled patterns without end
    globs.set(pattern, re)
  }
  return re.test(name)
}

/** Whether an entry names this host and port (hashed entries are compared by HMAC-SHA1). */
export function entryMatches(e: KnownHostEntry, host: string, port: number): boolean {
  const name = hostPortName(host, port)
  if (e.hashed) {
    return createHmac('sha1', e.hashed.salt).update(name).digest().equals(e.hashed.hash)
  }
  let hit = false
  for (const p of e.patterns) {
    if (p.startsWith('!')) {
      if (globMatch(p.slice(1), name)) return false
    } else if (globMatch(p, name)) hit = true
  }
  return hit
}

/**
 * A file's entries, indexed: those whose patterns are all plain names by each name (lower case: OpenSSH compares
 * names without case), the rest (hashed, wildcards, negations) checked one by one. A run checks every host against
 * the same file, which may list them all: without the index that is hosts × lines pattern tests.
 */
interface ParsedFile {
  text: string
  entries: KnownHostEntry[]
  byName: Map<string, KnownHostEntry[]>
  others: KnownHostEntry[]
}

const isPlain = (p: string) => !/[*?!]/.test(p)

function indexEntries(text: string, entries: KnownHostEntry[]): ParsedFile {
  const byName = new Map<string, KnownHostEntry[]>()
  const others: KnownHostEntry[] = []
  for (const e of entries) {
    if (e.hashed || !e.patterns.every(isPlain)) {
      others.push(e)
      continue
    }
    for (const name of new Set(e.patterns.map((p) => p.toLowerCase()))) {
      const list = byName.get(name)
      if (list) list.push(e)
      else byName.set(name, [e])
    }
  }
  return { text, entries, byName, others }
}

/**
 * The last text read from each file, parsed, with the file's identity then (inode, size, change and modification
 * times in ns): a check looks at the file every time, and reads it again only when it is another file or was changed.
 */
const parsed = new Map<string, { stamp: string; file: ParsedFile }>()

function readFile(file: string): ParsedFile | undefined {
  const st = statSync(file, { bigint: true, throwIfNoEntry: false })
  if (!st) return undefined
  const stamp = `${st.ino} ${st.size} ${st.ctimeNs} ${st.mtimeNs}`
  const last = parsed.get(file)
  if (last?.stamp === stamp) return last.file
  const text = readFileSync(file, 'utf8')
  const f = last?.file.text === text ? last.file : indexEntries(text, parseKnownHosts(text))
  parsed.set(file, { stamp, file: f })
  return f
}

/** The entries (no markers) that name this host and port, in file order. */
function entriesFor(f: ParsedFile | undefined, host: string, port: number): KnownHostEntry[] {
  if (!f) return []
  const plain = f.byName.get(hostPortName(host, port).toLowerCase()) ?? []
  return [...plain, ...f.others.filter((e) => entryMatches(e, host, port))]
    .filter((e) => !e.marker)
    .sort((a, b) => a.line - b.line)
}

/** The key types known for a host (to offer the server only those, as OpenSSH does). */
export function knownKeyTypes(file: string, host: string, port: number): string[] {
  return [...new Set(entriesFor(readFile(file), host, port).map((e) => e.keyType))]
}

/** Check a server's host key blob against a known_hosts file. A missing file means every key is unknown. */
export function checkHostKey(file: string, host: string, port: number, key: Buffer): HostKeyCheck {
  const f = readFile(file)
  const b64 = key.toString('base64')
  const fp = fingerprint(key)
  const keyType = keyTypeOf(key)
  if (f?.entries.some((e) => e.marker === 'revoked' && e.key === b64))
    return { status: 'revoked', fingerprint: fp, keyType }
  const mine = entriesFor(f, host, port)
  if (mine.some((e) => e.key === b64)) return { status: 'match' }
  if (mine.length === 0) return { status: 'unknown', fingerprint: fp, keyType }
  const expectedFingerprints = mine.map(
    (e) => `${e.keyType} ${fingerprint(Buffer.from(e.key, 'base64'))} (line ${e.line})`,
  )
  return { status: 'changed', fingerprint: fp, keyType, expectedFingerprints }
}

/** Append a host key (trust on first use, only when the user asked for it). Creates the file 0600 if needed. */
export function addHostKey(file: string, host: string, port: number, key: Buffer): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  const needsNl = existsSync(file) && !/(^|\n)$/.test(readFileSync(file, 'utf8'))
  appendFileSync(
    file,
    `${needsNl ? '\n' : ''}${hostPortName(host, port)} ${keyTypeOf(key)} ${key.toString('base64')}\n`,
    { mode: 0o600 },
  )
}
