import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import shell, { resolveShell, shellArgv } from './shell.js'
import { renderString } from '../engine/template.js'
import { localIO, moduleArgs, runWith, testCtx, type WrittenArgs } from '../test/helpers/module-ctx.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-shell-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function run(args: WrittenArgs<typeof shell>) {
  const r = await runWith(shell, args, testCtx(), localIO())
  return { p: r.plan, after: r.results.length ? { data: r.data, fail: r.failed } : undefined }
}

describe('shell', () => {
  test('the script is one argv element after -c', () => {
    expect(shellArgv(moduleArgs(shell, { cmd: 'a | b; c' }))).toEqual(['/bin/sh', '-c', 'a | b; c'])
    expect(shellArgv(moduleArgs(shell, { cmd: 'x', executable: '/bin/bash' }))).toEqual(['/bin/bash', '-c', 'x'])
  })
  test('the schema asks the runner to shell-quote template values', () => {
    expect((shell.schema.properties.cmd as { shellTemplate?: boolean }).shellTemplate).toBe(true)
  })
  test('pipes and redirections work; result has stdout and cmd', async () => {
    const { after } = await run({ cmd: 'printf "a\\nb\\n" | tr a-z A-Z', chdir: dir })
    expect(after?.data).toMatchObject({
      rc: 0,
      stdout: 'A\nB',
      stdout_lines: ['A', 'B'],
      cmd: 'printf "a\\nb\\n" | tr a-z A-Z',
    })
  })
  test('creates makes it idempotent', async () => {
    const args = { cmd: 'touch made', chdir: dir, creates: 'made' }
    expect((await run(args)).p.commands.length).toBe(1)
    expect((await run(args)).p).toMatchObject({ commands: [], msg: "Did not run command since 'made' exists" })
  })
  test('non-zero rc fails with stderr', async () => {
    const { after } = await run({ cmd: 'echo broken >&2; exit 2' })
    expect(after?.fail).toBe('non-zero return code (rc 2): broken')
  })
  test.each([`'; touch ${dir}/pwned #`, `$(touch ${dir}/pwned)`, `\`touch ${dir}/pwned\``, `"; touch ${dir}/pwned; "`])(
    'a variable holding %j stays data once rendered for the shell',
    async (value) => {
      const cmd = renderString('echo {{ v }}', { v: value }, { escape: 'shell' })
      const { after } = await run({ cmd })
      expect(after?.data).toMatchObject({ rc: 0, stdout: value })
      expect(existsSync(join(dir, 'pwned'))).toBe(false)
    },
  )
})

describe('inline options (Ansible free form)', () => {
  test.each([
    ['./build.sh >> log chdir=/src creates=out', { cmd: './build.sh >> log', chdir: '/src', creates: 'out' }],
    ["make creates='/opt/a b/x'", { cmd: 'make', creates: '/opt/a b/x' }],
    ['echo creates=x; ls', { cmd: 'echo creates=x; ls' }],
    ['creates=x', { cmd: 'creates=x' }],
    ["echo 'a chdir=/b'", { cmd: "echo 'a chdir=/b'" }],
  ])('%j', (cmd, want) => {
    expect(resolveShell(moduleArgs(shell, { cmd }))).toEqual(moduleArgs(shell, want))
  })
  test('explicit arguments win', () =>
    expect(resolveShell(moduleArgs(shell, { cmd: 'x creates=/a', creates: '/b' })).creates).toBe('/b'))
})
