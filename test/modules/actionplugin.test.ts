/**
 * An Ansible action plugin run by the controller's Python with ansible-core: what the plugin asks of the host
 * reaches tsplay in order (a module, a command with its input, a file put and fetched back), what it prints is
 * logged, and what it returns — or how it failed — is the result. The host here records requests and answers them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { controllerPython, hasAnsible } from '../../engine/expr/pyplugins.js'
import { runActionPlugin, type ActionHost, type ActionJob } from '../../modules/lib/actionplugin.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-actionplugin-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function plugin(name: string, body: string): ActionJob {
  const file = join(dir, `${name}.py`)
  writeFileSync(file, `from ansible.plugins.action import ActionBase\n\n\nclass ActionModule(ActionBase):\n${body}`)
  return {
    file,
    name,
    args: { who: 'x' },
    vars: { greeting: 'hi {{ who2 }}', who2: 'there' },
    check: false,
    diff: false,
    search: [dir],
    basedir: dir,
    host: 'h1',
  }
}

function recorder() {
  const asked: unknown[] = []
  const files = new Map<string, Buffer>()
  const lines: string[] = []
  const host: ActionHost = {
    async module(name, args) {
      asked.push(['module', name, args])
      return { changed: true, rc: 0, stdout: 'from module' }
    },
    async command(cmd, opts) {
      asked.push(['command', cmd, opts.stdin?.toString()])
      return { rc: 3, stdout: 'out\n', stderr: 'err\n' }
    },
    async put(path, data) {
      asked.push(['put', path])
      files.set(path, data)
    },
    async fetch(path) {
      asked.push(['fetch', path])
      return files.get(path) ?? Buffer.alloc(0)
    },
    log: (l) => lines.push(l),
    signal: new AbortController().signal,
  }
  return { host, asked, lines }
}

describe.skipIf(!hasAnsible(controllerPython()))('an action plugin run', { timeout: 60_000 }, () => {
  it('asks tsplay for modules, commands and files in order, and returns its result', async () => {
    const job = plugin(
      'steps',
      `    def run(self, tmp=None, task_vars=None):
        r = self._execute_module(module_name='ansible.legacy.stat', module_args={'path': '/etc'}, task_vars=task_vars)
        c = self._low_level_execute_command('cat', in_data='secret input')
        local = '${dir}/local'
        with open(local, 'wb') as f:
            f.write(b'\\x00\\xffbytes')
        self._connection.put_file(local, '/remote/file')
        self._connection.fetch_file('/remote/file', local + '.back')
        back = open(local + '.back', 'rb').read()
        print('a line the plugin printed')
        return dict(changed=r['changed'], out=c['stdout_lines'], rc=c['rc'], same=back == b'\\x00\\xffbytes',
                    args=self._task.args, greeting=self._templar.template(task_vars['greeting']), t=(1, 2))
`,
    )
    const { host, asked, lines } = recorder()
    const result = await runActionPlugin(job, host)
    expect(asked).toEqual([
      ['module', 'ansible.legacy.stat', { path: '/etc' }],
      ['command', 'cat', 'secret input'],
      ['put', '/remote/file'],
      ['fetch', '/remote/file'],
    ])
    expect(result).toEqual({
      changed: true,
      out: ['out'],
      rc: 3,
      same: true,
      args: { who: 'x' },
      greeting: 'hi there',
      t: [1, 2],
    })
    expect(lines).toContain('a line the plugin printed')
  })

  it("gives Ansible's failure for an exception, and a plugin's own fail or skip as its result", async () => {
    const { host } = recorder()
    const crash = await runActionPlugin(
      plugin('crash', '    def run(self, tmp=None, task_vars=None):\n        raise ValueError("bad")\n'),
      host,
    )
    expect(crash).toMatchObject({ failed: true, msg: 'Unexpected failure during module execution: bad' })
    const fail = await runActionPlugin(
      plugin(
        'fail',
        '    def run(self, tmp=None, task_vars=None):\n        from ansible.errors import AnsibleActionSkip\n' +
          "        raise AnsibleActionSkip('not now')\n",
      ),
      host,
    )
    expect(fail).toEqual({ skipped: true, msg: 'not now' })
  })

  it('says so when the Python cannot import ansible-core', async () => {
    const { host } = recorder()
    const job = plugin('any', '    pass\n')
    await expect(runActionPlugin(job, host, '/nonexistent/python3')).rejects.toThrow(/gave no result: .*python3/)
  })
})
