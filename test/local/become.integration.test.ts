/**
 * Become with the local connector, for real: root becomes another user without a password; a user whose sudo
 * asks for a password becomes root with the right one (the password reaches sudo on stdin only: never in any
 * process's argv or environment), gets a clear error with a wrong one, and a command's own stdin still arrives.
 * Through su, a user becomes another with that user's password, answered on su's stdin (never argv or
 * environment); a wrong or missing one fails clearly. The non-root runs use the connector bundled by esbuild and
 * started with `runuser` as a random test user.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { LocalConnector } from '../../engine/local/connector.js'
import { ensureTestUser, type TestUser } from '../helpers/sshd.js'
import { ensureSuTarget } from '../helpers/test-users.js'
import { needTier } from '../helpers/tier.js'

const ROOT = join(dirname(new URL(import.meta.url).pathname), '..', '..')
const isRoot = process.getuid?.() === 0
let dir = ''
let pw: TestUser

/** Run the bundled connector as `user`: the script reads {password, steps} as JSON on stdin, prints results. */
const SCRIPT = `
import { LocalConnector } from './connector.mjs'
let input = ''
for await (const c of process.stdin) input += c
const { password, steps } = JSON.parse(input)
const c = new LocalConnector('localhost', { becomePassword: password })
const out = []
for (const s of steps) {
  try { out.push(await c.run(s.cmd, { becomeUser: s.become, becomeMethod: s.method })) }
  catch (e) { out.push({ error: e.message }) }
}
await c.close()
console.log(JSON.stringify(out))
`

/** Every process's argv and environment, searched for `needle`. */
function leaks(needle: string): string[] {
  const found: string[] = []
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    for (const f of ['cmdline', 'environ']) {
      try {
        if (readFileSync(`/proc/${p}/${f}`).includes(needle)) found.push(`${p}/${f}`)
      } catch {
        /* ended */
      }
    }
  }
  return found
}

function runAs(user: string, input: object, whileRunning?: () => void): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('runuser', ['-u', user, '--', process.execPath, join(dir, 'run.mjs')], { cwd: dir })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as unknown[]) : reject(new Error(err))))
    child.stdin.end(JSON.stringify(input))
    whileRunning?.()
  })
}

describe.skipIf(!isRoot)('local connector: become through sudo', () => {
  beforeAll(async () => {
    needTier('become tests with test users', 'integration')
    pw = ensureTestUser('password')
    dir = mkdtempSync(join(tmpdir(), 'tsplay-local-'))
    execFileSync('chmod', ['0755', dir])
    await build({
      entryPoints: [join(ROOT, 'engine/local/connector.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: join(dir, 'connector.mjs'),
      logLevel: 'silent',
    })
    execFileSync('sh', ['-c', 'cat > "$1"', 'sh', join(dir, 'run.mjs')], { input: SCRIPT })
  })
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  test('root becomes nobody without a password; runAs wins over the task become', async () => {
    const c = new LocalConnector('localhost')
    expect((await c.run({ argv: ['id', '-un'] }, { becomeUser: 'nobody' })).stdout).toBe('nobody\n')
    expect((await c.run({ argv: ['id', '-un'], runAs: 'root' }, { becomeUser: 'nobody' })).stdout).toBe('root\n')
    expect((await c.run({ argv: ['cat'], stdin: 'in\n' }, { becomeUser: 'nobody' })).stdout).toBe('in\n')
    await expect(c.run({ argv: ['true'] }, { becomeUser: 'no-such-user-x' })).rejects.toThrow(/no user no-such/)
    await c.close()
  })

  test('a password user becomes root; the password is on stdin only, command stdin still arrives', async () => {
    let seen: string[] = []
    const steps = [
      { cmd: { argv: ['sh', '-c', 'sleep 1; id -un'] }, become: 'root' },
      { cmd: { argv: ['cat'], stdin: 'data\n' }, become: 'root' },
      { cmd: { argv: ['id', '-un'] } },
    ]
    const out = await runAs(pw.user, { password: pw.password, steps }, () => {
      setTimeout(() => (seen = leaks(pw.password)), 500)
    })
    expect(out).toEqual([
      { rc: 0, stdout: 'root\n', stderr: '' },
      { rc: 0, stdout: 'data\n', stderr: '' },
      { rc: 0, stdout: `${pw.user}\n`, stderr: '' },
    ])
    expect(seen.filter((p) => !p.startsWith(`${process.pid}/`))).toEqual([])
  })

  test("su: a user becomes another with that user's password, on su's stdin only; wrong or none fail", async () => {
    const target = ensureSuTarget()
    const su = { method: 'su' }
    let seen: string[] = []
    const steps = [
      { cmd: { argv: ['sh', '-c', 'sleep 1; id -un; echo "$HOME"'] }, become: target.user, method: su },
      { cmd: { argv: ['cat'], stdin: 'data\n' }, become: target.user, method: su },
    ]
    const out = await runAs(pw.user, { password: target.password, steps }, () => {
      setTimeout(() => (seen = leaks(target.password)), 500)
    })
    expect(out).toEqual([
      { rc: 0, stdout: `${target.user}\n/home/${target.user}\n`, stderr: '' },
      { rc: 0, stdout: 'data\n', stderr: '' },
    ])
    expect(seen.filter((p) => !p.startsWith(`${process.pid}/`))).toEqual([])
    const wrong = await runAs(pw.user, { password: 'wrong-password', steps: steps.slice(0, 1) })
    expect(wrong).toEqual([{ error: expect.stringMatching(/cannot become tspt-.*: the become password is wrong/) }])
    const none = await runAs(pw.user, { steps: steps.slice(0, 1) })
    expect(none).toEqual([{ error: expect.stringMatching(/su asks for a password; set ansible_become_password/) }])
  })

  test('a wrong password gives the clear sudo error, without retry loops', async () => {
    const t0 = Date.now()
    const out = await runAs(pw.user, {
      password: 'wrong-password',
      steps: [{ cmd: { argv: ['true'] }, become: 'root' }],
    })
    expect(out).toEqual([{ error: expect.stringMatching(/cannot become root: the become password is wrong/) }])
    expect(Date.now() - t0).toBeLessThan(15000)
  })
})
