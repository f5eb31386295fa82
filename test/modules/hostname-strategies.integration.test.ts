/**
 * `hostname`'s `use:` strategies that edit a file, side by side with ansible-playbook: each case runs both engines
 * with the local connection (twice, as root) in a private mount and UTS namespace whose /etc is an overlay on this
 * machine's, so what they write lands in a throw-away folder and the running name they set is the namespace's own.
 * The recap counts, the files written under /etc and the running name must agree, except the one difference the
 * README lists: Ansible 2.14's `alpine` runs `hostname -F /etc/hostname` before it writes the file (the running name
 * becomes the old one), tsplay after it.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ROOT } from '../hydra/cli.js'
import { needTier } from '../helpers/tier.js'

needTier('runs as root in a private namespace', 'integration')

const has = (tool: string) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', tool]).status === 0
const why =
  process.getuid?.() !== 0
    ? 'needs root (a private mount namespace)'
    : !has('unshare') || !has('ansible-playbook')
      ? 'needs unshare and ansible-playbook'
      : !readFileSync('/proc/filesystems', 'utf8').includes('overlay')
        ? 'needs overlayfs'
        : undefined

const work = why ? '' : mkdtempSync(join(tmpdir(), 'tsplay-hostname-'))
afterAll(() => work && rmSync(work, { recursive: true, force: true }))

/** The namespace: /etc overlaid (writes go to `$1/u`), a known running name, the setup, two runs, the name. */
const NS = [
  'set -e',
  'mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1/u,workdir=$1/w" /etc',
  'hostname orig-host',
  'eval "$2"',
  'for i in 1 2; do eval "$3" 2>&1 | grep -E "^a +: ok=" || true; done',
  'echo "running: $(hostname)"',
].join('\n')

interface Outcome {
  recaps: string[]
  running: string
  files: Record<string, string>
}

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name)
      if (statSync(p).isDirectory()) walk(p)
      else out[relative(dir, p)] = readFileSync(p, 'utf8')
    }
  }
  walk(dir)
  return out
}

/** One engine's two runs of `hostname: {name, use}` after `setup` (a shell script run in the namespace). */
function run(engine: 'ansible' | 'tsplay', use: string, name: string, setup: string): Outcome {
  const dir = mkdtempSync(join(work, `${engine}-`))
  for (const d of ['u', 'w']) spawnSync('mkdir', [join(dir, d)])
  const book = join(dir, 'p.yml')
  writeFileSync(
    book,
    `- hosts: all\n  gather_facts: false\n  tasks:\n    - hostname: { name: ${name}, use: ${use} }\n` +
      '      ignore_errors: true\n',
  )
  const cmd =
    engine === 'ansible'
      ? `ANSIBLE_STDOUT_CALLBACK=default ansible-playbook -c local -i a, ${book}`
      : `node ${join(ROOT, 'bin', 'tsplay.js')} run -c local -i a, ${book} --output plain`
  const r = spawnSync(
    'unshare',
    ['--mount', '--uts', '--propagation', 'private', 'sh', '-c', NS, 'ns', dir, setup, cmd],
    {
      encoding: 'utf8',
      env: { ...process.env, ANSIBLE_NOCOLOR: '1', NO_COLOR: '1' },
    },
  )
  expect(r.status, r.stderr).toBe(0)
  const lines = r.stdout.trim().split('\n')
  const recaps = lines
    .filter((l) => /^a +: ok=/.test(l))
    .map((l) =>
      l
        .replace(/^a +: /, '')
        .replace(/\s+/g, ' ')
        .trim(),
    )
  const outcome = { recaps, running: lines.at(-1)!.replace('running: ', ''), files: files(join(dir, 'u')) }
  rmSync(dir, { recursive: true, force: true })
  return outcome
}

const CASES: {
  use: string
  name?: string
  setup?: string
  running?: [string, string]
  wrote?: Record<string, string>
}[] = [
  { use: 'sles', wrote: { HOSTNAME: 'b1\n' } },
  { use: 'openbsd' },
  // the one difference: Ansible sets the running name from the file before writing it
  { use: 'alpine', setup: 'echo old > /etc/hostname', running: ['old', 'b1'] },
  { use: 'alpine', setup: 'echo b1 > /etc/hostname' },
  { use: 'redhat' },
  {
    use: 'redhat',
    setup: 'mkdir -p /etc/sysconfig; printf "NETWORKING=yes\\nHOSTNAME=old\\n" > /etc/sysconfig/network',
  },
  { use: 'redhat', setup: 'mkdir -p /etc/sysconfig; printf "NETWORKING=yes\\n" > /etc/sysconfig/network' },
  { use: 'openrc', setup: 'mkdir -p /etc/conf.d; printf "x=1\\nhostname=\\"old\\"\\n" > /etc/conf.d/hostname' },
  { use: 'openrc', setup: 'mkdir -p /etc/conf.d; printf "  hostname=old \\n" > /etc/conf.d/hostname' },
  { use: 'freebsd', setup: 'mkdir -p /etc/rc.conf.d', wrote: { 'rc.conf.d/hostname': 'hostname="b1"\n' } },
  { use: 'freebsd', setup: 'mkdir -p /etc/rc.conf.d; printf "a=1\\nhostname=\\"x\\"\\n" > /etc/rc.conf.d/hostname' },
  {
    use: 'freebsd',
    name: 'orig-host',
    setup: 'mkdir -p /etc/rc.conf.d; printf "hostname=\\"x\\"\\n" > /etc/rc.conf.d/hostname',
  },
]

describe.skipIf(why !== undefined)(`hostname use: strategies agree with ansible-playbook (${why ?? 'root'})`, () => {
  it.each(CASES.map((c, i) => ({ ...c, title: `${c.use} ${i}: ${c.setup ?? 'no file'}` })))(
    '$title',
    ({ use, name = 'b1', setup = 'true', running, wrote }) => {
      const ansible = run('ansible', use, name, setup)
      const tsplay = run('tsplay', use, name, setup)
      expect(tsplay.recaps).toHaveLength(2)
      expect(tsplay.files).toEqual(ansible.files)
      expect(ansible.files).toMatchObject(wrote ?? {})
      expect(tsplay.recaps).toEqual(ansible.recaps)
      expect([ansible.running, tsplay.running]).toEqual(running ?? [ansible.running, ansible.running])
    },
  )
})
