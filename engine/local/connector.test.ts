/**
 * The local connector as the controller's own user (no root, no sudo): exit codes, stdin, argv kept as data,
 * environment, working folder, streamed output, timeouts, cancellation and close. Become is tested as root in
 * test/local/become.integration.test.ts.
 */
import { spawnSync } from 'node:child_process'
import { homedir, tmpdir } from 'node:os'
import { describe, expect, test } from 'vitest'
import { sh } from '../commands.js'
import { HostError } from '../errors.js'
import { LocalConnector, localArgv } from './connector.js'
import { Output, SUDO_PROMPT } from './output.js'

const local = new LocalConnector('localhost')

describe('LocalConnector.run', () => {
  const cases: Array<{ name: string; cmd: Parameters<typeof local.run>[0]; rc: number; stdout: string }> = [
    { name: 'exit code 0', cmd: { argv: ['true'] }, rc: 0, stdout: '' },
    { name: 'non-zero exit code returned', cmd: sh('exit 7'), rc: 7, stdout: '' },
    {
      name: 'argv is data, not shell',
      cmd: { argv: ['printf', '%s', '$(id); `x` \'"'] },
      rc: 0,
      stdout: '$(id); `x` \'"',
    },
    { name: 'stdin reaches the command', cmd: { argv: ['cat'], stdin: 'a\nb\n' }, rc: 0, stdout: 'a\nb\n' },
    {
      name: 'binary stdin',
      cmd: { argv: ['od', '-An', '-tx1'], stdin: new Uint8Array([0, 255]) },
      rc: 0,
      stdout: ' 00 ff\n',
    },
    { name: 'cwd', cmd: { argv: ['pwd'], cwd: '/usr' }, rc: 0, stdout: '/usr\n' },
    { name: 'starts in the home folder', cmd: { argv: ['pwd'] }, rc: 0, stdout: `${homedir()}\n` },
    { name: 'env given', cmd: { argv: ['sh', '-c', 'printf %s "$A"'], env: { A: 'x y' } }, rc: 0, stdout: 'x y' },
    { name: 'timeout kills', cmd: { argv: ['sleep', '5'], timeoutSec: 1 }, rc: 124, stdout: '' },
  ]
  test.each(cases)('$name', async ({ cmd, rc, stdout }) => {
    const r = await local.run(cmd)
    expect({ rc: r.rc, stdout: r.stdout }).toEqual({ rc, stdout })
  })

  test('the controller environment is not passed on (only a login-like set)', async () => {
    process.env.TSPLAY_LOCAL_TEST_SECRET = 'do-not-leak'
    try {
      const r = await local.run({ argv: ['env'] })
      expect(r.stdout).not.toContain('do-not-leak')
      expect(r.stdout).toMatch(/^PATH=/m)
    } finally {
      delete process.env.TSPLAY_LOCAL_TEST_SECRET
    }
  })

  test('stderr is kept apart; streamed output arrives while the command runs', async () => {
    const chunks: string[] = []
    const r = await local.run(sh('echo out; echo err >&2'), { onOutput: (c) => chunks.push(c) })
    expect(r).toEqual({ rc: 0, stdout: 'out\n', stderr: 'err\n' })
    expect(chunks.join('')).toContain('out\n')
  })

  test('batch runs every command, in order, even after a failure', async () => {
    const rs = await local.batch([sh('echo 1'), sh('exit 3'), sh('echo 3')])
    expect(rs.map((r) => [r.rc, r.stdout])).toEqual([
      [0, '1\n'],
      [3, ''],
      [0, '3\n'],
    ])
  })

  test('a cancelled command is killed and rejects with HostError', async () => {
    const ac = new AbortController()
    const t0 = Date.now()
    const p = local.run({ argv: ['sleep', '30'] }, { signal: ac.signal })
    setTimeout(() => ac.abort(new Error('Ctrl-C')), 100)
    await expect(p).rejects.toThrow(/command cancelled: Ctrl-C/)
    expect(Date.now() - t0).toBeLessThan(5000)
  })

  test('close kills what still runs, then refuses new commands', async () => {
    const c = new LocalConnector('localhost')
    const p = c.run(sh('sleep 30'))
    await new Promise((r) => setTimeout(r, 100))
    const t0 = Date.now()
    await c.close()
    expect((await p).rc).toBe(143)
    expect(Date.now() - t0).toBeLessThan(4000)
    await expect(c.run({ argv: ['true'] })).rejects.toBeInstanceOf(HostError)
  })

  test('reconnect has nothing to wait for', async () => {
    await expect(local.reconnect()).resolves.toBeUndefined()
  })
})

