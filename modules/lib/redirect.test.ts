import { execFileSync } from 'node:child_process'
import { describe, expect, test } from 'vitest'
import { curlConfig, redirectConfigs } from './download.js'
import { NEXT_HOP, SPLIT_CONFIGS } from './redirect.js'

const base = {
  headers: { 'X-Keep': 'k', 'X-Drop': 'd', 'Content-Type': 'application/json' },
  username: 'u',
  password: 'p',
  auth: 'basic' as const,
  body: '{"x": 1}',
}

describe('the redirect configs', () => {
  test('none named: one hop as before', () => expect(redirectConfigs(base, [])).toBeUndefined())
  test('the named headers (any case) leave both; the body-less one also drops the body and content headers', () => {
    const all = curlConfig(base) + redirectConfigs(base, ['x-DROP'])
    const [first, keep, drop] = all.split(/#tsplay-redirect-(?:keep|drop)\n/)
    expect(first).toBe(curlConfig(base))
    expect(keep).toContain('X-Keep: k')
    expect(keep).not.toContain('X-Drop')
    expect(keep).toContain('data-binary')
    expect(keep).toContain('user = "u:p"')
    expect(drop).toContain('X-Keep: k')
    expect(drop).not.toMatch(/X-Drop|Content-Type|data-binary/)
  })
  test('Authorization named: the credentials stay with the first request too', () => {
    const [, keep, drop] = (curlConfig(base) + redirectConfigs(base, ['Authorization'])).split(/#tsplay-[a-z-]+\n/)
    expect(keep + drop).not.toMatch(/user =|netrc/)
    expect(keep).toContain('X-Drop: d')
  })
})

/** The shell lines run here: the configs split, then the next hop for a code and method. */
function hop(code: number, method: string, loc = 'http://h/seen'): string {
  const script = [
    'cfg=$(cat); two=1; code=$1; method=$2; loc=$3',
    SPLIT_CONFIGS,
    NEXT_HOP,
    'printf "%s|%s|%s|%s|%s\\n" "$hop" "$m" "$loc" "$c1" "$c2"',
  ].join('\n')
  const cfg = 'A\n#tsplay-redirect-keep\nK\n#tsplay-redirect-drop\nD\n'
  const out = execFileSync('sh', ['-c', script, 'sh', String(code), method, loc], { input: cfg, encoding: 'utf8' })
  // the configs keep the line breaks around them (blank lines, which curl skips)
  return out
    .split('|')
    .map((f) => f.trim())
    .join('|')
}

describe("the next hop, as Ansible's redirect handler", () => {
  test.each([
    [302, 'POST', '1|GET|http://h/seen|A|D'],
    [303, 'PUT', '1|GET|http://h/seen|A|D'],
    [302, 'HEAD', '1|HEAD|http://h/seen|A|D'],
    [301, 'POST', '1|GET|http://h/seen|A|D'],
    [301, 'PUT', '1|PUT|http://h/seen|A|D'],
    [307, 'POST', '1|POST|http://h/seen|A|K'],
    [308, 'PUT', '1|PUT|http://h/seen|A|K'],
    [200, 'GET', '|GET|http://h/seen|A|D'],
  ])('%i %s → %s', (code, method, want) => expect(hop(code, method)).toBe(want))
  test("the credentials curl wrote into the redirect's URL are taken out", () => {
    expect(hop(302, 'GET', 'https://u:p@h:8080/a@b?c').split('|')[2]).toBe('https://h:8080/a@b?c')
    expect(hop(302, 'GET', 'http://h?x@y').split('|')[2]).toBe('http://h?x@y')
  })
})
