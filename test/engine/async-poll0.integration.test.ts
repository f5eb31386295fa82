/**
 * `async` with `poll: 0` at run time: the task returns while the job runs (changed, started, not finished, a job
 * ID), `async_status` follows it to its end, and a job still running past its `async` limit is killed there, as
 * Ansible's watchdog does. The host uses the local connection: nothing else is contacted.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tsplay, writeTree } from '../helpers/cli.js'

const dir = writeTree({
  'inventory.yml': 'all:\n  hosts:\n    h1: { ansible_connection: local }\n',
  'forget.yml': `- hosts: h1
  gather_facts: false
  tasks:
    - command: sleep 3
      async: 60
      poll: 0
      register: j
    - assert: { that: [j is changed, j.started == 1, j.finished == 0] }
    - async_status: { jid: "{{ j.ansible_job_id }}" }
      register: now
    - assert: { that: [now.finished == 0, now is not changed] }
    - async_status: { jid: "{{ j.ansible_job_id }}" }
      register: s
      until: s.finished
      retries: 20
      delay: 1
    - assert: { that: [s.rc == 0, s is changed] }
    - async_status: { jid: "{{ j.ansible_job_id }}", mode: cleanup }
`,
  'limit.yml': `- hosts: h1
  gather_facts: false
  tasks:
    - command: sleep 60
      async: 1
      poll: 0
      register: j
    - async_status: { jid: "{{ j.ansible_job_id }}" }
      register: s
      until: s.finished
      retries: 20
      delay: 1
      ignore_errors: true
    - assert: { that: [s is failed, s.rc == 124] }
    - async_status: { jid: "{{ j.ansible_job_id }}", mode: cleanup }
`,
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const run = (pb: string) => tsplay(['run', join(dir, pb), '-i', join(dir, 'inventory.yml'), '--json'])

describe('poll: 0', () => {
  it('returns while the job runs; async_status follows it to its end', async () => {
    const r = await run('forget.yml')
    expect(r.recap?.h1).toMatchObject({ failed: 0, changed: 2, ok: 7 })
    expect(r.code).toBe(0)
  }, 60_000)

  it('a job still running past its async limit is killed (rc 124)', async () => {
    const r = await run('limit.yml')
    expect(r.recap?.h1).toMatchObject({ failed: 0, ignored: 1 })
  }, 60_000)
})
