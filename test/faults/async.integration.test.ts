/**
 * Long-running tasks (`async`/`poll`) end to end through the CLI against a real loopback sshd: the job survives
 * its SSH connection being killed mid-poll (tsplay reconnects and reports the result), survives tsplay itself
 * being SIGKILLed (the next run re-attaches instead of starting it again), a job that finished while tsplay was
 * gone is read back instead of re-run, and the live output shows the elapsed time and the log's last line.
 * The job appends one line per start to `started` and per finish to `out`: their line counts prove "exactly once".
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { BIN, writeTree } from '../helpers/cli.js'
import { canRunSshd, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { background, bounded, explain, killMatching, pids, userDir, waitFor } from './util.js'

const can = canRunSshd()

/** A job that logs progress, sleeps `secs`, and records its start and its end in `$1/started` and `$1/out`. */
const JOB =
  'echo started >> "$1/started"; echo "step one $1"; sleep "$2" || exit 3; echo "step two"; echo done >> ' +
  '"$1/out"; echo "all done"'

const lines = (f: string): number => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean).length : 0)

describe.skipIf(!can.ok)(`long-running tasks survive the connection${can.ok ? '' : ` (skipped: ${can.why})`}`, () => {
  let fleet: SshdFleet
  let dir: string
  const bases: string[] = []
  const home = () =>
    readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${fleet.user}:`))!
      .split(':')[5]
  /** Job folders on the host whose log mentions `base` (the job echoes it). */
  const jobDirs = (base: string): string[] => {
    const root = join(home(), '.tsplay', 'jobs')
    if (!existsSync(root)) return []
    return readdirSync(root)
      .map((d) => join(root, d))
      .filter((d) => existsSync(join(d, 'log')) && readFileSync(join(d, 'log'), 'utf8').includes(base))
  }
  const args = (base: string, secs: number, extra: string[]) => {
    return [
      'run',
      join(dir, 'job.yml'),
      '-i',
      join(dir, 'inventory.yml'),
      '--known-hosts',
      fleet.knownHostsFile,
      '-e',
      `base=${base} secs=${secs}`,
      ...extra,
    ]
  }
  const newBase = () => {
    const b = userDir(fleet.user, 'tsplay-async-')
    bases.push(b)
    return b
  }

  beforeAll(async () => {
    fleet = await startSshd({ count: 1, sudo: 'nopasswd' })
    dir = writeTree({
      'inventory.yml': fleet.inventoryYaml(),
      'job.yml': `
- name: long job
  hosts: all
  gather_facts: false
  tasks:
    - name: build
      command: { argv: [sh, -c, ${JSON.stringify(JOB)}, sh, "{{ base }}", "{{ secs }}"] }
      async: 300
      poll: 1
      register: job
    - name: show
      debug: { msg: "result {{ job.rc }}: {{ job.stdout | replace('\\n', ' | ') }}" }
`,
      'limit.yml': `
- name: long job
  hosts: all
  gather_facts: false
  tasks:
    - name: too long
      command: { argv: [sh, -c, ${JSON.stringify(JOB)}, sh, "{{ base }}", "{{ secs }}"] }
      async: 3
      poll: 1
`,
    })
  })

  afterAll(async () => {
    for (const b of bases) {
      killMatching(fleet.user, b)
      rmSync(b, { recursive: true, force: true })
    }
    await fleet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it(
    'keeps running when its connection is killed mid-poll; tsplay reconnects and reports the result; ' +
      'elapsed time shown',
    async () => {
      const base = newBase()
      const run = background(args(base, 6, ['--output', 'plain']), { limitMs: 120_000 }) // progress shows without -v
      await waitFor(() => lines(join(base, 'started')) === 1, 'the job to start', 60_000)
      await new Promise((r) => setTimeout(r, 1500))
      fleet.killConnections(0)
      const r = await run.done
      expect(r.killed, explain(r)).toBe(false)
      expect(r.code, explain(r)).toBe(0)
      expect(r.stdout).toMatch(/connection lost .*reconnecting/)
      // the live lines: elapsed seconds and the log's last line
      expect(r.stdout).toMatch(/\[t1\] \[\d+s\] step one /)
      expect(r.stdout).toContain('result 0: step one')
      expect(r.stdout).toContain('all done')
      expect(lines(join(base, 'started'))).toBe(1)
      expect(lines(join(base, 'out'))).toBe(1)
      expect(jobDirs(base)).toEqual([]) // the finished job's record is removed
    },
    150_000,
  )

  it("the live view (on a terminal) shows the elapsed time and the log's last line", async () => {
    const base = newBase()
    // `script` gives tsplay a real pseudo-terminal, so the live (listr2) view is the one drawn
    const cmd = [process.execPath, BIN, ...args(base, 4, ['--output', 'live'])]
      .map((a) => `'${a.replaceAll("'", `'\\''`)}'`)
      .join(' ')
    const out = execFileSync('script', ['-qefc', `stty cols 120 rows 40; exec ${cmd}`, '/dev/null'], {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, TERM: 'xterm', CI: '', NO_COLOR: '1' },
    })
    // eslint-disable-next-line no-control-regex -- ANSI escape sequences are what this strips
    const plain = out.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    expect(plain).toMatch(/\[\d+s\] step one /)
    expect(plain).toContain('result 0: step one')
  }, 150_000)

  it(
    'tsplay SIGKILLed mid-job, then run again: re-attached, the job ran once; its folder is private while ' + 'it runs',
    async () => {
      const base = newBase()
      const first = background(args(base, 8, ['--json']), { limitMs: 120_000 })
      await waitFor(() => lines(join(base, 'started')) === 1, 'the job to start', 60_000)
      first.child.kill('SIGKILL')
      await first.done
      expect(pids(fleet.user, base).length).toBeGreaterThan(0) // the job outlived tsplay
      await waitFor(() => jobDirs(base).length === 1, 'the job log to mention the base folder', 10_000)
      const [jd] = jobDirs(base)
      expect(statSync(jd).mode & 0o777).toBe(0o700)
      expect(statSync(join(jd, 'log')).mode & 0o777).toBe(0o600)
      expect(statSync(join(home(), '.tsplay')).mode & 0o777).toBe(0o700)
      await new Promise((r) => setTimeout(r, 2000))
      const second = await bounded(args(base, 8, ['--output', 'plain', '-v']), { limitMs: 120_000 })
      expect(second.code, explain(second)).toBe(0)
      expect(second.stdout).toContain('re-attached to the job still running on the host')
      // the elapsed time is the job's own, not restarted by the new run
      expect(Number(/\[t1\] \[(\d+)s\]/.exec(second.stdout)?.[1])).toBeGreaterThanOrEqual(2)
      expect(second.stdout).toContain('result 0: step one')
      expect(lines(join(base, 'started'))).toBe(1)
      expect(lines(join(base, 'out'))).toBe(1)
      expect(jobDirs(base)).toEqual([])
    },
    150_000,
  )

  it(
    'a job that finished while tsplay was gone is read back (exit code, output) instead of being run ' + 'again',
    async () => {
      const base = newBase()
      const first = background(args(base, 2, ['--json']), { limitMs: 120_000 })
      await waitFor(() => lines(join(base, 'started')) === 1, 'the job to start', 60_000)
      first.child.kill('SIGKILL')
      await first.done
      await waitFor(
        () => lines(join(base, 'out')) === 1 && pids(fleet.user, base).length === 0,
        'the job to finish',
        60_000,
      )
      const second = await bounded(args(base, 2, ['--output', 'plain', '-v']), { limitMs: 120_000 })
      expect(second.code, explain(second)).toBe(0)
      expect(second.stdout).toContain('the job had finished: reading its result back')
      expect(second.stdout).toContain('result 0: step one')
      expect(second.stdout).toContain('all done')
      expect(lines(join(base, 'started'))).toBe(1)
      expect(jobDirs(base)).toEqual([])
      // read back once: the record is gone, so the next run is a new run of the task (as in Ansible)
      const third = await bounded(args(base, 0, ['--json']), { limitMs: 120_000 })
      expect(third.code, explain(third)).toBe(0)
      expect(lines(join(base, 'started'))).toBe(2)
    },
    150_000,
  )

  it('a job still running past its async limit is killed on the host and the task fails saying so', async () => {
    const base = newBase()
    const r = await bounded(
      [
        'run',
        join(dir, 'limit.yml'),
        '-i',
        join(dir, 'inventory.yml'),
        '--known-hosts',
        fleet.knownHostsFile,
        '-e',
        `base=${base} secs=600`,
        '--json',
      ],
      { limitMs: 120_000 },
    )
    expect(r.code, explain(r)).toBe(2)
    const res = r.events.find((e) => e.task === 'too long')
    expect(res?.msg).toMatch(/async limit of 3s: killed on the host/)
    expect(res?.result?.stdout).toContain('step one') // the log so far
    expect(lines(join(base, 'started'))).toBe(1)
    await waitFor(() => pids(fleet.user, base).length === 0, 'the job to be gone', 10_000)
    expect(jobDirs(base)).toEqual([])
  }, 150_000)

  it('a second Ctrl-C stops waiting (exit 130) and leaves the job running; the next run re-attaches', async () => {
    const base = newBase()
    const first = background(args(base, 6, ['--output', 'plain', '-v']), { limitMs: 120_000 })
    await waitFor(() => lines(join(base, 'started')) === 1, 'the job to start', 60_000)
    first.child.kill('SIGINT')
    await new Promise((r) => setTimeout(r, 300))
    first.child.kill('SIGINT')
    const r1 = await first.done
    expect(r1.killed, explain(r1)).toBe(false)
    expect(r1.code, explain(r1)).toBe(130)
    expect(r1.stderr).not.toContain('INTERNAL ERROR')
    expect(r1.stdout).toContain('goes on on the host')
    expect(pids(fleet.user, base).length).toBeGreaterThan(0)
    const r2 = await bounded(args(base, 6, ['--output', 'plain', '-v']), { limitMs: 120_000 })
    expect(r2.code, explain(r2)).toBe(0)
    expect(r2.stdout).toContain('re-attached to the job still running on the host')
    expect(lines(join(base, 'started'))).toBe(1)
    expect(lines(join(base, 'out'))).toBe(1)
  }, 150_000)

  it('a failing job reports its exit code and output', async () => {
    const base = newBase()
    const r = await bounded(args(base, 'x' as unknown as number, ['--json']), { limitMs: 120_000 })
    expect(r.code, explain(r)).toBe(2)
    const build = r.events.find((e) => e.task === 'build')
    expect(build?.status).toBe('failed')
    expect(build?.msg).toMatch(/rc [1-9]/)
    expect(build?.result?.stdout ?? build?.msg).toContain('step one')
    expect(lines(join(base, 'out'))).toBe(0)
  }, 150_000)
})
