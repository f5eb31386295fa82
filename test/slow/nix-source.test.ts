/**
 * Slow tier: Nix 2.24.14 built from source by the Hydra playbook's `nix` role (`nix_install_method: source`) on one
 * fleet node, for real: the role's git clone, autoreconf, ./configure (with its bdw-gc header fix), make (async,
 * detached), make install, build users and nix-daemon unit. The sources are the upstream tree at tag 2.24.14 from
 * `../shared/nix-source/nix-2.24.14.bundle`, served to the node as a git repository (file:///srv/nix.git).
 *
 * Checked: the build survives the node's link dropped for 90 s during make (the same make process finishes; tsplay
 * re-attaches to the job); `nix --version` is 2.24.14 from /opt/nix-2.24.14; the source-built nix-daemon builds a
 * derivation whose builder is Debian's static busybox; a second run is 0 changed and runs no make; a changed
 * nix_version builds beside the old prefix. No other Nix release's source is here, so the "new version" is a second
 * tag, 2.24.14-tsplay1, in a copy of the repository: one commit on top of 2.24.14 that only changes `.version`
 * (which every object file depends on through config.h, so it is a full second build, not a relink).
 * Takes about an hour on 2 shared cores (see the README's slow tier table).
 */
import { cpSync, mkdtempSync, rmSync, existsSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFleet, type Fleet } from '../helpers/fleet.js'
import { changedTasks, explain, PLAYBOOK, tsplay } from '../hydra/cli.js'
import { host, NIX_BUNDLE, needSlowFleet, nodeSh, SLOW, timer } from './slow.js'

const NEW = '2.24.14-tsplay1'
const HOUR = 3_600_000

