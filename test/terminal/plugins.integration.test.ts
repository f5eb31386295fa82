/**
 * Ctrl-C on a real terminal (tmux pane) while a playbook's Python filter plugin or action plugin runs: a call that
 * hangs is stopped, its task fails with "interrupted", no new task starts, exit 130, and the Python process is gone
 * afterwards; a Ctrl-C while Python waits between calls prints no Python traceback. On the implicit localhost.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTree } from '../helpers/cli.js'
import { canRunTmux, openScreen, type Screen } from './tmux.js'

const can = canRunTmux()

describe.skipIf(!can.ok)(`Ctrl-C during Python plugins${can.ok ? '' : ` (skipped: ${!can.ok && can.why})`}`, () => {
  let dir: string
  const screens: Screen[] = []
  const open = async (book: string) => {
    const s = await openScreen(['run', join(dir, book)], { cwd: dir })
    screens.push(s)
    return s
  }

  beforeAll(() => {
    dir = writeTree({
      'filter_plugins/slow.py': `import os, time
with open(os.path.join(os.path.dirname(__file__), '..', 'python.pid'), 'w') as f:
    f.write(str(os.getpid()))


class FilterModule(object):
    def filters(self):
        return {'slow': lambda x: time.sleep(600) or x, 'same': lambda x: x}
`,
      'action_plugins/stall.py': `import os, time
from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    def run(self, tmp=None, task_vars=None):
        with open(os.path.join(os.path.dirname(__file__), '..', 'action.pid'), 'w') as f:
            f.write(str(os.getpid()))
        time.sleep(600)
        return {}
`,
      'stall.yml': `- hosts: localhost
  gather_facts: false
  tasks:
    - name: stalled action
      stall:
    - name: next
      debug: { msg: after }
`,
      'hang.yml': `- hosts: localhost
  gather_facts: false
  tasks:
    - name: slow filter
      debug: { msg: "{{ 1 | slow }}" }
    - name: next
      debug: { msg: "{{ 2 | same }}" }
`,
      'idle.yml': `- hosts: localhost
  gather_facts: false
  tasks:
    - name: a plugin call
      debug: { msg: "{{ 1 | same }}" }
    - name: slow command
      command: sleep 5
    - name: next
      debug: { msg: "{{ 2 | same }}" }
`,
    })
  })

  afterAll(async () => {
    for (const s of screens) await s.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const pythonGone = (file = 'python.pid') => {
    const pid = readFileSync(join(dir, file), 'utf8').trim()
    return !existsSync(`/proc/${pid}`) || readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] === 'Z'
  }

  it('stops a plugin call that hangs: its task fails, no new task starts, exit 130, Python ends', async () => {
    const s = await open('hang.yml')
    await s.waitFor((t) => t.includes('TASK [slow filter]'), 30_000, 'the slow filter task')
    await new Promise((r) => setTimeout(r, 1000))
    await s.keys('C-c')
    const code = await s.exitCode(30_000)
    const t = await s.text()
    expect(code, t).toBe(130)
    expect(t).toMatch(/filter "slow" \(.*slow\.py\): interrupted \(Ctrl-C\)/)
    expect(t).not.toContain('TASK [next]')
    expect(t).not.toContain('Traceback')
    expect(pythonGone(), t).toBe(true)
  }, 60_000)

  it('between calls, Ctrl-C reaches tsplay only: no Python traceback, the running task finishes', async () => {
    const s = await open('idle.yml')
    await s.waitFor((t) => t.includes('TASK [slow command]'), 30_000, 'the slow command')
    await new Promise((r) => setTimeout(r, 1000))
    await s.keys('C-c')
    const code = await s.exitCode(30_000)
    const t = await s.text()
    expect(code, t).toBe(130)
    expect(t).not.toContain('Traceback')
    expect(t).not.toContain('KeyboardInterrupt')
    expect(t).toMatch(/localhost\s+: ok=2 /)
    expect(t).not.toContain('TASK [next]')
    expect(pythonGone(), t).toBe(true)
  }, 60_000)

  it('stops an action plugin that hangs: its task fails, no new task starts, exit 130, its Python ends', async () => {
    const s = await open('stall.yml')
    await s.waitFor((t) => t.includes('TASK [stalled action]'), 30_000, 'the stalled action')
    for (let i = 0; i < 300 && !existsSync(join(dir, 'action.pid')); i++) await new Promise((r) => setTimeout(r, 100))
    // ansible-core's local temp folder is tsplay's, so the killed process leaves nothing in ~/.ansible/tmp
    const pid = readFileSync(join(dir, 'action.pid'), 'utf8').trim()
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')
    const local = env.find((e) => e.startsWith('ANSIBLE_LOCAL_TEMP='))?.split('=')[1] ?? ''
    expect(local).toMatch(/tsplay-python-/)
    await s.keys('C-c')
    const code = await s.exitCode(30_000)
    const t = await s.text()
    expect(code, t).toBe(130)
    expect(t).toMatch(/interrupted/)
    expect(t).not.toContain('TASK [next]')
    expect(t).not.toContain('Traceback')
    expect(pythonGone('action.pid'), t).toBe(true)
    expect(existsSync(local)).toBe(false)
  }, 90_000)
})
