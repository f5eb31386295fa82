/**
 * Steps of the Hydra playbook's fleet test that change the farm, each checked with real Nix builds: a builder
 * removed from the inventory takes no builds, one added back (a freshly wiped node) takes builds after one run; a
 * builder down during a run is named in the recap and the others still build; a builder whose host key changed is
 * refused with its fingerprint and re-pinned only when the user says so; a new Hydra pin installs a new profile
 * generation and restarts the services; the same stand-in serves `hydra_install_method: prefix`.
 * Registered by test/hydra/hydra-pi.fleet.test.ts after its other steps (the fleet is left re-keyed and on `prefix`).
 */
import { writeFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { changedTasks, explain, PLAYBOOK, tsplay } from './cli.js'
import { Farm } from './farm.js'
import { builderAt, holders, LONG, verify, type HydraTest } from './farm-steps.js'

const NIX = ['nix', '--extra-experimental-features', 'nix-command']

export function changeSteps(t: HydraTest): void {
  const names = async () => (await t.farm.lines('/etc/nix/machines')).map((l) => l.name)
  const run = (args: string[]) => tsplay(['run', ...t.base, ...t.secrets, ...args])

  it(
    'a builder taken out of the inventory takes no builds; added back fresh, it takes builds after one run',
    async () => {
      const [keep, grow] = t.builders
      writeFileSync(
        join(t.dir, 'one.yml'),
        t.fleet.inventoryYaml({ hydra_server: [t.server], hydra_builders: [keep] }, t.vars),
      )
      const one = [
        'run',
        PLAYBOOK,
        '-i',
        join(t.dir, 'one.yml'),
        '--known-hosts',
        t.fleet.knownHostsFile,
        '--json',
        ...t.secrets,
      ]
      const r1 = await tsplay([...one, '--limit', `${t.server}:${keep}`])
      expect(r1.rc, explain(r1)).toBe(0)
      expect(await names()).toEqual([keep])
      const b = await t.farm.build(`out-${Date.now()}`, ['--max-jobs', '0'])
      expect(b.rc, b.stderr).toBe(0)
      expect(builderAt(t, b.builtOn)).toBe(keep)
      expect(await holders(t, b.out)).toEqual([keep])
      // A fresh Pi (wiped node) joins the group: one run sets it up, and a build sent to it is built there.
      await t.fleet.reset(grow)
      const r2 = await run([])
      expect(r2.rc, explain(r2)).toBe(0)
      expect(r2.recap[keep].changed, changedTasks(r2, keep).join(' | ')).toBe(0)
      expect(await names()).toEqual(t.builders)
      await verify(t, t.builders)
    },
    LONG,
  )

  it(
    'a builder down during the run: the recap names it, its pinned line stays, the other builders take the builds',
    async () => {
      const [down, up] = t.builders
      const before = await t.farm.sh(t.server, ['cat', '/etc/nix/machines'])
      await t.fleet.stopNode(down)
      try {
        const r = await run([])
        expect(r.rc, explain(r)).not.toBe(0)
        expect(r.recap[down].unreachable).toBeGreaterThan(0)
        expect(r.recap[t.server].failed, explain(r)).toBe(0)
        expect(r.recap[t.server].changed, changedTasks(r, t.server).join(' | ')).toBe(0)
        const note = r.tasks.find((x) => x.task === 'build_machines : Builders this run did not reach')
        expect(JSON.stringify(note)).toContain(`${down} took no part in this run`)
        expect(await t.farm.sh(t.server, ['cat', '/etc/nix/machines'])).toBe(before)
        // The down builder comes first in the list: Nix tries it, fails to connect, and builds on the next one.
        const b = await t.farm.build(`down-${Date.now()}`, ['--max-jobs', '0'])
        expect(b.rc, b.stderr).toBe(0)
        expect(builderAt(t, b.builtOn)).toBe(up)
        expect(await t.farm.storeHas(up, b.out)).toBe(true)
      } finally {
        await t.fleet.startNode(down)
      }
    },
    LONG,
  )

  it(
    'a builder whose host key changed is refused with its fingerprint and re-pinned only when the user says so',
    async () => {
      const b = t.builders[1]
      const sh = (argv: string[]) => t.farm.sh(b, argv)
      const pinned = (await t.farm.lines('/etc/nix/machines')).find((l) => l.name === b)!
      await sh([
        'sh',
        '-c',
        'rm -f /etc/ssh/ssh_host_ed25519_key* && ssh-keygen -q -t ed25519 -N "" -f ' +
          '/etc/ssh/ssh_host_ed25519_key && systemctl restart ssh',
      ])
      const fp = (await sh(['ssh-keygen', '-lf', '/etc/ssh/ssh_host_ed25519_key.pub'])).split(' ')[1]
      const oldFp = (
        await t.farm.sh(t.server, ['sh', '-c', 'printf %s "$1" | base64 -d | ssh-keygen -lf -', 'sh', pinned.fields[7]])
      ).split(' ')[1]
      // tsplay itself refuses the changed key (the user's known_hosts still has the old one).
      const r1 = await run(['--limit', `${t.server}:${b}`])
      expect(r1.recap[b].unreachable, explain(r1)).toBeGreaterThan(0)
      expect(r1.tasks.find((x) => x.host === b && x.status === 'unreachable')?.msg).toContain(fp)
      // The user accepts the new key for SSH logins: the playbook still refuses to re-pin it for the server.
      const kh = join(t.dir, 'known_hosts.new')
      const pub = (await sh(['cat', '/etc/ssh/ssh_host_ed25519_key.pub'])).split(' ').slice(0, 2).join(' ')
      writeFileSync(
        kh,
        readFileSync(t.fleet.knownHostsFile, 'utf8')
          .split('\n')
          .filter((l) => !l.startsWith(`${t.address[b]} `))
          .join('\n') + `${t.address[b]} ${pub}\n`,
      )
      const rerun = (extra: string[]) =>
        tsplay([
          'run',
          PLAYBOOK,
          '-i',
          join(t.dir, 'hosts.yml'),
          '--known-hosts',
          kh,
          '--json',
          ...t.secrets,
          '--limit',
          `${t.server}:${b}`,
          ...extra,
        ])
      const r2 = await rerun([])
      expect(r2.rc).not.toBe(0)
      const refused = r2.tasks.find((x) => x.host === b && x.status === 'failed')
      expect(refused?.task, explain(r2)).toBe("builder : This builder's host key is the one the server pinned")
      expect(refused?.msg).toContain(oldFp)
      expect(refused?.msg).toContain(fp)
      expect((await t.farm.lines('/etc/nix/machines')).find((l) => l.name === b)?.text).toBe(pinned.text)
      // Nix on the server refuses the builder too: the pinned key no longer matches.
      expect((await t.fleet.exec(t.server, [...NIX, 'store', 'ping', '--store', Farm.storeUrl(pinned)])).rc).not.toBe(0)
      // Said so: the new key is pinned, and the queue runner reaches the builder again.
      const r3 = await rerun(['-e', '{"hydra_builder_accept_new_host_key": true}'])
      expect(r3.rc, explain(r3)).toBe(0)
      const line = (await t.farm.lines('/etc/nix/machines')).find((l) => l.name === b)!
      expect(line.fields[7]).toBe(
        Buffer.from(`${await sh(['cat', '/etc/ssh/ssh_host_ed25519_key.pub'])}\n`).toString('base64'),
      )
      const ping = await t.fleet.exec(
        t.server,
        t.farm.asUser('hydra-queue-runner', [...NIX, 'store', 'ping', '--store', Farm.storeUrl(line)]),
      )
      expect(ping.rc, ping.stderr).toBe(0)
    },
    LONG,
  )

  it(
    'a new Hydra pin installs a new profile generation and restarts the services; the same pin again changes nothing',
    async () => {
      const pid = (s: string) => t.farm.sh(t.server, ['systemctl', 'show', '-p', 'MainPID', '--value', s])
      const long = t.services.slice(1)
      const before = await Promise.all(long.map(pid))
      const args = ['--limit', t.server, '-e', `hydra_nixpkgs_url=${t.nixpkgs[1]}`]
      const r = await run(args)
      expect(r.rc, explain(r)).toBe(0)
      expect(changedTasks(r, t.server)).toContain('hydra : Hydra from the pinned nixpkgs into its system profile')
      expect(await t.farm.sh(t.server, ['readlink', t.profile])).toBe('hydra-2-link')
      expect(await t.farm.sh(t.server, ['readlink', '-f', `${t.profile}/bin/hydra-server`])).toMatch(
        /-hydra-standin-2\/bin\/hydra-server$/,
      )
      expect(await t.farm.sh(t.server, ['cat', '/var/lib/hydra/nixpkgs-pin'])).toBe(`${t.nixpkgs[1]} hydra`)
      const after = await Promise.all(long.map(pid))
      for (const [i, s] of long.entries()) expect(after[i], s).not.toBe(before[i])
      for (const s of t.services) expect(await t.farm.sh(t.server, ['systemctl', 'is-active', s]), s).toBe('active')
      const again = await run(args)
      expect(again.rc, explain(again)).toBe(0)
      expect(again.recap[t.server].changed, changedTasks(again, t.server).join(' | ')).toBe(0)
    },
    LONG,
  )

  it(
    'the same stand-in serves hydra_install_method: prefix (its bin/ copied to a folder)',
    async () => {
      const prefix = '/opt/hydra-standin'
      await t.farm.sh(t.server, [
        'sh',
        '-c',
        `mkdir -p ${prefix} && cp -r "$(readlink -f ${t.profile}/bin)" ${prefix}/ && chmod -R u+w ${prefix}`,
      ])
      const r = await run(['--limit', t.server, '-e', 'hydra_install_method=prefix', '-e', `hydra_prefix=${prefix}`])
      expect(r.rc, explain(r)).toBe(0)
      expect(await t.farm.sh(t.server, ['systemctl', 'show', '-p', 'ExecStart', '--value', 'hydra-server'])).toContain(
        `${prefix}/bin/hydra-server`,
      )
      for (const s of t.services) expect(await t.farm.sh(t.server, ['systemctl', 'is-active', s]), s).toBe('active')
      expect((await fetch(`http://${t.address[t.server]}:3000/`)).ok).toBe(true)
    },
    LONG,
  )
}
