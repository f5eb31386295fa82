/**
 * Test fleet of real Debian bookworm hosts: systemd-nspawn nodes with systemd as PID 1, sshd, apt and sudo, each
 * on its own overlay over a shared cached rootfs, on a bridge with NAT to the host's package mirror. This is a thin
 * TypeScript face over the scripts in `test/fleet/` (rootfs.sh, up.sh, down.sh, node.sh, link.sh, exec.sh).
 *
 * Each `startFleet` call takes a free slot S (1..199; slot 0 is `npm run fleet:up`; see test/fleet/slots.ts), so
 * parallel test files get their own bridge `tsfl<S>`, subnet `10.213.S.0/24` and node names `t<S>-1…` (or
 * `<prefix>-1…`). A watchdog tears a fleet down if its test process dies without `stop()`. Logins: user `tsplay` (sudo
 * NOPASSWD) or `tsplay-pw` (sudo asks for
 * `sudoPasswordUser.password`), both with `keyFile`; host keys in `knownHostsFile`. Needs root; tests call
 * `canRunFleet()` and skip with its reason otherwise.
 *
 * @example
 * ```ts
 * const can = canRunFleet()
 * describe.skipIf(!can.ok)('apt on the fleet', () => {
 *   let fleet: Fleet
 *   beforeAll(async () => { fleet = await startFleet(2) }, 300_000)
 *   afterAll(() => fleet?.stop())
 *   it('has apt', async () => expect((await fleet.exec(fleet.nodes[0].name, ['apt-get', '-v'])).rc).toBe(0))
 * })
 * ```
 */
import { execFile, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stringify } from 'yaml'
import { claimSlot, releaseSlot, watchSlot } from '../fleet/slots.js'
import { track, untrack } from './leftovers.js'
import { needTier } from './tier.js'

const FLEET_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fleet')
const CACHE = process.env.TSPLAY_FLEET_CACHE ?? '/var/cache/tsplay-fleet'

export interface FleetNode {
  name: string
  address: string
  port: 22
}

export interface ExecResult {
  rc: number
  stdout: string
  stderr: string
}

export interface Fleet {
  nodes: FleetNode[]
  /** Login user with passwordless sudo. */
  user: string
  keyFile: string
  knownHostsFile: string
  /** Second login user whose sudo needs this password. */
  sudoPasswordUser: { user: string; password: string }
  /** This fleet's slot (bridge `tsfl<slot>`, subnet `10.213.<slot>.0/24`). */
  slot: number
  /** Folder of this fleet's state (nodes.txt, known_hosts, fleet.env, per-node overlays). */
  runDir: string
  /** Ansible-shaped inventory of all nodes; `groups` maps group name → node names, `vars` go to `all.vars`. */
  inventoryYaml(groups?: Record<string, string[]>, vars?: Record<string, unknown>): string
  /** Run argv as root inside the node (nsenter, no SSH) — for assertions. */
  exec(node: string, cmd: string[], stdin?: string): Promise<ExecResult>
  /** `ssh` argv for logging in to `node` as `user` (default `tsplay`) with the fleet's key and known_hosts. */
  sshArgv(node: string, user?: string): string[]
  /** Fresh node: stop, wipe its overlay upper layer, boot again (same name, address, host key); waits for sshd. */
  reset(node: string): Promise<void>
  /** Take the node's link down (unreachable, connections stall) / bring it back. */
  linkDown(node: string): Promise<void>
  linkUp(node: string): Promise<void>
  /** Power the node off (host down) / boot it again and wait for sshd. */
  stopNode(node: string): Promise<void>
  startNode(node: string): Promise<void>
  /** Tear the whole fleet down and free its slot. */
  stop(): Promise<void>
}

export interface StartFleetOptions {
  /** Node name prefix, `[a-z][a-z0-9]*`, ≤ 9 chars, unique among running fleets; default `t<slot>`. */
  prefix?: string
  /**
   * Debian architecture of each node, in order (e.g. `['arm64', 'arm64', 'amd64']`); missing entries: the host's.
   * Foreign ones run emulated by qemu-user-static (test/fleet/binfmt.sh): minutes to boot, several times slower.
   */
  archs?: string[]
}

/** Whether this machine can run the fleet, and why not. */
export function canRunFleet(): { ok: true } | { ok: false; why: string } {
  needTier('test fleet nodes', 'fleet')
  if (process.getuid?.() !== 0) return { ok: false, why: 'the test fleet needs root (systemd-nspawn, mounts, bridge)' }
  for (const tool of ['systemd-nspawn', 'mmdebstrap', 'nsenter', 'iptables', 'ip', 'ssh-keygen', 'ssh', 'flock']) {
    if (spawnSync('sh', ['-c', 'command -v "$1"', 'sh', tool]).status !== 0) {
      return {
        ok: false,
        why: `${tool} is not installed (apt-get install systemd-container mmdebstrap iptables openssh-client)`,
      }
    }
  }
  for (const cg of ['/sys/fs/cgroup/systemd', '/sys/fs/cgroup/unified']) {
    if (!existsSync(cg)) return { ok: false, why: `${cg} is missing: the fleet scripts expect a hybrid cgroup host` }
  }
  if (!readFileSync('/proc/filesystems', 'utf8').includes('overlay'))
    return { ok: false, why: 'no overlayfs in this kernel' }
  return { ok: true }
}

