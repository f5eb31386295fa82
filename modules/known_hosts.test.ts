import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { resolveArgs } from '../engine/load/args.js'
import known_hosts, { hashHost, normalize, planKnown, searchHost, type KnownFacts } from './known_hosts.js'
import { localIO, runWith, testCtx } from '../test/helpers/module-ctx.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-kh-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const pub = (name: string, type: 'ed25519' | 'ecdsa') => {
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', join(dir, name)])
  return readFileSync(join(dir, `${name}.pub`), 'utf8')
    .trim()
    .split(' ')
    .slice(0, 2)
    .join(' ')
}
const ED1 = pub('a', 'ed25519')
const ED2 = pub('b', 'ed25519')
const EC = pub('c', 'ecdsa')

const facts = (over: Partial<KnownFacts>): KnownFacts => ({
  path: '/k',
  exists: true,
  content: '',
  search: { rc: 1, stdout: '', stderr: '' },
  sanity: 'x',
  ...over,
})

describe('pure parts', () => {
  test('normalize', () => {
    expect(normalize('@cert-authority *.x ssh-ed25519 AAA c')).toEqual({
      options: '@cert-authority',
      host: '*.x',
      type: 'ssh-ed25519',
      key: 'AAA',
    })
  })
  test('search: same key, other key of the type, other type only', () => {
    const out = (l: string) => ({ rc: 0, stdout: `# Host h found: line 2\n${l}\n`, stderr: '' })
    expect(searchHost(facts({ key: `h ${ED1}\n`, search: out(`h ${ED1}`) }))).toEqual([true, false, 2])
    expect(searchHost(facts({ key: `h ${ED1}\n`, search: out(`h ${ED2}`) }))).toEqual([true, true, 2])
    expect(searchHost(facts({ key: `h ${ED1}\n`, search: out(`h ${EC}`) }))).toEqual([true, true, undefined])
  })
  test('refusals', () => {
    expect(planKnown(facts({}), { name: 'h' }).fail).toBe('No key specified when adding a host')
    expect(planKnown(facts({ key: 'x', sanity: '' }), { name: 'h', key: 'x' }).fail).toBe(
      'Host parameter does not match hashed host field in supplied key',
    )
    expect(planKnown(facts({ key: 'x' }), { name: 'a,b', key: 'x' }).fail).toMatch(/Comma separated/)
  })
  test('hashed host matches ssh-keygen -F', () => {
    const line = hashHost('example.org', `example.org ${ED1}`, Buffer.alloc(20, 7))
    const f = join(dir, 'hashed')
    writeFileSync(f, `${line}\n`)
    expect(execFileSync('ssh-keygen', ['-F', 'example.org', '-f', f], { encoding: 'utf8' })).toContain(line)
  })
  test('aliases and defaults', () => {
    expect(resolveArgs(known_hosts, { host: 'h', key: 'k' }, { file: 't', line: 1, col: 1 })).toEqual({
      name: 'h',
      key: 'k',
      path: '~/.ssh/known_hosts',
      hash_host: false,
      state: 'present',
    })
  })
})

describe('on this machine (real ssh-keygen)', () => {
  const path = join(dir, 'known_hosts')
  const run = async (args: Parameters<typeof planKnown>[1]) => {
    const run = await runWith(known_hosts, args, testCtx(), localIO())
    expect(run.failed).toBeUndefined()
    const p = run.plan
    return p.commands.length > 0
  }
  test('add, keep, replace, other type, hashed, remove one, remove all', async () => {
    writeFileSync(path, `other.org ${ED2}\n`)
    expect(await run({ name: 'Example.org', key: `example.org ${ED1}`, path })).toBe(true)
    expect(await run({ name: 'example.org', key: `example.org ${ED1}`, path })).toBe(false)
    expect(await run({ name: 'example.org', key: `example.org ${ED2}`, path })).toBe(true)
    expect(readFileSync(path, 'utf8')).toBe(`other.org ${ED2}\nexample.org ${ED2}\n`)
    expect(await run({ name: 'example.org', key: `example.org ${EC}`, path })).toBe(true)
    expect(await run({ name: 'h2.org', key: `h2.org ${ED1}`, path, hash_host: true })).toBe(true)
    expect(await run({ name: 'h2.org', key: `h2.org ${ED1}`, path, hash_host: true })).toBe(false)
    expect(readFileSync(path, 'utf8')).toMatch(/\n\|1\|[^ ]+ ssh-ed25519 /)
    expect(await run({ name: 'example.org', key: `example.org ${EC}`, path, state: 'absent' })).toBe(true)
    expect(await run({ name: 'example.org', key: `example.org ${EC}`, path, state: 'absent' })).toBe(false)
    expect(await run({ name: 'other.org', path, state: 'absent' })).toBe(true)
    expect(readFileSync(path, 'utf8')).not.toContain('other.org')
    expect(existsSync(`${path}.old`)).toBe(true)
  })
  test('a new file; a key for another host is refused', async () => {
    const p2 = join(dir, 'kh2')
    expect(await run({ name: 'a.org', key: `a.org ${ED1}`, path: p2 })).toBe(true)
    const f = await known_hosts.gather({ name: 'a.org', key: `b.org ${ED1}`, path: p2 }, testCtx(), localIO())
    expect(known_hosts.plan(f, { name: 'a.org', key: `b.org ${ED1}`, path: p2 }, testCtx()).fail).toMatch(
      /does not match/,
    )
  })
})
