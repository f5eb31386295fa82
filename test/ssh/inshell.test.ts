/**
 * In-shell scripts (`inShellScript`) through a real local /bin/sh reading frames as a persistent shell does: the
 * path probe and the `creates` check, called as functions of the shell itself (no subshell), answer exactly what
 * the same scripts answer in a `sh -c` of their own, return their exit status, and leave no variable, IFS or folder
 * change behind for the commands after them. A script that could change the shell is refused when it is marked.
 *
 * @example
 * ```sh
 * npx vitest run test/ssh/inshell.test.ts
 * ```
 */
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { inShellScript } from '../../engine/commands.js'
import { STAT_HELPER_SETUP } from '../../engine/stathelper.js'
import { renderCommand, renderHello, scriptFunction, staysInShell } from '../../engine/ssh/quote.js'
import type { Command } from '../../engine/types.js'
import { answersOf, framesFor, NONCE, shellSession, withoutAtime } from '../helpers/shellframes.js'
import { pathProbe } from '../../modules/lib/probe.js'
import { gatherRun } from '../../modules/lib/run.js'
import { lsattrVersion } from '../../modules/lib/statdetail.js'

const nonce = NONCE
const dir = mkdtempSync(join(tmpdir(), 'tsplay-inshell-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Run the frames in one /bin/sh, after a hello that sets up the stderr and scratch files when `token` is given. */
const session = (cmds: readonly Command[], token?: string, env?: NodeJS.ProcessEnv) =>
  shellSession(cmds, { token, cwd: dir, env })

/** The same command in a `sh` of its own. */
function alone(cmd: Command): { rc: number; out: string } {
  const r = spawnSync(cmd.argv[0], cmd.argv.slice(1), { encoding: 'utf8', cwd: dir })
  return { rc: r.status ?? -1, out: r.stdout }
}

/** The commands `gatherRun` sends for `creates`. */
async function createsCheck(pattern: string, chdir?: string): Promise<Command> {
  let sent: Command[] = []
  await gatherRun(
    {
      batch: (cmds: readonly Command[]) => {
        sent = [...cmds]
        return Promise.resolve(cmds.map(() => ({ rc: 1, stdout: '', stderr: '' })))
      },
    } as never,
    { creates: pattern, chdir },
  )
  return sent[0]
}

describe('in-shell scripts in a persistent shell', () => {
  mkdirSync(join(dir, 'sub'))
  writeFileSync(join(dir, 'small.txt'), 'one\ntwo\nlast without newline')
  writeFileSync(join(dir, 'big.bin'), Buffer.alloc(5000, 0x61))
  symlinkSync('small.txt', join(dir, 'link'))

  const modes = [
    ['without', undefined],
    ['with', randomBytes(8).toString('hex')],
  ] as const

  it.each(modes)('answers as the script does in a sh of its own, %s the scratch file', async (_, token) => {
    const cmds: Command[] = [
      pathProbe(join(dir, 'no/such/file'), { ancestors: [join(dir, 'no/such'), join(dir, 'no'), dir] }),
      pathProbe(join(dir, 'small.txt'), { checksum: 'sha1', content: true, folder: dir }),
      pathProbe(join(dir, 'big.bin'), { checksum: 'sha256', content: true }),
      pathProbe(join(dir, 'link'), { checksum: 'sha1', mime: true }),
      pathProbe(join(dir, 'sub'), { folder: join(dir, 'nothing') }),
      await createsCheck(join(dir, '*.txt')),
      await createsCheck(join(dir, '*.none')),
      lsattrVersion(join(dir, 'small.txt')),
      lsattrVersion(join(dir, 'no/such')),
    ]
    expect(cmds.every(staysInShell)).toBe(true)
    const got = session(cmds, token)
    const same = (a: { rc: number; out: string } | undefined) => a && { ...a, out: withoutAtime(a.out) }
    cmds.forEach((c, i) => expect(same(got.get(i + 1))).toEqual(same(alone(c))))
    expect(got.get(6)?.rc).toBe(0)
    expect(got.get(7)?.rc).toBe(1)
  })

  it.each(modes)('leaves no variable, IFS or folder change behind, %s the scratch file', async (_, token) => {
    const show = { argv: ['sh', '-c', 'set; printf "[%s]" "$IFS"; pwd'] }
    // a frame before it, so the frames' own `r` is set in both sessions
    const before = session([{ argv: ['true'] }, show], token).get(2)?.out
    const got = session(
      [
        pathProbe(join(dir, 'small.txt'), { checksum: 'sha1', content: true, mime: true }),
        pathProbe(join(dir, 'no/such'), { ancestors: [join(dir, 'no'), dir] }),
        await createsCheck(join(dir, '*.txt')),
        lsattrVersion(join(dir, 'small.txt')),
        show,
      ],
      token,
    )
    expect(before).toContain('[ \t\n]')
    // but for the stat helper's mark, kept for the session on purpose (engine/stathelper.ts): 1 where it started
    const after = got.get(5)?.out ?? ''
    expect(after).toContain(`_tsp_ph='${token === undefined ? 0 : 1}'\n`)
    expect(after.replace(/^_tsp_ph='[01]'\n/m, '')).toBe(before)
  })

  it.each(modes)(
    "sends a probe's answer with its end marker in one write of the shell, %s the scratch file",
    (_, t) => {
      const probes = [
        pathProbe(join(dir, 'small.txt'), { checksum: 'sha1', content: true }),
        pathProbe(join(dir, 'sub'), { folder: dir }),
        pathProbe(join(dir, 'no/such'), { ancestors: [join(dir, 'no'), dir] }),
      ]
      const log = join(dir, `writes-${t ?? 'none'}`)
      const input = renderHello(nonce, t) + framesFor(probes, t !== undefined)
      const res = spawnSync(
        'strace',
        ['-f', '-qq', '-s', '9999', '-e', 'trace=execve,write', '-e', 'signal=none', '-o', log, '/bin/sh'],
        {
          input,
          cwd: dir,
        },
      )
      expect(res.status).toBe(0)
      const got = answersOf(res.stdout)
      probes.forEach((c, i) => expect(got.get(i + 1)).toEqual(alone(c)))
      // the shell's own writes (not those of programs it starts; its first line is its execve): every one that carries
      // a probe's answer (`exists…`, `absent…`) carries that frame's end marker too
      const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean)
      const shell = lines[0].split(' ')[0]
      const writes = lines.filter((l) => new RegExp(`^${shell}\\s+write\\(`).test(l))
      probes.forEach((_, i) => {
        const answers = writes.filter(
          (l) => /^\S+\s+write\(\d+, "(exists|absent)/.test(l) && l.includes(`TSP${nonce}:${i + 1}:`),
        )
        expect(answers).toHaveLength(1)
      })
      expect(writes.filter((l) => /^\S+\s+write\(\d+, "(exists|absent)/.test(l))).toHaveLength(probes.length)
    },
  )

  it.each(modes)("gives libmagic's answer for a kind it answers from the type alone, %s the scratch file", (_, t) => {
    // a `file` on PATH that counts its calls, then runs the real one
    const bin = join(dir, `bin-${t ?? 'none'}`)
    const log = join(bin, 'calls')
    mkdirSync(bin)
    writeFileSync(join(bin, 'file'), `#!/bin/sh\necho x >> '${log}'\nexec /usr/bin/file "$@"\n`, { mode: 0o755 })
    writeFileSync(join(dir, 'empty1'), '')
    writeFileSync(join(dir, 'empty2'), '')
    const probes = ['sub', 'empty1', 'small.txt', 'empty2', '.', 'small.txt', 'link'].map((p) =>
      pathProbe(join(dir, p), { mime: true, follow: p === 'link' }),
    )
    const got = session(probes, t, { PATH: `${bin}:/usr/bin:/bin` })
    probes.forEach((c, i) => expect(got.get(i + 1)).toEqual(alone(c)))
    expect(got.get(2)?.out).toContain('inode/x-empty')
    // with the scratch file: one call for the folders, one for the empty files, one per other path
    const calls = readFileSync(log, 'utf8').split('\n').filter(Boolean).length
    expect(calls).toBe(t === undefined ? 7 : 5)
    // what it keeps is the host's answer, for the rest of the session only
    const show = { argv: ['sh', '-c', 'set | grep "^_tsp_m" || true'] }
    const kept = session([...probes.slice(0, 2), show], t).get(3)?.out
    expect(kept).toBe(
      t === undefined ? '' : "_tsp_md='inode/directory; charset=binary'\n_tsp_me='inode/x-empty; charset=binary'\n",
    )
  })

  it("has the script itself as its function's body (parsed once per session, not at every call)", () => {
    const probe = pathProbe(join(dir, 'small.txt'))
    const fns: string[] = []
    renderCommand(probe, (script, vars) => {
      const fn = scriptFunction(script, vars)
      if (fn) fns.push(fn.define)
      return fn?.name
    })
    expect(fns).toHaveLength(1)
    // after the stat helper's set-up, run once with the definition
    expect(fns[0].startsWith(`${STAT_HELPER_SETUP}\n`)).toBe(true)
    expect(fns[0]).toMatch(/\n_tsp_\w+\(\) \{ p=\$1;/)
  })

  it('runs in a subshell when the command has a folder, and refuses scripts that could change the shell', async () => {
    const inFolder = await createsCheck('*.txt', dir)
    expect(staysInShell(inFolder)).toBe(false)
    expect(session([inFolder]).get(1)?.rc).toBe(0)
    for (const bad of ['exit 1', 'exec cat', 'return 0', 'local x', 'echo $0'])
      expect(() => inShellScript(bad, [])).toThrow(/cannot use/)
    expect(() => inShellScript('x=1', ['x y'])).toThrow(/names/)
  })
})
