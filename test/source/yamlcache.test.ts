/**
 * The parsed-YAML cache: a file read back from it has the same value and the same positions as a parse, for every
 * YAML file the project ships; what it must not store (vaults, `!unsafe`, errors) is never written; an entry it
 * cannot read, or a folder others can write to, means a plain parse.
 */
import { describe, expect, it } from 'vitest'
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_LIMITS, parseYamlBytes } from '../../engine/source/yaml.js'
import { positionsOf } from '../../engine/source/positions.js'
import { cachedYaml } from '../../engine/source/yamlcache.js'
import { resetParseCache } from '../../engine/source/parsecache.js'
import { tempParseCache } from '../helpers/parsecache.js'

const ROOT = join(import.meta.dirname, '../..')

/** Every `.yml`/`.yaml` file under these folders of the project. */
function yamlFiles(dirs: string[]): string[] {
  const out: string[] = []
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (/\.ya?ml$/.test(e.name)) out.push(p)
    }
  }
  for (const d of dirs) walk(join(ROOT, d))
  return out
}

/** The value with every map's and list's positions, as plain data to compare. */
function withPositions(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v
  const info = positionsOf(v)
  // a map's positions are looked up by key: their order is not compared
  const sorted = (m: Map<string | number, unknown>) => [...m].sort(([a], [b]) => String(a).localeCompare(String(b)))
  const pos = info && { pos: info.pos, keys: sorted(info.keys), values: sorted(info.values) }
  if (Array.isArray(v)) return { list: v.map(withPositions), pos }
  return { map: Object.entries(v).map(([k, x]) => [k, withPositions(x)]), pos }
}

const cacheDir = tempParseCache('tsplay-yamlcache-')

/** The stored entries (no temporary files). */
const entries = () =>
  readdirSync(cacheDir()).includes('yaml')
    ? readdirSync(join(cacheDir(), 'yaml')).filter((n) => !n.endsWith('.tmp'))
    : []

describe('the parsed-YAML cache', () => {
  it('gives back every shipped YAML file with the same value and positions as a parse', () => {
    const files = yamlFiles(['playbooks', 'inventory', 'test'])
    expect(files.length).toBeGreaterThan(40)
    const stored = new Set<string>() // files of the same bytes share one entry
    for (const f of files) {
      const bytes = readFileSync(f)
      let parsed
      try {
        parsed = parseYamlBytes(bytes, f) // a miss: parsed, then stored
      } catch {
        continue // a fixture that is meant not to parse
      }
      const hit = cachedYaml(bytes, f, DEFAULT_LIMITS)
      if (!hit) continue // a vault or !unsafe: not stored
      stored.add(bytes.toString('base64'))
      expect(withPositions(hit.value), f).toEqual(withPositions(parsed.value))
      expect(hit.pos, f).toEqual(parsed.pos)
      expect(withPositions(parseYamlBytes(bytes, f).value), f).toEqual(withPositions(parsed.value))
    }
    expect(stored.size).toBeGreaterThan(40)
    expect(entries().length).toBe(stored.size)
  })

  it('keeps merge keys, anchors, empty files, key order and missing positions as a parse has them', () => {
    const cases = [
      'base: &b {x: 1, y: [2, 3]}\nuse:\n  <<: *b\n  y: 4\n10: ten\n2: two\nz: ~\n',
      '# only a comment\n',
      '- a\n- - b\n  - {c: d}\n- ""\n',
    ]
    for (const text of cases) {
      const bytes = Buffer.from(text)
      const parsed = parseYamlBytes(bytes, 'a.yml')
      const hit = cachedYaml(bytes, 'b.yml', DEFAULT_LIMITS)
      expect(hit, text).toBeDefined()
      expect(hit?.file).toBe('b.yml')
      const plain = (v: unknown) => JSON.stringify(withPositions(v) ?? null)
      expect(plain(hit?.value).replaceAll('b.yml', 'a.yml'), text).toBe(plain(parsed.value))
      expect(hit?.pos, text).toEqual({ ...parsed.pos, file: 'b.yml' })
      if (parsed.value !== null && typeof parsed.value === 'object')
        expect(Object.keys(hit?.value as object)).toEqual(Object.keys(parsed.value))
    }
  })

  it('never stores a vault, an inline !vault, !unsafe, a value JSON cannot hold, or a file that does not parse', () => {
    const never = [
      '$ANSIBLE_VAULT;1.1;AES256\n3031\n',
      'a: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  3031\n',
      'a: !unsafe "{{ x }}"\n',
      'a: .inf\nb: -0.0\n',
      'a: [1, 2\n',
      'a: 1\na: 2\n',
    ]
    for (const text of never) {
      try {
        parseYamlBytes(Buffer.from(text), 'n.yml')
      } catch {
        // refused, as without the cache
      }
      expect(cachedYaml(Buffer.from(text), 'n.yml', DEFAULT_LIMITS), text).toBeUndefined()
    }
    expect(entries()).toEqual([])
  })

  it('refuses again what is refused, and a stricter limit is a miss', () => {
    const text = Buffer.from('a:\n  b:\n    c: 1\n')
    parseYamlBytes(text, 'd.yml')
    expect(cachedYaml(text, 'd.yml', DEFAULT_LIMITS)).toBeDefined()
    expect(() => parseYamlBytes(text, 'd.yml', { maxDepth: 1 })).toThrow(/nested too deeply/)
  })

  it('parses a file whose entry cannot be read, and stores it anew', () => {
    const bytes = Buffer.from('k: [1, 2]\n')
    parseYamlBytes(bytes, 'e.yml')
    const [name] = entries()
    writeFileSync(join(cacheDir(), 'yaml', name), '{"v": {"o": ["k"], "w": [')
    expect(cachedYaml(bytes, 'e.yml', DEFAULT_LIMITS)).toBeUndefined()
    expect(parseYamlBytes(bytes, 'e.yml').value).toEqual({ k: [1, 2] })
    expect(cachedYaml(bytes, 'e.yml', DEFAULT_LIMITS)?.value).toEqual({ k: [1, 2] })
  })

  it('is not used when others can write to its folder, nor when TSPLAY_CACHE_DIR is off', () => {
    parseYamlBytes(Buffer.from('x: 1\n'), 'f.yml')
    expect(entries()).toHaveLength(1)
    chmodSync(join(cacheDir(), 'yaml'), 0o777)
    resetParseCache()
    parseYamlBytes(Buffer.from('y: 2\n'), 'f.yml')
    expect(cachedYaml(Buffer.from('x: 1\n'), 'f.yml', DEFAULT_LIMITS)).toBeUndefined()
    chmodSync(join(cacheDir(), 'yaml'), 0o700)
    expect(entries()).toHaveLength(1)
    process.env.TSPLAY_CACHE_DIR = 'off'
    resetParseCache()
    parseYamlBytes(Buffer.from('z: 3\n'), 'f.yml')
    expect(entries()).toHaveLength(1)
  })
})
