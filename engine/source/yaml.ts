/**
 * YAML reading with source positions, for playbooks, vars files and inventories.
 *
 * YAML 1.2 core schema (`no`, `on`, `yes` stay strings), duplicate keys refused, `<<` merge keys accepted
 * (Ansible playbooks use them), and hostile input refused with a `UserError` naming file:line:col:
 * non-UTF-8 bytes, files over a size limit, nesting deeper than a limit, alias expansion bombs.
 *
 * Values come back as plain JS (objects, arrays, strings, numbers, booleans, null) whose positions can be
 * looked up with `posOf(obj)`, `keyPos(obj, 'k')`, `valuePos(obj, 'k')` (engine/source/positions.ts).
 *
 * @example
 * ```ts
 * const { value } = await readYamlFile('inventory/hosts.yml')
 * const where = keyPos(value as object, 'all') // { file, line, col } of the `all:` key
 * ```
 */
import { readFileSync, statSync } from 'node:fs'
import {
  LineCounter,
  parseDocument,
  type CollectionTag,
  type Document,
  type Node,
  type ScalarTag,
  type YAMLError,
} from 'yaml'
import { unsafeText } from '../expr/render.js'
import { YAML11_BOOL } from '../expr/yaml11.js'
import { UserError, UserErrors } from '../errors.js'
import type { SourcePos } from '../types.js'
import { checkNestingDepth, Converter } from './convert.js'
import { decodeUtf8 } from './utf8.js'
import { cachedYaml, storeYaml } from './yamlcache.js'
import { isVaulted, parseVaultText, VaultFormatError } from '../vault/cipher.js'
import { decryptIfVaulted, decryptVault, hasVaultSecrets, rememberInline, rememberVaulted } from '../vault/keyring.js'
import { VaultLocked } from '../vaultlocked.js'

// Position lookups live in positions.ts; re-exported here for the inventory loader, which reads YAML through this file.
export { bestPos, keyPos, mergePositioned, posOf, setPositions, valuePos } from './positions.js'

/** Limits applied to every YAML file. */
export interface YamlLimits {
  /** Largest file accepted, in bytes (default 8 MiB). */
  maxBytes: number
  /** Deepest nesting of maps/lists accepted (default 64). */
  maxDepth: number
  /** Most values that alias expansion may produce in one file (default 100 000). */
  maxAliasNodes: number
}

export const DEFAULT_LIMITS: YamlLimits = { maxBytes: 8 * 1024 * 1024, maxDepth: 64, maxAliasNodes: 100_000 }

/** A parsed YAML file: its plain value and where it came from. */
export interface YamlFile {
  file: string
  /** `undefined` for an empty file (or one holding only comments). */
  value: unknown
  /** Position of the document's root node. */
  pos: SourcePos
}

/**
 * Read and parse one YAML file. Throws `UserError`/`UserErrors` with positions. The file is read synchronously: a
 * playbook's files are read one after another while nothing else waits, and each asynchronous step (stat, open,
 * read, close) would wait for the thread pool: about a fifth of `tsplay validate`'s time went to that waiting.
 */
export async function readYamlFile(file: string, limits: Partial<YamlLimits> = {}): Promise<YamlFile> {
  return Promise.resolve().then(() => readYamlFileSync(file, limits))
}

function readYamlFileSync(file: string, limits: Partial<YamlLimits>): YamlFile {
  const lim = { ...DEFAULT_LIMITS, ...limits }
  let bytes: Buffer
  try {
    const st = statSync(file)
    if (st.isDirectory()) throw new UserError(`${file} is a folder, expected a YAML file`, { file, line: 1, col: 1 })
    if (st.size > lim.maxBytes) {
      throw new UserError(`file too large: ${st.size} bytes (limit ${lim.maxBytes})`, { file, line: 1, col: 1 })
    }
    bytes = readFileSync(file)
  } catch (e) {
    if (e instanceof UserError) throw e
    const code = (e as NodeJS.ErrnoException).code
    const why =
      code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : String((e as Error).message)
    throw new UserError(`cannot read ${file}: ${why}`, { file, line: 1, col: 1 })
  }
  return parseYamlBytes(bytes, file, lim)
}

/**
 * Parse YAML from raw bytes (checks size and UTF-8 first; a vaulted file is decrypted first, as Ansible does). A file
 * parsed before comes from the cache (engine/source/yamlcache.ts).
 */
export function parseYamlBytes(bytes: Uint8Array, file: string, limits: Partial<YamlLimits> = {}): YamlFile {
  const lim = { ...DEFAULT_LIMITS, ...limits }
  if (bytes.length > lim.maxBytes) {
    throw new UserError(`file too large: ${bytes.length} bytes (limit ${lim.maxBytes})`, { file, line: 1, col: 1 })
  }
  const hit = cachedYaml(bytes, file, lim)
  if (hit) return hit
  const text = decodeUtf8(decryptIfVaulted(bytes, file), file)
  const parsed = parseYaml(text, file, lim)
  if (isVaulted(bytes)) rememberVaulted(parsed.value)
  else storeYaml(bytes, lim, parsed)
  return parsed
}

