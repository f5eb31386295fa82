/**
 * Runs ansible-playbook and tsplay side by side on this machine as root, each in a private mount and UTS namespace
 * whose /etc is an overlay on this machine's: what they write under /etc lands in a throw-away folder, and a host
 * name they set is the namespace's own. For modules that change the system itself (`hostname`, `sysvinit`), whose
 * effects the loopback targets' plain user cannot have. Nothing is left behind: the namespace ends with the run.
 *
 * @example
 * ```ts
 * const ns = etcNamespaces()
 * if (ns.ok) {
 *   const r = ns.run('tsplay', '- hosts: all\n  tasks: []\n', 'true')
 *   r.recaps // ['ok=1 changed=0 …', …] one per run
 * }
 * ```
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { ROOT } from '../hydra/cli.js'
import { needTier } from './tier.js'

/** One engine's runs: each run's recap counts, the running host name after them, the files written under /etc. */
export interface NsOutcome {
  recaps: string[]
  running: string
  files: Record<string, string>
  /** Each written file's permission bits (`0644`). */
  modes: Record<string, string>
}

/** /etc overlaid (writes go to `$1/u`), a known running name, the setup `$2`, `$4` runs of `$3`, then the name. */
const NS = [
  'set -e',
  'mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1/u,workdir=$1/w" /etc',
  'hostname orig-host',
  'eval "$2"',
  'i=0; while [ $i -lt "$4" ]; do i=$((i + 1)); eval "$3" 2>&1 | grep -E "^a +: ok=" || true; done',
  'echo "running: $(hostname)"',
].join('\n')

const has = (tool: string) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', tool]).status === 0

function files(dir: string): Pick<NsOutcome, 'files' | 'modes'> {
  const out: NsOutcome['files'] = {}
  const modes: NsOutcome['modes'] = {}
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name)
      const st = statSync(p, { throwIfNoEntry: false })
      if (st?.isDirectory()) walk(p)
      else if (st?.isFile()) out[relative(dir, p)] = readFileSync(p, 'utf8')
      else out[relative(dir, p)] = '(not a file)'
      if (st?.isFile()) modes[relative(dir, p)] = (st.mode & 0o7777).toString(8).padStart(4, '0')
    }
  }
  walk(dir)
  return { files: out, modes }
}

/** Why these runs cannot happen here, or a runner whose `work` folder the caller removes (`done`). */
export function etcNamespaces():
  | { ok: false; why: string }
  | {
      ok: true
      run(engine: 'ansible' | 'tsplay', playbook: string, setup: string, runs?: number): NsOutcome
      done(): void
    } {
  needTier('runs as root in a private namespace', 'integration')
  if (process.getuid?.() !== 0) return { ok: false, why: 'needs root (a private mount namespace)' }
  if (!has('unshare') || !has('ansible-playbook')) return { ok: false, why: 'needs unshare and ansible-playbook' }
  if (!readFileSync('/proc/filesystems', 'utf8').includes('overlay')) return { ok: false, why: 'needs overlayfs' }
  const work = mkdtempSync(join(tmpdir(), 'tsplay-etcns-'))
  return {
    ok: true,
    done: () => rmSync(work, { recursive: true, force: true }),
    run(engine, playbook, setup, runs = 2) {
      const dir = mkdtempSync(join(work, `${engine}-`))
      for (const d of ['u', 'w']) mkdirSync(join(dir, d))
      const book = join(dir, 'p.yml')
      writeFileSync(book, playbook)
      const cmd =
        engine === 'ansible'
          ? `ANSIBLE_STDOUT_CALLBACK=default ansible-playbook -c local -i a, ${book}`
          : `node ${join(ROOT, 'bin', 'tsplay.js')} run -c local -i a, ${book} --output plain`
      const r = spawnSync(
        'unshare',
        ['--mount', '--uts', '--propagation', 'private', 'sh', '-c', NS, 'ns', dir, setup, cmd, String(runs)],
        { encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1', NO_COLOR: '1' } },
      )
      if (r.status !== 0) throw new Error(`the namespace run failed: ${r.stderr}`)
      const lines = r.stdout.trim().split('\n')
      const recaps = lines
        .filter((l) => /^a +: ok=/.test(l))
        .map((l) =>
          l
            .replace(/^a +: /, '')
            .replace(/\s+/g, ' ')
            .trim(),
        )
      const outcome = { recaps, running: lines.at(-1)!.replace('running: ', ''), ...files(join(dir, 'u')) }
      rmSync(dir, { recursive: true, force: true })
      return outcome
    },
  }
}
