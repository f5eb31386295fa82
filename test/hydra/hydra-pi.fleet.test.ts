/**
 * End-to-end test of playbooks/hydra-pi.yml on three real Debian bookworm nodes of the test fleet (systemd as
 * PID 1, sshd, apt through NAT to the Debian mirror): one `hydra_server`, two `hydra_builders`, driven over SSH by
 * the real CLI with `nix_install_method: debian`, then checked with real Nix builds (test/hydra/farm-steps.ts).
 *
 * HYDRA ITSELF IS A STAND-IN HERE. Hydra cannot be downloaded on this offline machine, so the run uses
 * `hydra_install_method: nix` with a tiny local "nixpkgs", test/fixtures/hydra-standin/ copied onto the server as
 * `hydra_nixpkgs_url`: the role's own nix-env command builds its `hydra` attribute (a real derivation, built by
 * Nix with Debian's static busybox) into the profile. It installs small scripts with Hydra's command names
 * (`hydra-init` creating Hydra's users tables, a `hydra-server` answering HTTP on its port, long-running
 * `hydra-evaluator`/`hydra-queue-runner`/`hydra-notify`, `hydra-create-user` writing Hydra's rows). Everything else
 * is real: apt, Nix from Debian with nix-daemon, PostgreSQL, users, folders, units, SSH keys, the builds.
 *
 * Order: validate; --check on the fresh nodes (debian, source and installer paths: nothing may change); the first
 * run, asserted on the nodes; real builds on the builders; --tags verify; the check run's prediction against the
 * first run; a second run with 0 changed; a change of one unit's setting restarting exactly that service; runs
 * with builders left out, removed, added, down, or with a changed host key; a new Hydra pin; the prefix method.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canRunFleet, startFleet, type Fleet } from '../helpers/fleet.js'
import { changedOk, changedTasks, explain, PLAYBOOK, tsplay, type CliResult } from './cli.js'
import { Farm } from './farm.js'
import { changeSteps } from './farm-changes.js'
import { buildSteps, type HydraTest } from './farm-steps.js'
import { copyStandin, STANDIN } from './standin.js'

const can = canRunFleet()
/** The stand-in "nixpkgs" on the server: pin 1 (the first run) and pin 2 (a new Hydra release). */
const NIXPKGS = ['/srv/nixpkgs-standin-1', '/srv/nixpkgs-standin-2']
const PROFILE = '/nix/var/nix/profiles/hydra'
const SERVICES = ['hydra-init', 'hydra-server', 'hydra-evaluator', 'hydra-queue-runner', 'hydra-notify']
const LONG = 1_200_000

