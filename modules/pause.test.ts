import { describe, expect, test } from 'vitest'
import { testCtx } from '../test/helpers/module-ctx.js'
import pause, { pauseLength } from './pause.js'

describe('pauseLength', () => {
  const cases: Array<[Parameters<typeof pauseLength>[0], number | undefined, string]> = [
    [{ seconds: 2 }, 2, 'seconds'],
    [{ seconds: 0 }, 1, 'seconds'],
    [{ seconds: 2.7 }, 2, 'seconds'],
    [{ minutes: 1 }, 60, 'minutes'],
    [{ minutes: 1, seconds: 5 }, 60, 'minutes'],
    [{ prompt: 'go?' }, undefined, 'minutes'],
    [{}, undefined, 'minutes'],
  ]
  test.each(cases)('%j → %s %s', (a, seconds, unit) => {
    const got = pauseLength(a)
    expect([got.seconds, got.unit]).toEqual([seconds, unit])
  })
})

describe('pause', () => {
  test('waits the seconds asked; registers Ansible fields', async () => {
    const t0 = Date.now()
    const data = await pause.gather({ seconds: 1 }, testCtx(), { run: never, batch: never, reconnect: never })
    expect(Date.now() - t0).toBeGreaterThanOrEqual(990)
    expect(data).toMatchObject({
      changed: false,
      rc: 0,
      user_input: '',
      stdout: expect.stringMatching(/^Paused for 1/),
    })
    expect(pause.runOnce && pause.controllerOnly).toBe(true)
  })
  test('a prompt without a duration does not wait (no keyboard is read)', async () => {
    const lines: string[] = []
    const t0 = Date.now()
    await pause.gather({ prompt: 'ready?' }, testCtx({ log: (l) => lines.push(l) }), {
      run: never,
      batch: never,
      reconnect: never,
    })
    expect(Date.now() - t0).toBeLessThan(500)
    expect(lines.join('\n')).toMatch(/ready\?: not waiting for an answer/)
  })
  test('Ctrl-C ends the wait', async () => {
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 100)
    const t0 = Date.now()
    await pause.gather({ seconds: 30 }, testCtx({ signal: ac.signal }), { run: never, batch: never, reconnect: never })
    expect(Date.now() - t0).toBeLessThan(2000)
  })
})

function never(): Promise<never> {
  return Promise.reject(new Error('pause runs on the controller only'))
}
