/**
 * The floor: what the SSH transport alone costs for the benchmark's workload. A bare ssh2 script with no engine:
 * one connection and one persistent remote `/bin/sh` per host, each command written to the shell's stdin and
 * answered by an exit-code marker (about 1 ms a command on loopback). It runs the same checks and changes as the
 * playbook (see `floorTasks`), one round trip per check and one per change, hosts in parallel up to `forks`.
 * Run as its own process (so its wall time and peak RSS include Node's start-up, like tsplay's):
 *
 * @example
 * ```sh
 * node bench/.build/bench/floor.js spec.json   # prints {"hosts":{"t1":{"ok":29,"changed":24,…}}}
 * ```
 */
import { readFileSync } from 'node:fs'
import ssh2, { type ClientChannel } from 'ssh2'
import { shQuote } from '../engine/ssh/quote.js'
import { floorTasks, type Counts } from './workload.js'

/** What the orchestrator hands the floor (a JSON file). */
export interface FloorSpec {
  hosts: { name: string; host: string; port: number }[]
  user: string
  keyFile: string
  /** Lines `[127.0.0.1]:PORT ssh-ed25519 AAAA…`: host keys are checked, as the engines do. */
  knownHostsFile: string
  root: string
  forks: number
}

const MARK = '\x1eFLOOR'

/** A persistent remote shell: `run(argv)` resolves with the exit code and the merged output. */
class Shell {
  private buf = ''
  private waiting?: (r: { rc: number; out: string }) => void

  constructor(private readonly ch: ClientChannel) {
    ch.on('data', (d: Buffer) => this.onData(d))
  }

  run(argv: readonly string[]): Promise<{ rc: number; out: string }> {
    return new Promise((resolve) => {
      this.waiting = resolve
      this.ch.write(`${argv.map(shQuote).join(' ')} </dev/null 2>&1; printf '\\036FLOOR%d\\n' $?\n`)
    })
  }

  private onData(d: Buffer): void {
    this.buf += d.toString('utf8')
    const m = this.buf.indexOf(MARK)
    if (m < 0) return
    const nl = this.buf.indexOf('\n', m)
    if (nl < 0) return
    const out = this.buf.slice(0, m)
    const rc = Number(this.buf.slice(m + MARK.length, nl))
    this.buf = this.buf.slice(nl + 1)
    const w = this.waiting
    this.waiting = undefined
    w?.({ rc, out })
  }
}

function hostKeys(file: string): Map<string, string> {
  const keys = new Map<string, string>()
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [where, , b64] = line.split(' ')
    if (where && b64) keys.set(where, b64)
  }
  return keys
}

/** Work one host: connect, open the shell, run every task, close. */
async function workHost(
  spec: FloorSpec,
  h: FloorSpec['hosts'][number],
  key: Buffer,
  known: Map<string, string>,
): Promise<Counts> {
  const client = new ssh2.Client()
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve())
    client.once('error', reject)
    client.connect({
      host: h.host,
      port: h.port,
      username: spec.user,
      privateKey: key,
      hostVerifier: (k: Buffer) => known.get(`[${h.host}]:${h.port}`) === k.toString('base64'),
    })
  })
  client.setNoDelay(true) // without it, Nagle and delayed ACKs cost ~40 ms a command
  const ch = await new Promise<ClientChannel>((resolve, reject) =>
    client.exec('exec /bin/sh', (e, c) => (e ? reject(e) : resolve(c))),
  )
  const shell = new Shell(ch)
  const counts: Counts = { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0 }
  const registered = new Map<string, boolean>()
  for (const t of floorTasks(spec.root, h.name)) {
    if (t.when !== undefined && !registered.get(t.when)) {
      counts.skipped++
      continue
    }
    const c = await shell.run(t.check)
    if (t.register) registered.set(t.register, c.rc === 0)
    if (t.isOk(c.rc, c.out) || !t.change) {
      counts.ok++
      continue
    }
    const r = await shell.run(t.change)
    if (r.rc !== 0) {
      counts.failed++
      throw new Error(`${h.name}: floor task ${t.name} failed (rc ${r.rc}): ${r.out}`)
    }
    counts.ok++
    counts.changed++
  }
  ch.end()
  client.end()
  return counts
}

/** Run the floor for every host of `spec`, `forks` hosts at a time. */
export async function runFloor(spec: FloorSpec): Promise<Record<string, Counts>> {
  const key = readFileSync(spec.keyFile)
  const known = hostKeys(spec.knownHostsFile)
  const result: Record<string, Counts> = {}
  let next = 0
  const worker = async () => {
    while (next < spec.hosts.length) {
      const h = spec.hosts[next++]
      result[h.name] = await workHost(spec, h, key, known)
    }
  }
  await Promise.all(Array.from({ length: Math.min(spec.forks, spec.hosts.length) }, worker))
  return result
}

if (process.argv[1]?.endsWith('floor.js') && process.argv[2]) {
  const spec = JSON.parse(readFileSync(process.argv[2], 'utf8')) as FloorSpec
  runFloor(spec).then(
    (hosts) => process.stdout.write(`${JSON.stringify({ hosts })}\n`),
    (e: unknown) => {
      process.stderr.write(`floor: ${e instanceof Error ? e.message : String(e)}\n`)
      process.exitCode = 1
    },
  )
}
