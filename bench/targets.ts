/**
 * The targets' side of a run: a fresh folder per run in the login user's home (so a first run meets clean
 * targets), an inventory for the first N hosts of the fleet, and a digest of what the run left behind, compared
 * across engines (same files, modes and contents, or the run does not count).
 *
 * @example
 * ```ts
 * const root = freshRoot(fleet.user)            // /home/<test user>/tsplay-bench/<pid>-<n>, owned by the user
 * const digest = treeDigest(root)               // after the runs: "t1/d1 directory 755\n…"
 * wipe(root)
 * ```
 */
import { createHash } from 'node:crypto'
import { chownSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSshd, type SshdFleet, type SshdHost } from '../test/helpers/sshd.js'
import type { FloorSpec } from './floor.js'

let runSeq = 0

/** The sshd targets' folders (`<tmp>/tsplay-sshd-XXXXXX`, see startSshd) named in a message. */
function sshdDirs(msg: string): string[] {
  const prefix = join(tmpdir(), 'tsplay-sshd-').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return msg.match(new RegExp(`${prefix}[A-Za-z0-9]+`, 'g')) ?? []
}

function isSshd(pid: number): boolean {
  try {
    return pid > 0 && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sshd'
  } catch {
    return false
  }
}

/** `startSshd`, retried up to `attempts` times when it fails or a target's sshd is not the one it started. */
export async function startFleet(count: number, attempts = 5): Promise<SshdFleet> {
  for (let i = 1; ; i++) {
    let fleet: SshdFleet | undefined
    try {
      fleet = await startSshd({ count, sudo: 'nopasswd' })
      // a target whose sshd died (its port taken by another test's sshd between freePort() and bind, which then
      // answered the banner check) would be some other machine
      const dead = fleet.hosts.filter((h) => !isSshd(h.pid))
      if (dead.length) throw new Error(`sshd of ${dead.map((h) => h.name).join(', ')} is not running (port taken?)`)
      return fleet
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e)
      if (fleet) await fleet.stop()
      else for (const dir of sshdDirs(msg)) rmSync(dir, { recursive: true, force: true })
      if (i >= attempts) throw e
      process.stderr.write(`  sshd targets did not start (${msg.split('\n')[0]}); again (${i}/${attempts})\n`)
    }
  }
}

/** The login user's uid, gid and home. */
export function userInfo(user: string): { uid: number; gid: number; home: string } {
  const [, , uid, gid, , home] = execFileSync('getent', ['passwd', user], { encoding: 'utf8' }).trim().split(':')
  return { uid: Number(uid), gid: Number(gid), home }
}

/** A new empty folder for one run's targets, owned by the login user. */
export function freshRoot(user: string): string {
  const u = userInfo(user)
  const parent = join(u.home, 'tsplay-bench')
  mkdirSync(parent, { recursive: true, mode: 0o755 })
  chownSync(parent, u.uid, u.gid)
  const root = join(parent, `${process.pid}-${++runSeq}`)
  rmSync(root, { recursive: true, force: true })
  mkdirSync(root, { mode: 0o755 })
  chownSync(root, u.uid, u.gid)
  return root
}

/** Remove a run's folder. */
export function wipe(root: string): void {
  rmSync(root, { recursive: true, force: true })
}

/**
 * Every entry under `root`: relative path, type, permission bits, and a hash of each file's content with `root`
 * written as `<root>` (runs use different folders); sorted.
 */
export function treeDigest(root: string): string {
  const lines: string[] = []
  const walk = (rel: string) => {
    const abs = rel ? join(root, rel) : root
    for (const name of readdirSync(abs).sort()) {
      const r = rel ? `${rel}/${name}` : name
      const st = lstatSync(join(root, r))
      const mode = (st.mode & 0o7777).toString(8)
      if (st.isDirectory()) {
        lines.push(`${r} directory ${mode}`)
        walk(r)
      } else if (st.isFile()) {
        lines.push(
          `${r} file ${mode} ${createHash('sha256')
            .update(readFileSync(join(root, r), 'latin1').replaceAll(root, '<root>'), 'latin1')
            .digest('hex')
            .slice(0, 16)}`,
        )
      } else lines.push(`${r} other ${mode}`)
    }
  }
  walk('')
  return lines.join('\n')
}

/** The first line where two digests differ, for the mismatch message. */
export function firstDifference(a: string, b: string): string {
  const x = a.split('\n')
  const y = b.split('\n')
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return `${x[i] ?? '(nothing)'}  vs  ${y[i] ?? '(nothing)'}`
  }
  return ''
}

/**
 * The first `n` inventory hosts: the fleet's own when it has that many listeners, else `n` names `h1`…`hN` spread
 * round-robin over the listeners (several names per sshd; each name is its own connection and its own folder).
 */
export function benchHosts(fleet: SshdFleet, n: number): SshdHost[] {
  if (n <= fleet.hosts.length) return fleet.hosts.slice(0, n)
  return Array.from({ length: n }, (_, i) => ({ ...fleet.hosts[i % fleet.hosts.length], name: `h${i + 1}` }))
}

/**
 * Connect timeout of the big rows, seconds. Their listeners all run on the controller's machine: a few hundred
 * handshakes at once (forks 200) share its cores with the targets' work, where each real host has a CPU of its own;
 * the default 10 s is then too short on a busy 2-core machine. The floor has no timeout at all.
 */
export const BIG_CONNECT_TIMEOUT_SEC = 60

/** An Ansible-shape YAML inventory of the fleet's first `n` hosts (read by both engines). */
export function inventoryYaml(fleet: SshdFleet, n: number): string {
  const lines = ['all:']
  if (n > fleet.hosts.length) lines.push('  vars:', `    ansible_timeout: ${BIG_CONNECT_TIMEOUT_SEC}`)
  lines.push('  hosts:')
  for (const h of benchHosts(fleet, n)) {
    lines.push(
      `    ${h.name}:`,
      `      ansible_host: "${h.host}"`,
      `      ansible_port: ${h.port}`,
      `      ansible_user: "${fleet.user}"`,
      `      ansible_ssh_private_key_file: "${fleet.keyFile}"`,
    )
  }
  return `${lines.join('\n')}\n`
}

/** The floor's spec for the fleet's first `n` hosts. */
export function floorSpec(fleet: SshdFleet, n: number, root: string, forks: number): FloorSpec {
  return {
    hosts: benchHosts(fleet, n).map((h) => ({ name: h.name, host: h.host, port: h.port })),
    user: fleet.user,
    keyFile: fleet.keyFile,
    knownHostsFile: fleet.knownHostsFile,
    root,
    forks,
  }
}
