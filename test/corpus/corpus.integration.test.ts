/**
 * The bad-input corpus: every folder under `cases/` is a malformed playbook, inventory, vars file or command
 * line, run through the real CLI (`node bin/tsplay.js …`, built by `npm run build` first). Each must end with
 * exit code 5, a message naming the file and line, the expected fragment, no stack trace — and nothing
 * contacted: every inventory points at a TCP server on 127.0.0.1 that this test opens and counts
 * connections on (it must stay at 0).
 *
 * case.json: `{ "args"?: [...], "message": "fragment", "file": "playbook.yml" | null, "line": 3 | null,
 * "generate"?: "huge" | … }`. Large or binary inputs (huge file, alias bomb, non-UTF-8 bytes, deep nesting)
 * are generated here at run time instead of being committed.
 */
import { spawn } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '../..')
const CASES = join(import.meta.dirname, 'cases')
/** The CLI under test; TSPLAY_TEST_CLI may point at another build of `bin/tsplay.js` (e.g. a private snapshot). */
const CLI = process.env.TSPLAY_TEST_CLI ?? join(ROOT, 'bin/tsplay.js')

interface Case {
  args?: string[]
  message: string
  file: string | null
  line: number | null
  generate?: string
}

/** Files written into a case folder at run time (path → content). */
const GENERATORS: Record<string, () => Record<string, string | Uint8Array>> = {
  huge: () => ({
    'playbook.yml': `- hosts: all\n  vars:\n    filler: "${'x'.repeat(9 * 1024 * 1024)}"\n  tasks: []\n`,
  }),
  'alias-bomb': () => {
    let text = '- hosts: all\n  vars:\n    l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n'
    for (let i = 1; i < 10; i++)
      text += `    l${i}: &l${i} [${Array(10)
        .fill(`*l${i - 1}`)
        .join(', ')}]\n`
    return { 'playbook.yml': `${text}  tasks: []\n` }
  },
  'deep-flow': () => ({
    'playbook.yml': `- hosts: all\n  vars: { deep: ${'['.repeat(100_000)}${']'.repeat(100_000)} }\n`,
  }),
  'deep-block': () => ({
    'playbook.yml': `- hosts: all\n  vars:\n${Array.from({ length: 200 }, (_, i) => `${'  '.repeat(i + 2)}k${i}:`).join(
      '\n',
    )} 1\n`,
  }),
  'non-utf8': () => ({ 'playbook.yml': bytes('- hosts: all\n  tasks:\n    - debug: { msg: "caf', [0xff], '" }\n') }),
  'truncated-utf8': () => ({ 'playbook.yml': bytes('- hosts: all\n  name: ', [0xe2, 0x82]) }),
  latin1: () => ({ 'playbook.yml': bytes('- hosts: all\n  name: caf', [0xe9], '\n  tasks: []\n') }),
  'vars-non-utf8': () => ({ 'vars.yml': bytes('a: 1\nb: "', [0xc3, 0x28], '"\n') }),
  'inv-non-utf8': () => ({
    'inventory/hosts.yml': bytes(
      'all:\n  vars: { note: "',
      [0xfe],
      '" }\n  hosts:\n    t1: { ansible_host: 127.0.0.1, ansible_port: __PORT__ }\n',
    ),
  }),
}

function bytes(...parts: Array<string | number[]>): Uint8Array {
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))))
}

const DEFAULT_INVENTORY =
  'all:\n  hosts:\n    t1: { ansible_host: 127.0.0.1, ansible_port: __PORT__, ansible_user: nobody }\n'

/** Replace __PORT__ in every small text file under `dir`. */
function setPort(dir: string, port: number): void {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) setPort(p, port)
    else if (statSync(p).size < 1_000_000) {
      const text = readFileSync(p)
      if (text.includes('__PORT__'))
        writeFileSync(p, text.toString('latin1').replaceAll('__PORT__', String(port)), 'latin1')
    }
  }
}

function runCli(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', HOME: cwd }
    delete env.TSPLAY_INVENTORY
    delete env.TSPLAY_DEBUG
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

const names = readdirSync(CASES)
  .filter((n) => existsSync(join(CASES, n, 'case.json')))
  .sort()
let server: Server
let port = 0
let connections = 0
const work = mkdtempSync(join(tmpdir(), 'tsplay-corpus-'))

beforeAll(async () => {
  if (!existsSync(join(CLI, '../../dist/engine/cli/main.js')))
    throw new Error('dist/ is missing: run `npm run build` first (npm test does)')
  server = createServer((s) => {
    connections++
    s.destroy()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  port = (server.address() as { port: number }).port
})

afterAll(async () => {
  await new Promise((r) => server.close(r))
  rmSync(work, { recursive: true, force: true })
})

describe('bad-input corpus', () => {
  it('has at least 70 cases', () => {
    expect(names.length).toBeGreaterThanOrEqual(70)
  })

  describe.concurrent.each(names)('%s', (name) => {
    it('exits 5 naming file and line, without a stack trace or any contact', async () => {
      const c = JSON.parse(readFileSync(join(CASES, name, 'case.json'), 'utf8')) as Case
      const dir = join(work, name)
      cpSync(join(CASES, name), dir, { recursive: true })
      if (c.generate) {
        const gen = GENERATORS[c.generate]
        expect(gen, `unknown generator ${c.generate}`).toBeDefined()
        for (const [p, content] of Object.entries(gen())) {
          mkdirSync(join(dir, p, '..'), { recursive: true })
          writeFileSync(join(dir, p), content)
        }
      }
      if (!existsSync(join(dir, 'inventory'))) {
        mkdirSync(join(dir, 'inventory'))
        writeFileSync(join(dir, 'inventory/hosts.yml'), DEFAULT_INVENTORY)
      }
      setPort(dir, port)
      const args = c.args ?? ['run', 'playbook.yml', '-i', 'inventory']
      const before = connections
      const r = await runCli(args, dir)
      const shown = `exit ${r.code}\n--- stderr\n${r.stderr}--- stdout\n${r.stdout}`
      expect(r.code, shown).toBe(5)
      expect(r.stderr, shown).toContain(c.message)
      if (c.file) {
        const where = new RegExp(`${c.file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:${c.line}:\\d+`)
        expect(r.stderr, shown).toMatch(where)
      }
      expect(r.stderr, shown).not.toMatch(/^\s+at /m)
      expect(r.stderr + r.stdout, shown).not.toMatch(/INTERNAL ERROR/)
      expect(connections - before, 'a host was contacted').toBe(0)
    }, 60_000)
  })

  it('contacted nothing at all', () => {
    expect(connections).toBe(0)
  })

  it('control: a valid playbook does reach the counting server (so the zero above means something)', async () => {
    const dir = join(work, 'control')
    mkdirSync(join(dir, 'inventory'), { recursive: true })
    writeFileSync(
      join(dir, 'playbook.yml'),
      '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: /bin/true\n',
    )
    const inv =
      `all:\n  hosts:\n    t1: { ansible_host: 127.0.0.1, ansible_port: ${port}, ansible_user: ` +
      `nobody, ansible_password: not-a-real-one }\n`
    writeFileSync(join(dir, 'inventory/hosts.yml'), inv)
    const before = connections
    const r = await runCli(['run', 'playbook.yml', '-i', 'inventory', '--known-hosts', join(dir, 'known_hosts')], dir)
    expect(r.code, r.stderr).toBe(4) // unreachable: the server hangs up
    expect(connections - before).toBeGreaterThan(0)
  }, 60_000)
})
