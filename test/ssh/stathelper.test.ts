/**
 * The stat helper (engine/stathelper.ts) in a real local /bin/sh read as a persistent shell: the file probe gets
 * from it the same line `stat` prints, for every kind of file, without starting `stat`; it starts once per shell;
 * a command that goes on running after its frame (a daemon) does not keep it alive; it leaves no FIFO and no
 * process behind; and when it is killed the probe runs `stat` again and the shell goes on.
 *
 * @example
 * ```sh
 * npx vitest run test/ssh/stathelper.test.ts
 * ```
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { askStatHelper, LSTAT_FORMAT, STAT_HELPER_SETUP } from '../../engine/stathelper.js'
import { pathProbe } from '../../modules/lib/probe.js'
import { NONCE, shellRun, withoutAtime, type Answers } from '../helpers/shellframes.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-stathelper-'))
const sock = createServer()
afterAll(async () => {
  await new Promise((r) => sock.close(r))
  rmSync(dir, { recursive: true, force: true })
})

/** A `stat` and a `perl` on PATH that count their calls and run the real ones. */
function countingBin(name: string): { env: NodeJS.ProcessEnv; calls: (prog: string) => number } {
  const bin = join(dir, `bin-${name}`)
  mkdirSync(bin)
  for (const prog of ['stat', 'perl'])
    writeFileSync(join(bin, prog), `#!/bin/sh\necho x >> '${bin}/${prog}.calls'\nexec /usr/bin/${prog} "$@"\n`, {
      mode: 0o755,
    })
  const calls = (prog: string) => {
    try {
      return readFileSync(join(bin, `${prog}.calls`), 'utf8')
        .split('\n')
        .filter(Boolean).length
    } catch {
      return 0
    }
  }
  return { env: { PATH: `${bin}:/usr/bin:/bin` }, calls }
}

/** The helper's processes still running for the shell `pid` (their argv names its FIFOs). */
const helpers = (pid: number) =>
  spawnSync('pgrep', ['-f', `/dev/shm/.tsplay-${pid}-stat`])
    .stdout.toString()
    .trim()

const kinds = [
  'file.txt',
  'empty',
  'folder',
  'link',
  'broken',
  'fifo',
  'sock',
  'tab\tand space',
  '/dev/null',
  'missing',
]
const pathOf = (k: string) => (k.startsWith('/') ? k : join(dir, k))

beforeAll(async () => {
  writeFileSync(join(dir, 'file.txt'), 'some text\n')
  writeFileSync(join(dir, 'empty'), '')
  writeFileSync(join(dir, 'tab\tand space'), 'x')
  // written an hour ago: the first probe that reads them (for a checksum) moves their access time, as on any host
  const past = new Date(Date.now() - 3600_000)
  for (const f of ['file.txt', 'tab\tand space']) utimesSync(join(dir, f), past, past)
  mkdirSync(join(dir, 'folder'))
  symlinkSync('file.txt', join(dir, 'link'))
  symlinkSync('nowhere', join(dir, 'broken'))
  execFileSync('mkfifo', [join(dir, 'fifo')])
  await new Promise<void>((r) => sock.listen(join(dir, 'sock'), r))
})