/** Run a fleet script; rejects with its stderr on failure. */
function script(name: string, args: string[], env: Record<string, string>, stdin?: string): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = execFile(
      'bash',
      [join(FLEET_DIR, name), ...args],
      {
        env: { ...process.env, ...env },
        maxBuffer: 256 * 1024 * 1024,
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        const rc = err ? (typeof err.code === 'number' ? err.code : 1) : 0
        resolve({ rc, stdout, stderr })
      },
    )
    child.stdin?.on('error', () => {}) // the command may exit before reading its stdin
    child.stdin?.end(stdin ?? '')
  })
}

async function mustScript(name: string, args: string[], env: Record<string, string>): Promise<string> {
  const r = await script(name, args, env)
  if (r.rc !== 0) throw new Error(`test/fleet/${name} ${args.join(' ')} failed (rc ${r.rc}):\n${r.stderr.slice(-4000)}`)
  return r.stdout
}

function slotEnv(slot: number): Record<string, string> {
  return { TSPLAY_FLEET_SLOT: String(slot), TSPLAY_FLEET_CACHE: CACHE }
}

/**
 * Boot `n` fresh nodes (building the rootfs first if needed) and wait until each sshd answers.
 * Allow a few minutes in `beforeAll` for the first rootfs build (~25 s here; boot itself takes ~1–2 s).
 */
export async function startFleet(n: number, opts: StartFleetOptions = {}): Promise<Fleet> {
  const can = canRunFleet()
  if (!can.ok) throw new Error(`cannot run the test fleet: ${can.why}`)
  const slot = await claimSlot(CACHE)
  track({ slots: [slot] }) // torn down with this process if stop() is never called (besides the watchdog)
  const unwatch = watchSlot(CACHE, slot)
  let up = true
  const prefix = opts.prefix ?? `t${slot}`
  const env = { ...slotEnv(slot), TSPLAY_FLEET_PREFIX: prefix, TSPLAY_FLEET_ARCHS: (opts.archs ?? []).join(' ') }
  const runDir = join(CACHE, `run-${slot}`)
  try {
    await script('down.sh', ['0'], env) // leftovers of this slot, if any
    await mustScript('up.sh', [String(n)], env)
  } catch (e) {
    unwatch()
    await script('down.sh', ['0'], env)
    releaseSlot(CACHE, slot)
    untrack({ slots: [slot] })
    throw e
  }
  const nodes: FleetNode[] = readFileSync(join(runDir, 'nodes.txt'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [name, address] = line.split(' ')
      return { name, address, port: 22 as const }
    })
  const keyFile = join(CACHE, 'id_ed25519')
  const knownHostsFile = join(runDir, 'known_hosts')
  const password = readFileSync(join(runDir, 'sudo-password'), 'utf8').trim() // this fleet's own (lib.sh)
  const find = (name: string): FleetNode => {
    const node = nodes.find((x) => x.name === name)
    if (!node) throw new Error(`no node ${name} in this fleet (${nodes.map((x) => x.name).join(', ')})`)
    return node
  }
  return {
    nodes,
    user: 'tsplay',
    keyFile,
    knownHostsFile,
    sudoPasswordUser: { user: 'tsplay-pw', password },
    slot,
    runDir,
    inventoryYaml(groups = {}, vars = {}) {
      const children: Record<string, { hosts: Record<string, null> }> = {}
      for (const [group, members] of Object.entries(groups)) {
        children[group] = { hosts: Object.fromEntries(members.map((m) => [find(m).name, null])) }
      }
      const all: Record<string, unknown> = {
        vars: { ansible_user: 'tsplay', ansible_ssh_private_key_file: keyFile, ...vars },
        hosts: Object.fromEntries(nodes.map((x) => [x.name, { ansible_host: x.address, ansible_port: x.port }])),
      }
      if (Object.keys(children).length > 0) all.children = children
      return stringify({ all })
    },
    exec: (node, cmd, stdin) => script('exec.sh', [find(node).name, ...cmd], env, stdin),
    sshArgv(node, user = 'tsplay') {
      return [
        'ssh',
        '-o',
        'BatchMode=yes',
        '-o',
        'StrictHostKeyChecking=yes',
        '-o',
        `UserKnownHostsFile=${knownHostsFile}`,
        '-o',
        'ConnectTimeout=5',
        '-i',
        keyFile,
        '-l',
        user,
        find(node).address,
      ]
    },
    reset: async (node) => {
      await mustScript('node.sh', [find(node).name, 'reset', '0'], env)
    },
    linkDown: async (node) => {
      await mustScript('link.sh', [find(node).name, 'down'], env)
    },
    linkUp: async (node) => {
      await mustScript('link.sh', [find(node).name, 'up'], env)
    },
    stopNode: async (node) => {
      await mustScript('node.sh', [find(node).name, 'stop', '0'], env)
    },
    startNode: async (node) => {
      await mustScript('node.sh', [find(node).name, 'start'], env)
    },
    async stop() {
      if (!up) return
      up = false
      unwatch()
      await mustScript('down.sh', ['0'], env)
      releaseSlot(CACHE, slot)
      untrack({ slots: [slot] })
    },
  }
}
