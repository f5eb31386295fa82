import { describe, expect, test } from 'vitest'
import { HostError } from '../engine/errors.js'
import { LocalConnector } from '../engine/local/connector.js'
import type { HostIO } from '../engine/module.js'
import { taskIO } from '../engine/run/hosts.js'
import { waitForConnection } from './wait_for_connection.js'

/**
 * A host that comes back after `down` tries: each try before that fails as a lost connection would; after it,
 * commands really run (through the local connector). Counts reconnects.
 */
function flakyHost(down: number): HostIO & { tries: number; reconnects: number } {
  const real = taskIO(new LocalConnector('localhost'), {}, () => undefined)
  const h = {
    tries: 0,
    reconnects: 0,
    run: async (cmd: Parameters<HostIO['run']>[0]) => {
      if (h.tries++ < down) throw new HostError('pi1', 'dropped', 'pi1: connection lost')
      return real.run(cmd)
    },
    batch: real.batch,
    reconnect: async () => void h.reconnects++,
  }
  return h
}

describe('waitForConnection', () => {
  const cases = [
    { name: 'up at once', down: 0, args: { sleep: 0 }, ok: true, tries: 1 },
    { name: 'back after 3 tries', down: 3, args: { sleep: 0 }, ok: true, tries: 4 },
    { name: 'not back in time', down: 1000, args: { sleep: 1, timeout: 2 }, ok: false, tries: 2 },
  ]
  test.each(cases)('$name', async ({ down, args, ok, tries }) => {
    const host = flakyHost(down)
    const r = await waitForConnection(args, host, new AbortController().signal)
    expect(r.fail === undefined).toBe(ok)
    if (!ok) expect(r.fail).toMatch(/^timed out waiting for ping module test: pi1: connection lost/)
    expect(host.tries).toBe(tries)
    expect(host.reconnects).toBe(tries - 1)
    expect(r.changed).toBe(false)
  })

  test('delay is waited first', async () => {
    const t0 = Date.now()
    const r = await waitForConnection({ delay: 1 }, flakyHost(0), new AbortController().signal)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(990)
    expect(r.data).toEqual({ elapsed: 1 })
  })
})
