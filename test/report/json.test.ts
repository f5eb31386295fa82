import { describe, expect, test } from 'vitest'
import { JsonReporter } from '../../engine/report/json.js'

const recap = { h1: { ok: 1, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 } }

describe('JSON reporter: the recap line', () => {
  const last = (customStats?: Record<string, Record<string, unknown>>) => {
    let out = ''
    const r = new JsonReporter((t) => (out += t))
    r.handle({ type: 'run.end', recap, interrupted: false, ...(customStats ? { customStats } : {}) })
    r.close()
    return JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>
  }

  test("set_stats' stats under the keys of Ansible's JSON callback: per host, and the run's", () => {
    expect(last({ h1: { n: 1 }, _run: { k: 2 } })).toMatchObject({
      type: 'recap',
      custom_stats: { h1: { n: 1 } },
      global_custom_stats: { k: 2 },
    })
  })

  test('no stats recorded: no stats keys', () => {
    const line = last()
    expect(line).not.toHaveProperty('custom_stats')
    expect(line).not.toHaveProperty('global_custom_stats')
  })
})