describe.runIf(SLOW)('Nix 2.24.14 from source on a fleet node (slow)', () => {
  let fleet: Fleet
  let node: string
  let dir: string
  let base: string[]

  const sh = (argv: string[], stdin?: string) => nodeSh(fleet, node, argv, stdin)

  beforeAll(async () => {
    needSlowFleet({ emulated: false })
    if (!existsSync(NIX_BUNDLE)) throw new Error(`no Nix source bundle at ${NIX_BUNDLE} (set TSPLAY_NIX_SOURCE_BUNDLE)`)
    dir = mkdtempSync(join(tmpdir(), 'tsplay-nixsrc-'))
    // The repository the node clones from: the bundle's tag 2.24.14, plus the simulated next version.
    const repo = join(dir, 'nix.git')
    host(['git', 'clone', '--quiet', '--mirror', NIX_BUNDLE, repo])
    const work = join(dir, 'work')
    host(['git', 'clone', '--quiet', '--branch', '2.24.14', repo, work])
    writeFileSync(join(work, '.version'), `${NEW}\n`)
    const id = ['-c', 'user.name=tsplay test', '-c', 'user.email=test@tsplay.invalid']
    host(['git', ...id, 'commit', '--quiet', '-am', `Simulated next release ${NEW} (only .version differs)`], work)
    host(['git', ...id, 'tag', NEW], work)
    host(['git', 'push', '--quiet', 'origin', `refs/tags/${NEW}`], work)
    fleet = await startFleet(1, { prefix: 'nixsrc' })
    node = fleet.nodes[0].name
    cpSync(repo, join(fleet.runDir, 'nodes', node, 'merged', 'srv', 'nix.git'), { recursive: true })
    // The server: the first play (preflight, base, nix) is all that runs with --tags base,nix; the preflight
    // still wants the admin password (a vars file of mode 0600, as docs/hydra-pi.md says).
    writeFileSync(join(dir, 'secrets.yml'), 'hydra_admin_password: slow-tier-not-used\n', { mode: 0o600 })
    writeFileSync(
      join(dir, 'hosts.yml'),
      fleet.inventoryYaml(
        { hydra_server: [node] },
        {
          nix_install_method: 'source',
          nix_source_repo: 'file:///srv/nix.git',
        },
      ),
    )
    base = [
      'run',
      PLAYBOOK,
      '-i',
      join(dir, 'hosts.yml'),
      '--known-hosts',
      fleet.knownHostsFile,
      '--json',
      '--tags',
      'base,nix',
      '-e',
      `@${join(dir, 'secrets.yml')}`,
    ]
  }, 900_000)

  afterAll(async () => {
    await fleet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it(
    "first run builds and installs Nix, and the build survives the node's link dropped during make",
    async () => {
      const t = timer('first run (apt, clone, configure, make -j2, install) of Nix 2.24.14 from source')
      let ended = false
      const run = tsplay(base).then((r) => {
        ended = true
        return r
      })
      // Wait until make has compiled a few objects, then cut the node off for 90 s (longer than the 60 s poll).
      let makePid = ''
      for (let i = 0; i < 2400 && !makePid && !ended; i++) {
        await new Promise((r) => setTimeout(r, 2000))
        const objs = await fleet.exec(node, ['sh', '-c', 'find /usr/local/src/nix-2.24.14/src -name "*.o" | wc -l'])
        if (Number(objs.stdout.trim()) >= 3)
          makePid = (await fleet.exec(node, ['pgrep', '-o', '-x', 'make'])).stdout.trim()
      }
      if (ended) {
        const r = await run
        throw new Error(`the run ended before make compiled anything:\n${explain(r)}`)
      }
      expect(makePid, 'make never started compiling').toMatch(/^\d+$/)
      const drop = timer('link down during make')
      await fleet.linkDown(node)
      await new Promise((r) => setTimeout(r, 90_000))
      await fleet.linkUp(node)
      drop.done()
      // The same make is still at work (the job ran on, detached, while tsplay could not reach the node).
      expect((await fleet.exec(node, ['kill', '-0', makePid])).rc, 'make died with the link').toBe(0)
      const r = await run
      t.done()
      expect(r.rc, explain(r)).toBe(0)
      expect(r.recap[node].failed).toBe(0)
      // Task names carry their role ("nix : Build Nix …"), as in Ansible's output.
      expect(changedTasks(r, node)).toContain(
        'nix : Build Nix (hours on a Pi; runs detached and survives a dropped connection)',
      )
    },
    3 * HOUR,
  )

  it('nix --version is 2.24.14 from the source prefix, and the source-built nix-daemon serves it', async () => {
    expect(await sh(['nix', '--version'])).toBe('nix (Nix) 2.24.14')
    expect(await sh(['readlink', '-f', '/usr/local/bin/nix'])).toBe('/opt/nix-2.24.14/bin/nix')
    const main = await sh(['systemctl', 'show', '-P', 'MainPID', 'nix-daemon'])
    expect(await sh(['readlink', '-f', `/proc/${main}/exe`])).toBe('/opt/nix-2.24.14/bin/nix')
  })

  it('the source-built nix-daemon runs a build (busybox derivation, no network)', async () => {
    const t = timer('busybox derivation built by the source-built nix-daemon')
    await sh(['sh', '-c', 'mkdir -p /root/t/bb && cp /bin/busybox /root/t/bb/busybox'])
    await sh(
      ['sh', '-c', 'cat > /root/t/x.nix'],
      '{ n ? "x" }: derivation { name = n; system = builtins.currentSystem; ' +
        'builder = "${./bb}/busybox"; args = [ "sh" "-c" "echo hi-from-$(uname -m) > $out" ]; }\n',
    )
    // NIX_REMOTE=daemon: the client must go through the daemon's socket (it fails if the daemon does not answer).
    const out = await sh(['env', 'NIX_REMOTE=daemon', 'nix-build', '--no-out-link', '/root/t/x.nix'])
    t.done()
    expect(out).toMatch(/^\/nix\/store\/[a-z0-9]{32}-x$/)
    expect(await sh(['cat', out])).toBe(`hi-from-${await sh(['uname', '-m'])}`)
  }, 600_000)

  it(
    'a second run is 0 changed and does not build again',
    async () => {
      const before = await sh(['stat', '-c', '%Y', '/opt/nix-2.24.14/bin/nix'])
      const t = timer('second run (nothing to do)')
      const r = await tsplay(base)
      t.done()
      expect(r.rc, explain(r)).toBe(0)
      expect(r.recap[node].changed, changedTasks(r, node).join('\n')).toBe(0)
      const build = r.tasks.find((x) => x.host === node && x.task.includes('Build Nix'))
      expect(build?.status).toBe('ok') // creates: the prefix's nix exists, so make is not run
      expect(await sh(['stat', '-c', '%Y', '/opt/nix-2.24.14/bin/nix'])).toBe(before)
    },
    HOUR,
  )

  it(
    'a changed nix_version builds beside the old prefix, and the daemon moves to it',
    async () => {
      const t = timer(`run with nix_version=${NEW} (full second build beside the first)`)
      const r = await tsplay([...base, '-e', `nix_version=${NEW}`])
      t.done()
      expect(r.rc, explain(r)).toBe(0)
      expect(await sh([`/opt/nix-${NEW}/bin/nix`, '--version'])).toBe(`nix (Nix) ${NEW}`)
      expect(await sh(['/opt/nix-2.24.14/bin/nix', '--version'])).toBe('nix (Nix) 2.24.14')
      expect(await sh(['nix', '--version'])).toBe(`nix (Nix) ${NEW}`)
      const main = await sh(['systemctl', 'show', '-P', 'MainPID', 'nix-daemon'])
      expect(await sh(['readlink', '-f', `/proc/${main}/exe`])).toBe(`/opt/nix-${NEW}/bin/nix`)
      const out = await sh([
        'env',
        'NIX_REMOTE=daemon',
        'nix-build',
        '--no-out-link',
        '--argstr',
        'n',
        'y',
        '/root/t/x.nix',
      ])
      expect(out).toMatch(/-y$/)
      expect(await sh(['cat', out])).toMatch(/^hi-from-/)
    },
    3 * HOUR,
  )
})