describe('the stat helper', () => {
  it('answers each kind of file with the line stat prints', () => {
    const script = [
      scratchFiles(randomBytes(8).toString('hex')),
      STAT_HELPER_SETUP,
      'echo "$_tsp_ph"',
      "nl='\n'",
      'for p; do',
      askStatHelper('p', 's'),
      'printf "%s\\n" "${s:--}"',
      'done',
      `for p; do stat --printf '${LSTAT_FORMAT}' -- "$p" 2>/dev/null || echo -; done`,
    ].join('\n')
    const r = spawnSync('/bin/sh', ['-c', script, 'sh', ...kinds.map(pathOf)], { encoding: 'utf8' })
    expect(r.stderr).toBe('')
    const [started, ...lines] = r.stdout.trimEnd().split('\n')
    expect(started).toBe('1')
    expect(lines).toHaveLength(2 * kinds.length)
    expect(lines.slice(0, kinds.length)).toEqual(lines.slice(kinds.length))
    expect(lines[kinds.indexOf('empty')]).toContain('\tregular empty file\t')
    expect(lines[kinds.indexOf('sock')]).toContain('\tsocket\t')
    expect(lines[kinds.indexOf('missing')]).toBe('-')
  })

  it('gives the probe what stat gives it, starting perl once and stat never; nothing is left behind', () => {
    const { env, calls } = countingBin('probe')
    const probes = kinds.map((k) => pathProbe(pathOf(k), { checksum: 'sha1' }))
    const withHelper = shellRun([...probes, ...probes], { token: randomBytes(8).toString('hex'), env, cwd: dir })
    const plain = shellRun(probes, { env: { PATH: '/usr/bin:/bin' }, cwd: dir })
    // the probes read the files (for their checksums), so a session may see the access time the one before set
    const answer = (got: Answers, seq: number) => {
      const a = got.get(seq)
      return a && { ...a, out: withoutAtime(a.out) }
    }
    probes.forEach((_, i) => {
      expect(answer(withHelper.got, i + 1)).toEqual(answer(plain.got, i + 1))
      expect(answer(withHelper.got, i + 1 + probes.length)).toEqual(answer(plain.got, i + 1))
    })
    // every path's own line comes from the helper; only the target of the symlink that resolves is read with
    // `stat -L` (once a round)
    expect(calls('perl')).toBe(1)
    expect(calls('stat')).toBe(2)
    expect(readdirSync('/dev/shm').filter((n) => n.startsWith(`.tsplay-${withHelper.res.pid}-`))).toEqual([])
    expect(helpers(withHelper.res.pid ?? 0)).toBe('')
  })

  it('ends with its shell when a command left a process running', async () => {
    const probe = pathProbe(join(dir, 'file.txt'))
    const daemon = { argv: ['sh', '-c', 'sleep 30 >/dev/null 2>&1 & echo $!'] }
    const run = shellRun([probe, daemon, probe], { token: randomBytes(8).toString('hex'), cwd: dir })
    const sleeper = Number(run.got.get(2)?.out.trim())
    expect(sleeper).toBeGreaterThan(1)
    try {
      expect(run.got.get(3)?.rc).toBe(0)
      // the shell is gone; its helper with it (at once: end of file on its input), though the sleep goes on
      await new Promise((r) => setTimeout(r, 200))
      expect(helpers(run.res.pid ?? 0)).toBe('')
      expect(() => process.kill(sleeper, 0)).not.toThrow()
    } finally {
      process.kill(sleeper, 'SIGTERM')
    }
  })

  it('is not needed: killed, the probe runs stat again and the shell goes on', () => {
    const { env, calls } = countingBin('killed')
    const probe = pathProbe(join(dir, 'file.txt'))
    // a command in a frame's subshell: $$ is the persistent shell's pid, which the helper's FIFOs are named by
    const kill = { argv: ['sh', '-c', 'pkill -f "/dev/shm/.tsplay-$$-stat"; sleep 0.2'] }
    const run = shellRun([probe, kill, probe, probe], { token: randomBytes(8).toString('hex'), env, cwd: dir })
    const plain = shellRun([probe], { cwd: dir }).got.get(1)
    expect(run.got.get(1)).toEqual(plain)
    expect(run.got.get(3)).toEqual(plain)
    expect(run.got.get(4)).toEqual(plain)
    // one stat for the probe that met the dead helper, one for the next (it no longer asks)
    expect(calls('stat')).toBe(2)
    // nothing on stderr but the hello's marker (scratch files set up): no "Broken pipe" or "Bad file descriptor"
    expect(run.res.stderr.toString()).toBe(`\x1eTSP${NONCE}:0:1\n`)
  })
})

/** The scratch files a persistent shell's hello sets up (frametext.ts), for a script run with `sh -c`. */
function scratchFiles(token: string): string {
  const f = `/dev/shm/.tsplay-test-${token}`
  return `: >${f}; exec 3>>${f} 4>>${f}o; rm -f ${f} ${f}o; _tsp_e=1`
}
