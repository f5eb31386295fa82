/**
 * The Hydra stand-in (`test/fixtures/hydra-standin/`: not Hydra, the same command names) put on a fleet node, and
 * the two-node farm the `prefix` install method tests share: one server with the stand-in under a prefix, one
 * builder, a random admin password in a 0600 vars file.
 *
 * @example
 * ```ts
 * const { hosts, secrets } = writePrefixFarm(fleet, dir, server, builder)
 * await copyStandin(fleet, server, STANDIN_PREFIX)
 * ```
 */
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from '../helpers/cli.js'
import type { Fleet } from '../helpers/fleet.js'

/** The stand-in's files on the controller. */
export const STANDIN = join(ROOT, 'test', 'fixtures', 'hydra-standin')
/** Where the `prefix` tests install it on the server (`hydra_prefix`). */
export const STANDIN_PREFIX = '/opt/hydra-standin'

/** Copy every file of the stand-in under `root` on `node`, each with `mode(file)` (default 0755). */
export async function copyStandin(
  fleet: Fleet,
  node: string,
  root: string,
  mode: (file: string) => string = () => '0755',
): Promise<void> {
  for (const f of readdirSync(STANDIN, { recursive: true }).map(String)) {
    if (!statSync(join(STANDIN, f)).isFile()) continue
    const script = 'mkdir -p "$(dirname "$1")" && cat > "$1" && chmod "$2" "$1"'
    const r = await fleet.exec(
      node,
      ['sh', '-c', script, 'sh', `${root}/${f}`, mode(f)],
      readFileSync(join(STANDIN, f), 'utf8'),
    )
    if (r.rc !== 0) throw new Error(`copying the Hydra stand-in to ${node}:${root}/${f}: ${r.stderr}`)
  }
}

/**
 * `dir/hosts.yml` (the server and one builder; Debian's Nix; the stand-in installed by prefix, listening on every
 * address) and `dir/secrets.yml` (a random admin password, mode 0600). Returns their paths.
 */
export function writePrefixFarm(fleet: Fleet, dir: string, server: string, builder: string) {
  const hosts = join(dir, 'hosts.yml')
  const secrets = join(dir, 'secrets.yml')
  const vars = {
    nix_install_method: 'debian',
    hydra_install_method: 'prefix',
    hydra_prefix: STANDIN_PREFIX,
    hydra_listen_host: '0.0.0.0',
  }
  writeFileSync(hosts, fleet.inventoryYaml({ hydra_server: [server], hydra_builders: [builder] }, vars))
  writeFileSync(secrets, `hydra_admin_password: pw-${randomBytes(12).toString('hex')}\n`, { mode: 0o600 })
  return { hosts, secrets }
}