describe.skipIf(!can.ok)(`hydra-pi.yml on a fleet of three Debian nodes (${can.ok ? 'fleet' : can.why})`, () => {
  let fleet: Fleet
  let dir: string
  let server: string
  let builders: string[]
  let address: Record<string, string>
  let base: string[]
  const password = `pw-${randomBytes(12).toString('hex')}`
  let check: CliResult
  let first: CliResult
  let farm: Farm
  /** What the steps in farm-steps.ts share with this file (filled in beforeAll). */
  const t = {} as HydraTest

  /** Run as root inside a node (no SSH), failing the test on a non-zero exit. */
  async function sh(node: string, argv: string[], stdin?: string): Promise<string> {
    const r = await fleet.exec(node, argv, stdin)
    if (r.rc !== 0) throw new Error(`${node}: ${argv.join(' ')} → rc ${r.rc}\n${r.stderr}`)
    return r.stdout.trim()
  }
  const psql = (node: string, db: string, sql: string) =>
    sh(node, ['runuser', '-u', 'postgres', '--', 'psql', '-X', '-At', '-d', db, '-c', sql])

  beforeAll(async () => {
    fleet = await startFleet(3)
    ;[server, ...builders] = fleet.nodes.map((n) => n.name)
    address = Object.fromEntries(fleet.nodes.map((n) => [n.name, n.address]))
    dir = mkdtempSync(join(tmpdir(), 'tsplay-hydra-'))
    // The stand-in hydra-server binds an IPv4 address; the real one also takes the default "*". The farm is
    // offline (only Debian's mirror is reachable): no binary cache, as an offline user would set it.
    const vars = {
      nix_install_method: 'debian',
      hydra_install_method: 'nix',
      hydra_nixpkgs_url: NIXPKGS[0],
      hydra_listen_host: '0.0.0.0',
      nix_extra_options: { substituters: '' },
    }
    writeFileSync(
      join(dir, 'hosts.yml'),
      fleet.inventoryYaml({ hydra_server: [server], hydra_builders: builders }, vars),
    )
    // The secret stays out of argv: a vars file of mode 0600, as docs/hydra-pi.md tells users to do.
    writeFileSync(join(dir, 'secrets.yml'), `hydra_admin_password: ${password}\n`, { mode: 0o600 })
    base = [PLAYBOOK, '-i', join(dir, 'hosts.yml'), '--known-hosts', fleet.knownHostsFile, '--json']
    // The Hydra stand-in's "nixpkgs" on the server, twice (the second with another pin), each with Debian's static
    // busybox as ./bb/busybox; and the test derivation of farm.ts.
    farm = new Farm(fleet, server)
    await farm.prepare()
    for (const [i, root] of NIXPKGS.entries()) {
      await copyStandin(fleet, server, root, (f) => (f.startsWith('bin/') ? '0755' : '0644'))
      await sh(server, [
        'sh',
        '-c',
        `mkdir -p ${root}/bb && cp /bin/busybox ${root}/bb/ && echo ${i + 1} > ${root}/pin`,
      ])
    }
    Object.assign(t, {
      fleet,
      farm,
      server,
      builders,
      address,
      dir,
      base,
      vars,
      secrets: ['-e', `@${join(dir, 'secrets.yml')}`],
      standin: STANDIN,
      nixpkgs: NIXPKGS,
      profile: PROFILE,
      services: SERVICES,
    })
  }, 600_000)

  afterAll(async () => {
    await fleet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('validates the debian, source and installer paths', async () => {
    for (const method of ['debian', 'source', 'installer']) {
      const r = await tsplay(['validate', PLAYBOOK, '-i', join(dir, 'hosts.yml'), '-e', `nix_install_method=${method}`])
      expect(r.rc, `${method}: ${r.stderr}`).toBe(0)
    }
  })

  it(
    '--check on the fresh nodes changes nothing (debian, source and installer paths)',
    async () => {
      for (const method of ['source', 'installer', 'debian']) {
        const r = await tsplay([
          'run',
          ...base,
          '--check',
          '-e',
          `@${join(dir, 'secrets.yml')}`,
          '-e',
          `nix_install_method=${method}`,
        ])
        expect(r.rc, `${method}: ${explain(r)}`).toBe(0)
        for (const h of fleet.nodes.map((n) => n.name)) expect(r.recap[h]?.changed, `${method} ${h}`).toBeGreaterThan(0)
        if (method === 'debian') check = r
      }
      for (const node of fleet.nodes.map((n) => n.name)) {
        expect(
          (await fleet.exec(node, ['dpkg-query', '-W', 'nix-bin'])).rc,
          `${node}: nix-bin installed by --check`,
        ).not.toBe(0)
        expect((await fleet.exec(node, ['test', '-e', '/etc/nix'])).rc).not.toBe(0)
      }
      expect((await fleet.exec(server, ['test', '-e', '/var/lib/hydra'])).rc).not.toBe(0)
      expect((await fleet.exec(builders[0], ['getent', 'passwd', 'nixremote'])).rc).not.toBe(0)
    },
    LONG,
  )

  it(
    'stops early with a clear message when the admin password is missing',
    async () => {
      const r = await tsplay(['run', ...base, '--check'])
      expect(r.rc).toBe(2)
      const failed = r.tasks.find((t) => t.status === 'failed')
      expect(failed?.host).toBe(server)
      expect(failed?.msg).toMatch(/hydra_admin_password is not set/)
      // The failure ends the run for every Pi (max_fail_percentage 0): nothing ran after it anywhere (names are "role :
      // name").
      expect(r.stdout + r.stderr).toMatch(/no more hosts left/)
      expect(r.tasks.some((t) => t.task === 'preflight : Debian or Raspberry Pi OS, bookworm or trixie')).toBe(false)
      expect(r.tasks.some((t) => t.task === 'base : Base packages')).toBe(false)
    },
    LONG,
  )

  it(
    'refuses 32-bit ARM with the reason, unless the user accepts building from source',
    async () => {
      // The architecture fact is overridden with -e (extra vars win over facts); --check keeps the nodes fresh.
      const arm = [
        'run',
        ...base,
        '--check',
        '-e',
        `@${join(dir, 'secrets.yml')}`,
        '-e',
        'ansible_architecture=armv7l',
        '--tags',
        'preflight',
      ]
      const refused = await tsplay(arm)
      expect(refused.rc).toBe(2)
      const failed = refused.tasks.filter((t) => t.status === 'failed')
      expect(failed.map((t) => t.host).sort()).toEqual(fleet.nodes.map((n) => n.name).sort())
      expect(failed[0].msg).toMatch(
        /No Nix binary cache serves that system.*takes days.*nix_allow_source_build_without_cache: true/s,
      )
      const accepted = await tsplay([...arm, '-e', '{"nix_allow_source_build_without_cache": true}'])
      expect(accepted.rc, explain(accepted)).toBe(0)
    },
    LONG,
  )

  it(
    'first run: Nix, PostgreSQL, Hydra (stand-in), builders and the web UI',
    async () => {
      first = await tsplay(['run', ...base, '-e', `@${join(dir, 'secrets.yml')}`])
      expect(first.rc, explain(first)).toBe(0)
      expect(first.stdout + first.stderr).not.toContain(password)
      for (const node of fleet.nodes.map((n) => n.name)) {
        expect(await sh(node, ['systemctl', 'is-active', 'nix-daemon'])).toBe('active')
        expect(await sh(node, ['nix-store', '--version'])).toMatch(/nix/)
        const conf = await sh(node, ['cat', '/etc/nix/nix.conf'])
        expect(conf).toMatch(/^trusted-users = root @nix-trusted$/m)
        expect(conf).toMatch(/^keep-outputs = true$/m)
      }
      // PostgreSQL: role, database owned by it, pg_trgm, and peer login of a Hydra service user through the map.
      expect(await psql(server, 'postgres', "select rolname from pg_roles where rolname = 'hydra'")).toBe('hydra')
      expect(
        await psql(server, 'postgres', "select pg_get_userbyid(datdba) from pg_database where datname = 'hydra'"),
      ).toBe('hydra')
      expect(await psql(server, 'hydra', "select extname from pg_extension where extname = 'pg_trgm'")).toBe('pg_trgm')
      expect(
        await sh(server, [
          'runuser',
          '-u',
          'hydra-www',
          '--',
          'psql',
          '-X',
          '-At',
          '-d',
          'hydra',
          '-U',
          'hydra',
          '-c',
          'select current_user',
        ]),
      ).toBe('hydra')
      // Users, groups, folders.
      expect((await sh(server, ['id', '-nG', 'hydra-queue-runner'])).split(' ').sort()).toEqual([
        'hydra',
        'nix-trusted',
        'nix-users',
      ])
      for (const [path, want] of [
        ['/var/lib/hydra', 'hydra:hydra 750'],
        ['/var/lib/hydra/www', 'hydra-www:hydra 700'],
        ['/var/lib/hydra/queue-runner', 'hydra-queue-runner:hydra 750'],
        ['/var/lib/hydra/build-logs', 'hydra-queue-runner:hydra 750'],
        ['/nix/var/nix/gcroots/hydra', 'hydra:hydra 2775'],
        ['/var/lib/hydra/hydra.conf', 'hydra:hydra 640'],
      ])
        expect(await sh(server, ['stat', '-c', '%U:%G %a', path]), path).toBe(want)
      expect(await sh(server, ['cat', '/var/lib/hydra/hydra.conf'])).toContain(
        `base_uri = http://${address[server]}:3000`,
      )
      expect(await sh(server, ['cat', '/etc/default/hydra'])).toContain('HYDRA_DBI="dbi:Pg:dbname=hydra;user=hydra;"')
      for (const s of SERVICES) expect(await sh(server, ['systemctl', 'is-active', s]), s).toBe('active')
      // Hydra (the stand-in) came from the pinned "nixpkgs" through the role's nix-env: generation 1 of the profile
      // holds the derivation's output, the units start it from the profile, the pin is recorded.
      expect(await sh(server, ['readlink', PROFILE])).toBe('hydra-1-link')
      expect(await sh(server, ['readlink', '-f', `${PROFILE}/bin/hydra-server`])).toMatch(
        /^\/nix\/store\/[a-z0-9]{32}-hydra-standin-1\/bin\/hydra-server$/,
      )
      expect(await sh(server, ['cat', `${PROFILE}/README`])).toContain('NOT Hydra')
      expect(await sh(server, ['systemctl', 'show', '-p', 'ExecStart', '--value', 'hydra-queue-runner'])).toContain(
        `${PROFILE}/bin/hydra-queue-runner`,
      )
      expect(await sh(server, ['cat', '/var/lib/hydra/nixpkgs-pin'])).toBe(`${NIXPKGS[0]} hydra`)
      // The admin row in Hydra's tables (written by the stand-in hydra-create-user).
      expect(await psql(server, 'hydra', "select username || ' ' || emailaddress from users")).toBe(
        `admin root@${server}`,
      )
      expect(await psql(server, 'hydra', "select role from userroles where username = 'admin'")).toBe('admin')
      // The web UI answers, from the test machine over the fleet's network, and its URL was printed.
      expect((await fetch(`http://${address[server]}:3000/`)).ok).toBe(true)
      expect(first.tasks.find((t) => t.task === "Hydra's URL")?.msg).toContain(`http://${address[server]}:3000`)
    },
    LONG,
  )

  it(
    'first run: builders trust the queue runner, and the machine lists are what Nix and Hydra read',
    async () => {
      const pub = await sh(server, ['cat', '/var/lib/hydra/queue-runner/.ssh/id_ed25519.pub'])
      // nix-daemon's list: the builders only (no localhost: nix-daemon would log in to itself), no ";" anywhere
      // (Nix splits lines on it, comments included). Hydra's: its own file (localhost) and that one.
      const nixText = await sh(server, ['cat', '/etc/nix/machines'])
      const hydraText = await sh(server, ['cat', '/etc/hydra/machines'])
      for (const text of [nixText, hydraText]) expect(text).not.toContain(';')
      expect(await farm.queueRunnerMachineFiles()).toEqual(['/etc/hydra/machines', '/etc/nix/machines'])
      expect(await sh(server, ['systemctl', 'show', '-p', 'Environment', '--value', 'hydra-queue-runner'])).toContain(
        'NIX_REMOTE_SYSTEMS=/etc/hydra/machines:/etc/nix/machines',
      )
      const cpus = await sh(server, ['nproc'])
      expect((await farm.lines('/etc/hydra/machines')).map((l) => l.text)).toEqual([
        `localhost x86_64-linux - ${cpus} 1 benchmark,big-parallel - -`,
      ])
      const machines = await farm.lines('/etc/nix/machines')
      expect(machines.map((l) => l.name)).toEqual(builders)
      for (const [i, b] of builders.entries()) {
        expect(await sh(b, ['cat', '/var/lib/nixremote/.ssh/authorized_keys'])).toBe(`restrict ${pub}`)
        // As NixOS documents it: `base64 -w0` of the whole .pub file (its newline included).
        const hostKey = Buffer.from(
          (await fleet.exec(b, ['cat', '/etc/ssh/ssh_host_ed25519_key.pub'])).stdout,
        ).toString('base64')
        expect(machines[i].text).toBe(
          `ssh://nixremote@${address[b]} x86_64-linux /var/lib/hydra/queue-runner/.ssh/id_ed25519 ` +
            `${await sh(b, ['nproc'])} 1 benchmark,big-parallel - ${hostKey} # ${b}`,
        )
      }
    },
    LONG,
  )

  buildSteps(t)

  it('--check on the fresh nodes predicted the first run (changed and ok per host)', () => {
    for (const h of Object.keys(first.recap)) {
      expect(
        changedOk(check)[h],
        `${h}: check said ${changedTasks(check, h).join(' | ')}\nrun did ${changedTasks(first, h).join(' | ')}`,
      ).toEqual(changedOk(first)[h])
    }
  })

  it(
    'second run: 0 changed on every host (and the password in no output, even with -vv)',
    async () => {
      const r = await tsplay(['run', ...base, '-vv', '-e', `@${join(dir, 'secrets.yml')}`])
      expect(r.rc, explain(r)).toBe(0)
      expect(r.stdout + r.stderr).not.toContain(password)
      for (const [h, c] of Object.entries(r.recap)) expect(c.changed, `${h}: ${changedTasks(r, h).join(' | ')}`).toBe(0)
      expect(Object.keys(r.recap).sort()).toEqual(fleet.nodes.map((n) => n.name).sort())
      // The verify role is tagged never: it runs only when asked for with --tags verify.
      expect(r.tasks.filter((x) => x.task.startsWith('verify : '))).toEqual([])
    },
    LONG,
  )

  it(
    'a changed unit restarts exactly that service',
    async () => {
      const pid = (s: string) => sh(server, ['systemctl', 'show', '-p', 'MainPID', '--value', s])
      const before = Object.fromEntries(await Promise.all(SERVICES.slice(1).map(async (s) => [s, await pid(s)])))
      const r = await tsplay([
        'run',
        ...base,
        '-e',
        `@${join(dir, 'secrets.yml')}`,
        '-e',
        'hydra_listen_host=127.0.0.1',
        '--tags',
        'hydra',
      ])
      expect(r.rc, explain(r)).toBe(0)
      const handlers = r.tasks.filter((t) => t.host === server && t.handler)
      expect(handlers.map((t) => `${t.task}: ${t.status}`)).toEqual(['hydra : restart hydra-server: changed'])
      for (const s of SERVICES.slice(2)) expect(await pid(s), s).toBe(before[s])
      expect(await pid('hydra-server')).not.toBe(before['hydra-server'])
      expect(await sh(server, ['systemctl', 'cat', 'hydra-server'])).toContain('-h 127.0.0.1 -p 3000')
    },
    LONG,
  )

  it(
    'a run limited to the server leaves /etc/nix/machines as it is',
    async () => {
      const machines = await sh(server, ['cat', '/etc/nix/machines'])
      const r = await tsplay([
        'run',
        ...base,
        '-e',
        `@${join(dir, 'secrets.yml')}`,
        '-e',
        'hydra_listen_host=127.0.0.1',
        '--limit',
        server,
      ])
      expect(r.rc, explain(r)).toBe(0)
      expect(r.recap[server].changed, changedTasks(r, server).join(' | ')).toBe(0)
      expect(Object.keys(r.recap)).toEqual([server])
      expect(r.tasks.find((x) => x.task === 'build_machines : Builders this run did not reach')?.status).toBe('ok')
      expect(await sh(server, ['cat', '/etc/nix/machines'])).toBe(machines)
    },
    LONG,
  )

  changeSteps(t)
})
