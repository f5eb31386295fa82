/**
 * `keepalivesWhenQuiet` on a stand-in of ssh2's client parts: a keepalive tick after a packet came in sends nothing
 * and runs the reset ssh2 queued for the reply; a tick after a quiet interval sends the request; a client whose
 * internals are not as expected is left alone.
 */
import type { Client } from 'ssh2'
import { describe, expect, it } from 'vitest'
import { keepalivesWhenQuiet } from '../../engine/ssh/keepalive.js'

/** ssh2's parts as keepalive.ts uses them, recording requests sent, packets seen and resets run. */
function fakeClient() {
  const log: string[] = []
  const callbacks: (() => void)[] = []
  const proto = { _onPacket: () => log.push('packet'), ping: () => log.push('ping') }
  const client = { _protocol: proto, _callbacks: callbacks }
  // ssh2's keepalive tick: queue the reset for the reply, then send the request
  const tick = () => {
    callbacks.push(() => log.push('reset'))
    proto.ping()
  }
  return { client: client as unknown as Client, proto, callbacks, log, tick }
}

describe('keepalivesWhenQuiet', () => {
  it('sends the request only after a quiet interval; after a packet the reset runs at once', () => {
    const f = fakeClient()
    expect(keepalivesWhenQuiet(f.client)).toBe(true)
    f.tick() // nothing came in: sent, its reset waits for the reply
    expect(f.log).toEqual(['ping'])
    expect(f.callbacks).toHaveLength(1)
    f.proto._onPacket() // the reply comes in (a packet) ...
    f.callbacks.shift()!() // ... and runs its reset
    f.tick() // a packet came in since the last tick: nothing sent, reset run now
    expect(f.log).toEqual(['ping', 'packet', 'reset', 'reset'])
    expect(f.callbacks).toHaveLength(0)
    f.tick() // quiet again
    expect(f.log.at(-1)).toBe('ping')
    expect(f.callbacks).toHaveLength(1)
  })

  it('keeps the order of replies still awaited: only the reset just queued runs', () => {
    const f = fakeClient()
    keepalivesWhenQuiet(f.client)
    f.tick() // sent, no reply yet
    f.proto._onPacket()
    f.tick()
    expect(f.callbacks).toHaveLength(1) // the first request's reset still waits for its reply
    expect(f.log).toEqual(['ping', 'packet', 'reset'])
  })

  it.each([
    ['no protocol object', {}],
    ['no ping', { _protocol: { _onPacket: () => {} }, _callbacks: [] }],
    ['no packet hook', { _protocol: { ping: () => {} }, _callbacks: [] }],
    ['no callbacks', { _protocol: { ping: () => {}, _onPacket: () => {} } }],
  ])('leaves a client alone with %s', (_what, parts) => {
    const proto = (parts as { _protocol?: Record<string, unknown> })._protocol
    const before = { ...proto }
    expect(keepalivesWhenQuiet(parts as unknown as Client)).toBe(false)
    expect({ ...proto }).toEqual(before) // the same functions, none wrapped
  })
})
