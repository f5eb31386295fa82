/**
 * Slow tier: the whole Hydra playbook on a Pi's own architecture — an arm64 server and an arm64 builder (Debian
 * bookworm arm64 nodes emulated by qemu-user-static through binfmt_misc), plus an x86_64 builder in the same farm.
 * Nix is Debian's arm64 nix-bin; Hydra is the stand-in of test/hydra/hydra-pi.fleet.test.ts
 * (test/fixtures/hydra-standin:
 * Hydra cannot be downloaded here). The emulated nodes set `filter-syscalls = false` through nix_extra_options
 * (qemu-user cannot load the guest's seccomp filter); real Pis keep Nix's default.
 *
 * Checked: facts say aarch64 / aarch64-linux on the arm64 nodes; the first run passes; Debian's arm64 nix-bin runs;
 * /etc/nix/machines carries each builder's own system; a build for aarch64-linux sent from the server with the
 * builders' lines runs on the arm64 builder (not on the x86_64 one); a second run is 0 changed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFleet, type Fleet } from '../helpers/fleet.js'
import { changedTasks, explain, PLAYBOOK, tsplay } from '../hydra/cli.js'
import { copyStandin, STANDIN_PREFIX as PREFIX } from '../hydra/standin.js'
import { needSlowFleet, nodeSh, SLOW, timer } from './slow.js'

const HOUR = 3_600_000

describe.runIf(SLOW)('hydra-pi.yml on arm64 nodes (emulated) with an x86_64 builder (slow)', () => {
  let fleet: Fleet
  let dir: string
  let server: string
  let armBuilder: string
  let x86Builder: string
  let address: Record<string, string>
  let base: string[]

  const sh = (node: string, argv: string[], stdin?: string) => nodeSh(fleet, node, argv, stdin)

  beforeAll(async () => {
    needSlowFleet({ emulated: true })
    const t = timer('arm64 fleet up (rootfs cached or built, 3 nodes booted to sshd)')
    fleet = await startFleet(3, { prefix: 'arm', archs: ['arm64', 'arm64', 'amd64'] })
    t.done()
    ;[server, armBuilder, x86Builder] = fleet.nodes.map((n) => n.name)
    address = Object.fromEntries(fleet.nodes.map((n) => [n.name, n.address]))
    dir = mkdtempSync(join(tmpdir(), 'tsplay-arm64-'))
    const emulated = { nix_extra_options: { 'filter-syscalls': false } }
    writeFileSync(
      join(dir, 'hosts.yml'),
      stringify({
        all: {
          vars: {
            ansible_user: fleet.user,
            ansible_ssh_private_key_file: fleet.keyFile,
            nix_install_method: 'debian',
            hydra_install_method: 'prefix',
            hydra_prefix: PREFIX,
            hydra_listen_host: '0.0.0.0',
          },
          children: {
            hydra_server: { hosts: { [server]: { ansible_host: address[server], ...emulated } } },
            hydra_builders: {
              hosts: {
                [armBuilder]: { ansible_host: address[armBuilder], ...emulated },
                [x86Builder]: { ansible_host: address[x86Builder] },
              },
            },
          },
        },
      }),
    )
    writeFileSync(join(dir, 'secrets.yml'), 'hydra_admin_password: slow-arm64-admin\n', { mode: 0o600 })
    base = [
      'run',
      PLAYBOOK,
      '-i',
      join(dir, 'hosts.yml'),
      '--known-hosts',
      fleet.knownHostsFile,
      '--json',
      '-e',
      `@${join(dir, 'secrets.yml')}`,
    ]
    await copyStandin(fleet, server, PREFIX)
  }, HOUR)

  afterAll(async () => {
    await fleet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it(
    'facts: aarch64 / aarch64-linux on the arm64 nodes, x86_64-linux on the other',
    async () => {
      writeFileSync(
        join(dir, 'facts.yml'),
        stringify([
          {
            name: 'facts',
            hosts: 'all',
            gather_facts: true,
            tasks: [{ name: 'arch', debug: { msg: '{{ ansible_architecture }} {{ facts.nix_system }}' } }],
          },
        ]),
      )
      const r = await tsplay([
        'run',
        join(dir, 'facts.yml'),
        '-i',
        join(dir, 'hosts.yml'),
        '--known-hosts',
        fleet.knownHostsFile,
        '--json',
      ])
      expect(r.rc, explain(r)).toBe(0)
      const msg = (h: string) => r.tasks.find((t) => t.host === h && t.task === 'arch')?.msg
      expect(msg(server)).toBe('aarch64 aarch64-linux')
      expect(msg(armBuilder)).toBe('aarch64 aarch64-linux')
      expect(msg(x86Builder)).toBe('x86_64 x86_64-linux')
    },
    HOUR,
  )

  it(
    "first run of the whole playbook passes; Debian's arm64 nix-bin runs",
    async () => {
      const t = timer('hydra-pi.yml first run (arm64 server + arm64 builder emulated, x86_64 builder)')
      const r = await tsplay(base)
      t.done()
      expect(r.rc, explain(r)).toBe(0)
      for (const n of [server, armBuilder]) {
        expect(await sh(n, ['dpkg-query', '-W', '-f', '${Architecture}', 'nix-bin'])).toBe('arm64')
        expect(await sh(n, ['nix-store', '--version'])).toMatch(/^nix-store \(Nix\) 2\./)
        expect(await sh(n, ['systemctl', 'is-active', 'nix-daemon'])).toBe('active')
        expect(await sh(n, ['cat', '/etc/nix/nix.conf'])).toMatch(/^filter-syscalls = false$/m)
      }
      expect(await sh(x86Builder, ['cat', '/etc/nix/nix.conf'])).not.toMatch(/filter-syscalls/)
      expect((await fetch(`http://${address[server]}:3000/`)).ok).toBe(true)
    },
    3 * HOUR,
  )

  it("/etc/nix/machines carries each builder's own system", async () => {
    // The server's own line ("localhost": build here) is in Hydra's list only; nix-daemon's lists the builders.
    const lines = (await sh(server, ['cat', '/etc/nix/machines', '/etc/hydra/machines']))
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
    const systemOf = (prefix: string) => lines.find((l) => l.startsWith(prefix))?.split(' ')[1]
    expect(systemOf('localhost ')).toBe('aarch64-linux')
    expect(systemOf(`ssh://nixremote@${address[armBuilder]} `)).toBe('aarch64-linux')
    expect(systemOf(`ssh://nixremote@${address[x86Builder]} `)).toBe('x86_64-linux')
  })

  it(
    'a build for aarch64-linux sent from the server runs on the arm64 builder',
    async () => {
      const t = timer('aarch64-linux busybox build sent from the server to the arm64 builder')
      await sh(server, ['apt-get', 'install', '-y', '-q', 'busybox-static'])
      await sh(server, ['sh', '-c', 'mkdir -p /root/t/bb && cp /bin/busybox /root/t/bb/busybox'])
      await sh(
        server,
        ['sh', '-c', 'cat > /root/t/x.nix'],
        'derivation { name = "arm-remote"; system = "aarch64-linux"; ' +
          'builder = "${./bb}/busybox"; args = [ "sh" "-c" "echo built-on-$(uname -m) > $out" ]; }\n',
      )
      // The builders' lines of the list (what Hydra's queue runner hands to Nix; "localhost" means itself to it),
      // and --max-jobs 0: the server may not build it; Nix must pick a builder whose system is aarch64-linux.
      const r = await fleet.exec(server, [
        'sh',
        '-c',
        'exec nix-build --no-out-link --max-jobs 0 --builders "$(grep "^ssh://" /etc/nix/machines)" /root/t/x.nix',
      ])
      t.done()
      expect(r.rc, r.stderr).toBe(0)
      const out = r.stdout.trim()
      expect(r.stderr).toContain(`on 'ssh://nixremote@${address[armBuilder]}'`)
      expect(r.stderr).not.toContain(address[x86Builder])
      expect(await sh(server, ['cat', out])).toBe('built-on-aarch64')
      expect((await fleet.exec(armBuilder, ['test', '-e', out])).rc, "the output is in the arm64 builder's store").toBe(
        0,
      )
      expect((await fleet.exec(x86Builder, ['test', '-e', out])).rc).not.toBe(0)
    },
    HOUR,
  )

  it(
    'a second run is 0 changed',
    async () => {
      const t = timer('hydra-pi.yml second run on the mixed farm')
      const r = await tsplay(base)
      t.done()
      expect(r.rc, explain(r)).toBe(0)
      for (const h of [server, armBuilder, x86Builder])
        expect(r.recap[h].changed, `${h}: ${changedTasks(r, h).join(' | ')}`).toBe(0)
    },
    2 * HOUR,
  )
})