describe('localArgv', () => {
  test('no become: sh -c TEXT', () => {
    expect(localArgv('echo hi', undefined, false)).toEqual(['/bin/sh', '-c', 'echo hi'])
  })
  test('become: sudo reads a password on stdin only when there is one; the password is never an argument', () => {
    const withPw = localArgv('id', 'postgres', true)
    expect(withPw.slice(0, 8)).toEqual(['sudo', '-S', '-p', SUDO_PROMPT, '-H', '-u', 'postgres', '--'])
    expect(withPw.at(-1)).toBe('id')
    expect(localArgv('id', 'postgres', false)[1]).toBe('-n')
    expect(localArgv('id', 'postgres', false, { method: 'sudo', flags: ['-E'] }).slice(0, 9)).toEqual([
      'sudo',
      '-n',
      '-p',
      SUDO_PROMPT,
      '-H',
      '-E',
      '-u',
      'postgres',
      '--',
    ])
  })
})

describe('become with su or doas', () => {
  test('su runs the starter with the text through the login shell; doas runs it as argv words', () => {
    const text = 'printf "%s|" "$0" \'a  b\''
    const su = localArgv(text, 'app', true, { method: 'su', exe: '/bin/su', flags: ['-l'] })
    expect(su.slice(0, 4)).toEqual(['/bin/su', '-l', 'app', '-c'])
    const doas = localArgv(text, 'app', true, { method: 'doas' })
    expect(doas.slice(0, 6)).toEqual(['doas', '-n', '-u', 'app', '/bin/sh', '-c'])
    expect(doas.at(-1)).toBe(text)
    // su's -c text as a login shell (here /bin/sh) runs it: the start mark on stderr, then the text
    const r = spawnSync('/bin/sh', ['-c', su[4]], { encoding: 'utf8', cwd: tmpdir() })
    expect([r.stdout, r.stderr]).toEqual(['/bin/sh|a  b|', '\x1eTSPSTART\n'])
  })
})

describe('become with sudo -i/-s (a login shell runs the command first)', () => {
  test('the starter and the text reach /bin/sh with no `$` a login shell could expand, and run as they are', () => {
    const text = 'printf "%s|" "$0" \'a  b\'; echo "$((1 + 2))"'
    const argv = localArgv(text, 'app', false, { method: 'sudo', flags: ['-i'] })
    expect(argv.slice(0, 10)).toEqual(['sudo', '-n', '-p', SUDO_PROMPT, '-H', '-i', '-u', 'app', '--', '/bin/sh'])
    expect(argv[10]).toBe('-c')
    expect(argv[11].slice(15, -3)).not.toMatch(/[$'"`]/)
    // run here without sudo: the start mark on stderr, then the text
    const r = spawnSync('/bin/sh', ['-c', argv[11]], { encoding: 'utf8', cwd: tmpdir() })
    expect([r.stdout, r.stderr]).toEqual(['/bin/sh|a  b|3\n', '\x1eTSPSTART\n'])
  })
})

describe('Output (sudo prompt and start mark)', () => {
  const cases: Array<{ name: string; chunks: string[]; events: Array<string | undefined>; stderr: string }> = [
    { name: 'no sudo words', chunks: ['\x1eTSPSTART\nwarn\n'], events: ['started'], stderr: 'warn\n' },
    { name: 'prompt, then start', chunks: [SUDO_PROMPT, '\x1eTSPSTART\n'], events: ['prompt', 'started'], stderr: '' },
    {
      name: 'prompt split over chunks, lecture dropped',
      chunks: ['lecture\n[tsplay-sudo', '-password]', '\x1eTSP', 'START\nx'],
      events: [undefined, 'prompt', undefined, 'started'],
      stderr: 'x',
    },
    {
      name: 'prompt twice: wrong password; sudo words kept, prompts removed',
      chunks: [SUDO_PROMPT, `Sorry, try again.\n${SUDO_PROMPT}`, 'sudo: 1 incorrect password attempt\n'],
      events: ['prompt', 'prompt', undefined],
      stderr: 'Sorry, try again.\nsudo: 1 incorrect password attempt\n',
    },
  ]
  test.each(cases)('$name', ({ chunks, events, stderr }) => {
    const o = new Output('sudo')
    expect(chunks.map((c) => o.stderr(Buffer.from(c)))).toEqual(events)
    expect(o.end().stderr).toBe(stderr)
  })

  test.each([
    { name: 'su prompt in any language', chunks: ['Passwort: ', '\x1eTSPSTART\nx'], events: ['prompt', 'started'] },
    { name: 'full-width colon', chunks: ['密码：', '\x1eTSPSTART\n'], events: ['prompt', 'started'] },
    {
      name: 'su prompt split, then a failure line (no second prompt)',
      chunks: ['Pass', 'word: ', '\nsu: Authentication failure\n'],
      events: [undefined, 'prompt', undefined],
    },
    { name: 'a second prompt after the answer', chunks: ['Password: ', '\nPassword: '], events: ['prompt', 'prompt'] },
  ])('$name', ({ chunks, events }) => {
    const o = new Output('su')
    expect(chunks.map((c) => o.stderr(Buffer.from(c)))).toEqual(events)
  })

  test('doas has no prompt of its own to answer (it runs with -n)', () => {
    const o = new Output('doas')
    expect(o.stderr(Buffer.from('doas: a password is required\n'))).toBeUndefined()
    expect(o.end().stderr).toBe('doas: a password is required\n')
  })
})
