/**
 * Shared set-up for the SSH integration tests: connect to a loopback fleet host, run a command on the host
 * directly (as root, outside tsplay) to check what really happened there.
 */
import { execFileSync } from 'node:child_process'
import type { ConnectionSpec } from '../../engine/ast.js'
import { HostConnection, type ConnectOptions } from '../../engine/ssh/connection.js'
import type { SshdFleet } from '../helpers/sshd.js'

/** The connection spec for fleet host `i`. */
export function specFor(fleet: SshdFleet, i = 0, over: Partial<ConnectionSpec> = {}): ConnectionSpec {
  const h = fleet.hosts[i]
  return {
    name: h.name,
    host: h.host,
    port: h.port,
    user: fleet.user,
    privateKeyFile: fleet.keyFile,
    connectTimeout: 5,
    ...over,
  }
}

/** Connect to fleet host `i`. */
export function connectTo(
  fleet: SshdFleet,
  i = 0,
  over: Partial<ConnectionSpec> = {},
  opts: Partial<ConnectOptions> = {},
): Promise<HostConnection> {
  return HostConnection.connect({
    spec: specFor(fleet, i, over),
    knownHostsFile: fleet.knownHostsFile,
    trustNewHostKeys: false,
    ...opts,
  })
}

/** Run a shell line on this machine (the loopback "host") as root, outside tsplay. */
export function onHost(script: string): string {
  return execFileSync('sh', ['-c', script], { encoding: 'utf8' })
}

/** Processes of `user` whose command line contains `needle` (pgrep -f), as "pid args" lines. */
export function processes(user: string, needle: string): string[] {
  try {
    return execFileSync('pgrep', ['-a', '-u', user, '-f', needle], { encoding: 'utf8' }).split('\n').filter(Boolean)
  } catch {
    return []
  }
}

/** Wait until `check` is true, polling; false if it never becomes true within `ms`. */
export async function eventually(check: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (check()) return true
    await new Promise((r) => setTimeout(r, 50))
  }
  return check()
}
