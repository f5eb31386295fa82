import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { resolveArgs } from '../engine/load/args.js'
import waitFor, { afterWait, planWait, timeoutMessage } from './wait_for.js'
import { localAsyncIO, moduleArgs, runWith, testCtx, type WrittenArgs } from '../test/helpers/module-ctx.js'

let server: Server
let open = 0
let closed = 0
const dir = mkdtempSync(join(tmpdir(), 'tsplay-wait-'))

beforeAll(async () => {
  server = createServer((s) => {
    s.on('error', () => {})
    s.end('SSH-2.0-banner ready\n')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  open = (server.address() as { port: number }).port
  const probe = createServer()
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
  closed = (probe.address() as { port: number }).port
  await new Promise<void>((r) => probe.close(() => r()))
})
afterAll(() => {
  server.close()
  rmSync(dir, { recursive: true, force: true })
})

async function wait(args: WrittenArgs<typeof waitFor>) {
  // commands run here without blocking the event loop: the test serves its port in-process
  const r = await runWith(waitFor, args, testCtx(), localAsyncIO())
  expect(r.plan.fail).toBeUndefined()
  expect(r.plan.changed).toBe(false)
  expect(r.plan.commands.length).toBe(1) // the whole wait is one command on the host
  return { fail: r.failed, changed: r.changed, data: r.data }
}

/** Arguments (made when the ports are known) and the expected failure message. */
type Case = [() => WrittenArgs<typeof waitFor>, (() => string) | undefined]

describe('wait_for on this machine (loopback only)', () => {
  test.each<Case>([
    [() => ({ port: open }), undefined],
    [() => ({ port: open, search_regex: 'banner\\s+ready' }), undefined],
    [() => ({ port: closed, state: 'stopped' }), undefined],
    [() => ({ port: closed, timeout: 1, sleep: 0.2 }), () => `Timeout when waiting for 127.0.0.1:${closed}`],
    [() => ({ port: open, state: 'stopped', timeout: 1, sleep: 0.2, msg: 'still up' }), () => 'still up'],
    [
      () => ({ port: open, search_regex: 'nope', timeout: 1, sleep: 0.2, connect_timeout: 1 }),
      () => 'Timeout when waiting for search string nope in 127.0.0.1:' + open,
    ],
    [
      () => ({ path: join(dir, 'ready'), timeout: 1, sleep: 0.2 }),
      () => `Timeout when waiting for file ${join(dir, 'ready')}`,
    ],
    [() => ({ path: join(dir, 'gone'), state: 'absent' }), undefined],
    [() => ({ path: join(dir, 'status'), search_regex: '^state=ok$' }), undefined],
  ])('case %#', async (args, fail) => {
    writeFileSync(join(dir, 'status'), 'x\nstate=ok\n')
    const r = await wait(args())
    expect(r.fail).toBe(fail?.())
    expect(r.changed).toBe(false)
    expect(typeof (r.data as { elapsed: number }).elapsed).toBe('number')
  })
  test('drained: waits while a connection to the port is open (unless from an excluded address)', async () => {
    const { connect } = await import('node:net')
    expect((await wait({ port: open, state: 'drained', timeout: 2, sleep: 0.2 })).fail).toBeUndefined()
    const held = createServer((s) => s.on('error', () => {}))
    await new Promise<void>((r) => held.listen(0, '127.0.0.1', r))
    const port = (held.address() as { port: number }).port
    const c = connect(port, '127.0.0.1')
    await new Promise<void>((r) => c.on('connect', () => r()))
    try {
      const busy = await wait({ port, state: 'drained', timeout: 1, sleep: 0.2 })
      expect(busy.fail).toBe(`Timeout when waiting for 127.0.0.1:${port} to drain`)
      const excluded = await wait({ port, state: 'drained', timeout: 1, sleep: 0.2, exclude_hosts: ['127.0.0.1'] })
      expect(excluded.fail).toBeUndefined()
    } finally {
      c.destroy()
      held.close()
    }
    expect(planWait(moduleArgs(waitFor, { state: 'drained', path: '/x' })).fail).toBe('state=drained needs a port')
  })
  test('a file appearing while waiting ends the wait', async () => {
    const path = join(dir, 'later')
    setTimeout(() => writeFileSync(path, ''), 300)
    expect((await wait({ path, timeout: 10, sleep: 0.1 })).fail).toBeUndefined()
  })
  test("a file's match groups, as Python's groups() and groupdict() of a search over the whole file", async () => {
    const path = join(dir, 'banner')
    writeFileSync(path, 'a\nname=pi ver=3 é\nend\n')
    const groups = async (search_regex: string) => {
      const r = await wait({ path, search_regex, timeout: 1, sleep: 0.2 })
      expect(r.fail).toBeUndefined()
      return [r.data.match_groups, r.data.match_groupdict]
    }
    // a match across lines; named groups in the pattern's order; a group that took no part is null; UTF-8 text
    expect(await groups('(?P<ver>\\w+)=pi ver=(?P<n>\\d) (é)(x)?\\nend$')).toEqual([
      ['name', '3', 'é', null],
      { ver: 'name', n: '3' },
    ])
    expect(await groups('^end$')).toEqual([[], {}])
    // a port's are always empty, as Ansible fills them for a file only
    const r = await wait({ port: open, search_regex: 'banner\\s+(ready)' })
    expect([r.data.match_groups, r.data.match_groupdict]).toEqual([[], {}])
  })
  test('hostile host and path values are arguments, not shell', async () => {
    const r = await wait({ host: `127.0.0.1; touch ${dir}/pwned`, port: open, timeout: 0 })
    expect(r.fail).toMatch(/^Timeout/)
    const q = await wait({ path: `$(touch ${dir}/pwned)`, timeout: 0 })
    expect(q.fail).toMatch(/^Timeout/)
    await expect(import('node:fs').then((fs) => fs.existsSync(join(dir, 'pwned')))).resolves.toBe(false)
  })
})

describe('plan and messages', () => {
  test.each([[{ port: 1, state: 'absent' }, 'state=absent is for path; use started/stopped with port']] as const)(
    '%j fails',
    (args, fail) => expect(planWait(moduleArgs(waitFor, args)).fail).toBe(fail),
  )
  test.each([
    [{ path: '/x', state: 'absent' }, 'Timeout when waiting for /x to be absent.'],
    [{ port: 80, host: 'db', state: 'stopped' }, 'Timeout when waiting for db:80 to stop.'],
  ] as const)('%j', (args, msg) => expect(timeoutMessage(moduleArgs(waitFor, args))).toBe(msg))
  test('port and path together are refused by the schema rules', () => {
    expect(() => resolveArgs(waitFor, { port: 1, path: '/x' }, { file: 't.yml', line: 1, col: 1 })).toThrow(
      /"port", "path" of module wait_for are mutually exclusive/,
    )
  })
  test('check mode: no results, no failure', () => expect(afterWait(moduleArgs(waitFor, {}), [])).toEqual({}))
})
