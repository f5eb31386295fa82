/**
 * `set_stats` against Ansible: one playbook (per host and for the run, aggregated and replaced, in a loop, under
 * `run_once`, a failed call, check mode) run by ansible-playbook with its JSON callback and `show_custom_stats`, and by
 * tsplay `--json`: the custom stats, the run's stats and the counts must be the same. Hosts use the local connection.
 */
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tsplay, writeTree } from '../helpers/cli.js'

const hasAnsible = (() => {
  try {
    execFileSync('ansible-playbook', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()
if (!hasAnsible) console.warn('test/engine/set-stats.integration.test.ts skipped: ansible-playbook is missing')

const dir = writeTree({
  'inventory.yml':
    'all:\n  hosts:\n    h1: { ansible_connection: local, n: 5 }\n    h2: { ansible_connection: local, n: 7 }\n',
  'stats.yml': `- hosts: all
  gather_facts: false
  vars: { stats_module: set_stats }
  tasks:
    - set_stats: { data: { n: 1, s: a, l: [1], m: { x: { y: 1 } } } }
      register: r
    - assert: { that: [r is not changed, r.ansible_stats.per_host == false, r.ansible_stats.aggregate] }
    - set_stats: { data: { n: 2, s: b, l: [2], m: { x: { z: 2 } } }, per_host: yes }
    - set_stats: { data: { n: "{{ n }}" }, per_host: true, aggregate: false }
    - set_stats: { data: { k: "{{ item }}" } }
      loop: [1, 2]
    - set_stats: { data: { once: 1 } }
      run_once: true
    - set_stats: { data: { each: 1 }, per_host: true }
      run_once: true
    - set_stats: { data: { mixed: 1 } }
    - set_stats: { data: { mixed: text } }
    - set_stats: { data: { "bad-name": 1 } }
      ignore_errors: true
    - set_stats: { data: { checked: 1 } }
      check_mode: true
    - action: "{{ stats_module }}"
      args: { data: { by_template: 1 } }
    - action: "{{ stats_module }}"
      args: { data: { by_template_once: 1 }, per_host: true }
      run_once: true
`,
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

type Stats = { custom: unknown; global: unknown; counts: Record<string, Record<string, number>> }

describe.skipIf(!hasAnsible)('set_stats agrees with ansible-playbook', () => {
  it('the same custom stats, per host and for the run, and the same counts', async () => {
    const inv = join(dir, 'inventory.yml')
    const book = join(dir, 'stats.yml')
    const out = execFileSync('ansible-playbook', ['-i', inv, book], {
      env: { ...process.env, ANSIBLE_STDOUT_CALLBACK: 'ansible.posix.json', ANSIBLE_SHOW_CUSTOM_STATS: '1' },
      encoding: 'utf8',
    })
    const a = JSON.parse(out) as {
      custom_stats: unknown
      global_custom_stats: unknown
      stats: Record<string, Record<string, number>>
    }
    const ansible: Stats = {
      custom: a.custom_stats,
      global: a.global_custom_stats,
      counts: Object.fromEntries(
        Object.entries(a.stats).map(([h, c]) => [
          h,
          { ok: c.ok, changed: c.changed, failed: c.failures, ignored: c.ignored },
        ]),
      ),
    }
    const t = await tsplay(['run', book, '-i', inv, '--json'])
    const recap = t.events.find((e) => e.type === 'recap') as unknown as Record<string, unknown>
    const hosts = recap.hosts as Record<string, Record<string, number>>
    const ts: Stats = {
      custom: recap.custom_stats,
      global: recap.global_custom_stats,
      counts: Object.fromEntries(
        Object.entries(hosts).map(([h, c]) => [
          h,
          { ok: c.ok, changed: c.changed, failed: c.failed, ignored: c.ignored },
        ]),
      ),
    }
    expect(ts).toEqual(ansible)
    // the playbook exercises what it means to: aggregation, replacement, a dropped value of another type
    expect(ansible.global).toMatchObject({ n: 2, s: 'aa', l: [1, 1], k: 6, once: 1, mixed: 2 })
    expect(ansible.custom).toMatchObject({ h1: { n: 5, each: 1 }, h2: { n: 7, each: 1 } })
    expect(t.code).toBe(0)
  }, 120_000)
})
