import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { LocalConnector } from '../engine/local/connector.js'
import { taskIO } from '../engine/run/hosts.js'
import { testCtx } from '../test/helpers/module-ctx.js'
import fetch, { fetchDest, planFetch, type FetchState } from './fetch.js'

type Args = Parameters<typeof fetch.plan>[1]

describe('fetchDest (where the copy goes, as Ansible)', () => {
  const cases: Array<[Partial<Args>, string]> = [
    [{ src: '/etc/hosts', dest: '/b' }, '/b/pi1/etc/hosts'],
    [{ src: '/etc/hosts', dest: 'b/' }, '/play/b/pi1/etc/hosts'],
    [{ src: 'rel/x', dest: '/b' }, '/b/pi1/rel/x'],
    [{ src: '/etc/hosts', dest: '/b/h', flat: true }, '/b/h'],
    [{ src: '/etc/hosts', dest: '/b/', flat: true }, '/b/hosts'],
    [{ src: '/etc/hosts', dest: 'b/', flat: true }, '/play/b/hosts'],
  ]
  test.each(cases)('%j → %s', (a, want) => {
    expect(fetchDest({ src: '', dest: '', ...a }, 'pi1', '/play')).toBe(want)
  })
})

describe('planFetch', () => {
  const base: FetchState = { remote: { sha1: 'aa' }, dest: '/b/x' }
  const cases: Array<{ name: string; f: FetchState; a?: Partial<Args>; changed?: boolean; fail?: RegExp }> = [
    { name: 'no copy yet: changed', f: base, changed: true },
    { name: 'same copy: ok', f: { ...base, local: 'aa' }, changed: false },
    { name: 'other copy: changed', f: { ...base, local: 'bb' }, changed: true },
    {
      name: 'missing: fails',
      f: { ...base, remote: { missing: 'the remote file does not exist' } },
      fail: /not exist/,
    },
    {
      name: 'missing, fail_on_missing false: ok',
      f: { ...base, remote: { missing: 'the remote file does not exist' } },
      a: { fail_on_missing: false },
      changed: false,
    },
  ]
  test.each(cases)('$name', ({ f, a, changed, fail }) => {
    const p = planFetch(f, { src: '/x', dest: '/b', ...a })
    expect(p.commands).toEqual([])
    if (fail) expect(p.fail).toMatch(fail)
    else expect(p.changed).toBe(changed)
  })
  test("registers Ansible's fields: a copy that agrees names the file and its sums, a fetch the host's sums", () => {
    expect(planFetch({ ...base, local: 'aa', localMd5: 'm5' }, { src: '/x', dest: '/b' }).data).toEqual({
      ...{ file: '/x', dest: '/b/x', checksum: 'aa', md5sum: 'm5' },
    })
    expect(planFetch(base, { src: '/x', dest: '/b' }).data).toEqual({
      ...{ dest: '/b/x', checksum: 'aa', remote_checksum: 'aa', remote_md5sum: null },
    })
  })
})

describe('fetch through the local connector', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-fetch-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const io = taskIO(new LocalConnector('localhost'), {}, () => undefined)
  test('fetches once, then is ok; the copy holds the bytes', async () => {
    writeFileSync(join(dir, 'src'), Buffer.from([1, 2, 3, 0, 255]))
    const args: Args = { src: join(dir, 'src'), dest: join(dir, 'out') }
    const ctx = testCtx({ host: 'pi1' })
    const run = async () => {
      const plan = fetch.plan(await fetch.gather(args, ctx, io), args, ctx)
      if (plan.changed) await fetch.apply!(plan, args, ctx, io)
      return plan
    }
    expect((await run()).changed).toBe(true)
    expect(readFileSync(join(dir, 'out', 'pi1', dir, 'src'))).toEqual(Buffer.from([1, 2, 3, 0, 255]))
    expect((await run()).changed).toBe(false)
  })
})