/** Parse YAML text. Throws `UserErrors` listing every syntax error, or a `UserError` for a limit. */
export function parseYaml(text: string, file: string, limits: Partial<YamlLimits> = {}): YamlFile {
  const lim = { ...DEFAULT_LIMITS, ...limits }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  const lc = new LineCounter()
  const at = (offset: number): SourcePos => {
    const p = lc.linePos(Math.max(0, Math.min(offset, text.length)))
    return { file, line: p.line, col: p.col }
  }
  checkNestingDepth(text, file, lim.maxDepth)
  let doc: Document.Parsed
  try {
    doc = parseDocument(text, {
      version: '1.2',
      schema: 'core',
      merge: true,
      uniqueKeys: true,
      prettyErrors: false,
      lineCounter: lc,
      keepSourceTokens: false,
      // YAML 1.2's `0o` octal is text to Ansible's YAML 1.1 loader (`mode: 0o600` is the string '0o600')
      customTags: (tags) => [
        ...tags.filter((t) => typeof t === 'string' || t.format !== 'OCT'),
        UNSAFE_TAG,
        UNSAFE_SEQ,
        UNSAFE_MAP,
        VAULT_TAG,
        YAML11_BOOL,
      ],
    })
  } catch (e) {
    if (e instanceof RangeError) throw new UserError(`YAML nested too deeply to parse (limit ${lim.maxDepth})`, at(0))
    throw e
  }
  const errors = yamlErrors(doc.errors, text, at)
  for (const w of doc.warnings) {
    if (w.code === 'TAG_RESOLVE_FAILED')
      errors.push(new UserError(`unsupported YAML tag: ${yamlMessage(w.message)}`, at(w.pos[0])))
  }
  if (errors.length) throw new UserErrors(errors)
  const conv = new Converter(doc, at, lim)
  const root = doc.contents as Node | null
  const value = root ? conv.toJS(root, 0) : undefined
  return { file, value: value === null && !root ? undefined : value, pos: root?.range ? at(root.range[0]) : at(0) }
}

/** Ansible's `!unsafe`: a string that is never templated (`pass: !unsafe 'p{{w'`). */
const UNSAFE_TAG: ScalarTag = { tag: '!unsafe', default: false, resolve: (s: string) => unsafeText(s) }

/** `!unsafe` on a list or map: every string inside is never templated (the converter marks them). */
const UNSAFE_SEQ: CollectionTag = { tag: '!unsafe', collection: 'seq', default: false }
const UNSAFE_MAP: CollectionTag = { tag: '!unsafe', collection: 'map', default: false }

/**
 * Ansible's `!vault`: an inline vaulted string (`pw: !vault |` then the envelope), decrypted when read. A wrong
 * password, or an envelope that cannot be read, is reported at the tag's position (the yaml package adds it).
 * With no vault password at all the value is kept encrypted (a `VaultLocked`, as Ansible: an error only when used).
 */
const VAULT_TAG: ScalarTag = {
  tag: '!vault',
  default: false,
  resolve(s: string, onError: (msg: string) => void) {
    try {
      if (!hasVaultSecrets()) {
        const label = parseVaultText(s).label ?? ''
        return new VaultLocked(s, label) as unknown as string
      }
      // the error's position is the tag's (the yaml package adds it), so this one is never shown
      const plain = decryptVault(s, { file: '', line: 0, col: 0 }).toString('utf8')
      rememberInline(plain)
      return plain
    } catch (e) {
      if (e instanceof VaultFormatError) {
        onError(`vaulted content cannot be read: ${e.message}`)
        return ''
      }
      if (!(e instanceof UserError)) throw e
      onError(`${e.message}${e.hint ? ` ${e.hint}` : ''}`)
      return ''
    }
  },
}

/** The yaml package's message without its trailing "at line N, column M:" excerpt. */
/**
 * The parser's errors as `UserError`s. Duplicate keys and `!vault` failures are each their own mistake and all
 * listed; of the syntax errors only the first is, since the parser's later ones follow from it (one unquoted
 * `{{ … }}` used to give dozens): it says how many more there are and, as Ansible does, hints at quoting when its
 * line holds an unquoted value with a template or a `: ` in it.
 */
function yamlErrors(errs: readonly YAMLError[], text: string, at: (offset: number) => SourcePos): UserError[] {
  const out: UserError[] = []
  const syntax = errs.filter((e) => e.code !== 'DUPLICATE_KEY' && e.code !== 'TAG_RESOLVE_FAILED')
  for (const e of errs) {
    // only !vault's resolve reports errors: its message is the whole story
    if (e.code === 'TAG_RESOLVE_FAILED') out.push(new UserError(yamlMessage(e.message), at(e.pos[0])))
    else if (e.code === 'DUPLICATE_KEY')
      out.push(new UserError(`YAML syntax error: ${yamlMessage(e.message)}`, at(e.pos[0])))
    else if (e === syntax[0]) {
      const pos = at(e.pos[0])
      const more = syntax.length - 1
      const after =
        more > 0
          ? ` (${more} more YAML error${more > 1 ? 's' : ''} after it in this file, most likely caused by it)`
          : ''
      out.push(new UserError(`YAML syntax error: ${yamlMessage(e.message)}${quoteHint(text, pos.line)}${after}`, pos))
    }
  }
  return out
}

/** A line's value after any `- ` and `key: `, when it is written unquoted (not `"…"`, `'…'`, `|` or `>`). */
function plainValue(line: string): string | undefined {
  const rest = line.replace(/^\s*(?:-\s+)*/, '')
  const key = /^[^\s'"{[#][^:#]*?:(?:\s+|$)/.exec(rest)
  const value = key ? rest.slice(key[0].length) : rest
  return /^['"|>]/.test(value) ? undefined : value
}

/** Ansible's hint for the usual cause, when the error's line (or the one before) has such a value. */
function quoteHint(text: string, line: number): string {
  const lines = text.split('\n', line)
  for (const l of [lines[line - 1], lines[line - 2]]) {
    const value = l === undefined ? undefined : plainValue(l)
    if (value && (value.startsWith('{{') || (value.includes('{{') && value.includes(': ')))) {
      return '; a value with `{{ }}` at its start or `: ` in it must be quoted as a whole (`msg: "{{ x }}"`)'
    }
  }
  return ''
}

function yamlMessage(m: string): string {
  return m.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim()
}
