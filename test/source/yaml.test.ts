/**
 * YAML front end: positions, core schema, duplicate keys, limits, UTF-8 — every failure a UserError with a position.
 */
import { describe, expect, it } from 'vitest'
import { UserError, UserErrors } from '../../engine/errors.js'
import { decodeUtf8, firstInvalidUtf8 } from '../../engine/source/utf8.js'
import { keyPos, mergePositioned, parseYaml, parseYamlBytes, posOf, valuePos } from '../../engine/source/yaml.js'

/** The errors a parse raises (one or many), as `line:col message`. */
function failures(text: string, limits = {}): string[] {
  try {
    parseYaml(text, 'f.yml', limits)
  } catch (e) {
    const list = e instanceof UserErrors ? e.errors : e instanceof UserError ? [e] : []
    if (!list.length) throw e
    return list.map((x) => `${x.pos?.line}:${x.pos?.col} ${x.message}`)
  }
  return []
}

describe('parseYaml', () => {
  it("reads yes/no/on/off as booleans, as Ansible's YAML 1.1 loader; quoted, y/n and 0644 as YAML 1.2 core", () => {
    const { value } = parseYaml(
      "a: no\nb: on\nc: yes\nd: true\ne: 0644\nf: ~\ng: OFF\nh: Yes\ni: 'yes'\nj: y\nk: nO\nl: 0o600\nm: 0x1F\n",
      'f.yml',
    )
    expect(value).toEqual({
      a: false,
      b: true,
      c: true,
      d: true,
      e: 644,
      f: null,
      g: false,
      h: true,
      i: 'yes',
      j: 'y',
      k: 'nO',
      l: '0o600', // text to YAML 1.1, as Ansible reads it (a mode it takes as octal)
      m: 31,
    })
  })

  it('records positions of maps, keys and values', () => {
    const { value } = parseYaml('top:\n  - name: x\n    apt: git\n', 'f.yml')
    const list = (value as { top: Array<Record<string, unknown>> }).top
    expect(posOf(list)).toMatchObject({ line: 2, col: 3 })
    expect(keyPos(list[0], 'apt')).toEqual({ file: 'f.yml', line: 3, col: 5 })
    expect(valuePos(list[0], 'apt')).toEqual({ file: 'f.yml', line: 3, col: 10 })
    expect(valuePos(list, 0)).toMatchObject({ line: 2, col: 5 })
  })

  it.each([
    ['duplicate key', 'a: 1\nb: 2\na: 3\n', /^3:1 .*unique/],
    ['unclosed flow list', 'a: [1, 2\nb: 3\n', /^\d+:\d+ YAML syntax error/],
    ['unclosed quote', 'a: "x\n', /^\d+:\d+ YAML syntax error/],
    ['bad indentation', 'a:\n  b: 1\n c: 2\n', /^\d+:\d+ YAML syntax error/],
    ['two documents', 'a: 1\n---\nb: 2\n', /^2:1 .*multiple documents/],
    ['unknown tag', 'a: !secret 1\n', /^1:4 unsupported YAML tag/],
    ['a !vault value that is no vault envelope', 'a: !vault 1\n', /^1:4 vaulted content cannot be read: /],
    ['map as key', '? [a, b]\n: 1\n', /plain value/],
    ['undefined alias', 'a: *nope\n', /^1:4 /],
  ])('%s is a positioned error', (_name, text, re) => {
    const f = failures(text)
    expect(f.length).toBeGreaterThan(0)
    expect(f[0]).toMatch(re)
  })

  it('reports every syntax error at once', () => {
    expect(failures('a: 1\na: 2\nb: 1\nb: 2\n')).toHaveLength(2)
  })

  it('lists only the first syntax error of a cascade, with how many follow and the quoting hint', () => {
    const text = [
      '- debug: msg="{{ {\'b\': 1} | to_json }}"',
      '- debug: msg="{{ {\'c\': 2} | to_json }}"',
      '- debug: msg=x',
      '',
    ].join('\n')
    const f = failures(text)
    expect(f).toHaveLength(1)
    expect(f[0]).toMatch(/^1:\d+ YAML syntax error: .*must be quoted as a whole.*\(\d+ more YAML errors? after it/)
  })

  it('gives no quoting hint when the values near the error are quoted', () => {
    const f = failures('- debug:\n    msg: "{{ x }}"\n   bad: 1\n')
    expect(f).toHaveLength(1)
    expect(f[0]).toMatch(/YAML syntax error/)
    expect(f[0]).not.toMatch(/quoted/)
  })

  it('hints at quoting an unquoted `{{ … }}` list item', () => {
    expect(failures('items:\n  - {{ foo }}\n')).toEqual([expect.stringMatching(/^2:6 .*must be quoted as a whole/)])
  })

  it('refuses alias bombs without expanding them', () => {
    let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n'
    for (let i = 1; i < 12; i++)
      text += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`
    const f = failures(text)
    expect(f[0]).toMatch(/alias bomb/)
  })

  it('accepts moderate alias use and merge keys', () => {
    const { value } = parseYaml('base: &b { x: 1, y: 2 }\nuse:\n  <<: *b\n  y: 3\nlist: [*b, *b]\n', 'f.yml')
    expect(value).toEqual({
      base: { x: 1, y: 2 },
      use: { x: 1, y: 3 },
      list: [
        { x: 1, y: 2 },
        { x: 1, y: 2 },
      ],
    })
  })

  it.each([
    ['flow', (n: number) => '['.repeat(n) + ']'.repeat(n)],
    ['block', (n: number) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1\n'],
    ['dashes', (n: number) => '- '.repeat(n) + 'x\n'],
  ])('refuses %s nesting deeper than the limit, even far beyond what the parser survives', (_n, make) => {
    for (const n of [70, 2000, 20000].filter((n) => _n !== 'block' || n < 5000))
      expect(failures(make(n))[0]).toMatch(/nested too deeply/)
    expect(failures(make(30))).toEqual([])
  })

  it('refuses files over the size limit', () => {
    expect(() => parseYamlBytes(new Uint8Array(2000).fill(0x61), 'f.yml', { maxBytes: 1000 })).toThrow(/too large/)
  })

  it('an empty document has no value', () => {
    expect(parseYaml('# only a comment\n', 'f.yml').value).toBeUndefined()
  })

  it('refuses __proto__ keys', () => {
    expect(failures('__proto__: { polluted: 1 }\n')[0]).toMatch(/__proto__/)
  })
})

describe('UTF-8', () => {
  it.each([
    [[0x61, 0x0a, 0x62, 0xff], 2, 2],
    [[0x61, 0xc3], 1, 2],
    [[0xed, 0xa0, 0x80], 1, 1], // surrogate
    [[0xc0, 0xaf], 1, 1], // overlong
    [[0x0a, 0x0a, 0xc3, 0xa9, 0xe9, 0x0a], 3, 2],
  ])('%j: first bad byte at line %i col %i', (bytes, line, col) => {
    try {
      decodeUtf8(new Uint8Array(bytes), 'x.yml')
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(UserError)
      expect((e as UserError).pos).toEqual({ file: 'x.yml', line, col })
    }
  })

  it('finds no bad byte in valid text', () => {
    const b = new TextEncoder().encode('héllo 😀 wörld')
    expect(firstInvalidUtf8(b)).toBe(b.length)
    expect(decodeUtf8(b, 'x')).toBe('héllo 😀 wörld')
  })
})

describe('mergePositioned', () => {
  it("keeps each key's position from the map it came from", () => {
    const a = parseYaml('x: 1\ny: 2\n', 'a.yml').value as Record<string, unknown>
    const b = parseYaml('\ny: 3\n', 'b.yml').value as Record<string, unknown>
    const m = mergePositioned(a, b)
    expect(m).toEqual({ x: 1, y: 3 })
    expect(valuePos(m, 'x')).toMatchObject({ file: 'a.yml', line: 1 })
    expect(valuePos(m, 'y')).toMatchObject({ file: 'b.yml', line: 2 })
  })
})
