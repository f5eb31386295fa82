/**
 * Smoke test of the test fleet itself (test/fleet/*.sh through test/helpers/fleet.ts): real nspawn nodes with
 * systemd, reached over real SSH (openssh-client, BatchMode, strict host keys from the fleet's known_hosts).
 * Skips with the reason when the machine cannot run the fleet (not root, no nspawn/mmdebstrap).
 */
import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { canRunFleet, startFleet, type Fleet, type ExecResult } from '../helpers/fleet.js'

const can = canRunFleet()

/** Run argv locally, never rejecting: the exit code is part of the result. */
function run(argv: string[], stdin = ''): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = execFile(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ rc: err ? (typeof err.code === 'number' ? err.code : 255) : 0, stdout, stderr })
    })
    child.stdin?.on('error', () => {}) // the command may exit before reading its stdin
    child.stdin?.end(stdin)
  })
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, seconds = 90): Promise<T> {
  const end = Date.now() + seconds * 1000
  for (;;) {
    const v = await probe()
    if (v !== undefined) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 300))
  }
}

describe.skipIf(!can.ok)('test fleet (systemd-nspawn Debian nodes)', () => {
  let fleet: Fleet
  const ssh = (node: string, cmd: string, user?: string, stdin?: string): Promise<ExecResult> =>
    run([...fleet.sshArgv(node, user), cmd], stdin)
  const bootId = async (node: string): Promise<string | undefined> => {
    const r = await ssh(node, 'cat /proc/sys/kernel/random/boot_id')
    return r.rc === 0 ? r.stdout.trim() : undefined
  }

  beforeAll(async () => {
    fleet = await startFleet(2)
  }, 300_000)
  afterAll(async () => {
    await fleet?.stop()
  }, 120_000)

  it('boots two nodes in their own slot, reachable over SSH as the plain non-root user', async () => {
    expect(fleet.nodes.map((n) => n.name)).toEqual([`t${fleet.slot}-1`, `t${fleet.slot}-2`])
    for (const node of fleet.nodes) {
      expect(node.address).toBe(`10.213.${fleet.slot}.${10 + Number(node.name.split('-')[1])}`)
      const r = await ssh(node.name, 'id -un; echo "$0"; systemctl is-system-running --wait')
      expect(r.stderr).toBe('')
      const [user, shell, state] = r.stdout.trim().split('\n')
      expect(user).toBe('tsplay')
      expect(shell).toMatch(/bash$/)
      expect(['running', 'degraded']).toContain(state)
    }
  })

  it('gives every node its own hostname, machine-id and boot id', async () => {
    const ids = await Promise.all(
      fleet.nodes.map(async (n) => {
        const r = await ssh(n.name, 'hostname; cat /etc/machine-id /proc/sys/kernel/random/boot_id')
        expect(r.rc).toBe(0)
        return r.stdout.trim().split('\n')
      }),
    )
    expect(ids.map((x) => x[0])).toEqual(fleet.nodes.map((n) => n.name))
    expect(ids[0][1]).toMatch(/^[0-9a-f]{32}$/)
    expect(new Set(ids.map((x) => x[1])).size).toBe(2)
    expect(new Set(ids.map((x) => x[2])).size).toBe(2)
  })

  it('gives tsplay passwordless sudo and tsplay-pw sudo with its password only', async () => {
    const node = fleet.nodes[0].name
    expect((await ssh(node, 'sudo -n id -u')).stdout.trim()).toBe('0')
    const pw = fleet.sudoPasswordUser
    const noPw = await ssh(node, 'sudo -n true', pw.user)
    expect(noPw.rc).not.toBe(0)
    expect(noPw.stderr).toMatch(/password is required/)
    expect((await ssh(node, "sudo -S -p '' id -u", pw.user, `${pw.password}\n`)).stdout.trim()).toBe('0')
    expect((await ssh(node, "sudo -S -p '' id -u", pw.user, 'wrong-password\n')).rc).not.toBe(0)
  })

  it("has per-node host keys: a node presenting another node's key is refused", async () => {
    const [a, b] = fleet.nodes
    const known = readFileSync(fleet.knownHostsFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' '))
    const keyOf = (addr: string): string =>
      known
        .find((l) => l[0] === addr)!
        .slice(1)
        .join(' ')
    expect(keyOf(a.address)).not.toBe(keyOf(b.address))
    const lying = join(fleet.runDir, 'lying_known_hosts')
    writeFileSync(lying, `${b.address} ${keyOf(a.address)}\n`)
    const argv = fleet
      .sshArgv(b.name)
      .map((x) => (x.startsWith('UserKnownHostsFile=') ? `UserKnownHostsFile=${lying}` : x))
    const r = await run([...argv, 'true'])
    expect(r.rc).toBe(255)
    expect(r.stderr).toMatch(/HOST IDENTIFICATION HAS CHANGED/)
  })

  it('reaches the package mirror through the NAT (apt-get update)', async () => {
    const r = await ssh(fleet.nodes[1].name, 'sudo -n apt-get update')
    expect(r.stderr).not.toMatch(/^(E|W):/m)
    expect(r.rc).toBe(0)
  }, 120_000)

  it('runs commands as root in a node without SSH (exec), passing rc, stdout and stdin', async () => {
    const node = fleet.nodes[0].name
    expect(await fleet.exec(node, ['sh', '-c', 'id -un; hostname; exit 7'])).toEqual({
      rc: 7,
      stdout: `root\n${node}\n`,
      stderr: '',
    })
    expect((await fleet.exec(node, ['cat'], 'from stdin')).stdout).toBe('from stdin')
  })

  it('survives a reboot from inside and comes back with a new boot id', async () => {
    const node = fleet.nodes[0].name
    const before = await bootId(node)
    expect(before).toMatch(/^[0-9a-f-]{36}$/)
    await ssh(node, 'sudo -n systemctl reboot')
    const after = await until('a new boot id', async () => {
      const id = await bootId(node)
      return id && id !== before ? id : undefined
    })
    expect(after).not.toBe(before)
  }, 120_000)

  it('takes a node link down (unreachable) and up again (reachable, same node)', async () => {
    const node = fleet.nodes[1].name
    const before = await bootId(node)
    await fleet.linkDown(node)
    const down = await run([
      ...fleet.sshArgv(node).map((x) => (x === 'ConnectTimeout=5' ? 'ConnectTimeout=2' : x)),
      'true',
    ])
    expect(down.rc).toBe(255)
    expect(down.stderr).toMatch(/timed out|unreachable/i)
    await fleet.linkUp(node)
    expect(await until('the node after link up', () => bootId(node), 30)).toBe(before)
  }, 60_000)

  it('resets a node to a fresh disk with the same identity', async () => {
    const node = fleet.nodes[1].name
    expect((await fleet.exec(node, ['touch', '/root/marker'])).rc).toBe(0)
    await fleet.reset(node)
    expect((await fleet.exec(node, ['test', '-e', '/root/marker'])).rc).toBe(1)
    expect((await ssh(node, 'hostname')).stdout.trim()).toBe(node) // strict host key check still passes
  }, 120_000)

  it('writes an Ansible-shaped inventory with groups and vars', () => {
    const inv = parse(fleet.inventoryYaml({ pis: [fleet.nodes[1].name] }, { answer: 42 }))
    expect(inv.all.vars).toEqual({ ansible_user: 'tsplay', ansible_ssh_private_key_file: fleet.keyFile, answer: 42 })
    expect(inv.all.hosts[fleet.nodes[0].name]).toEqual({ ansible_host: fleet.nodes[0].address, ansible_port: 22 })
    expect(Object.keys(inv.all.children.pis.hosts)).toEqual([fleet.nodes[1].name])
    expect(() => fleet.inventoryYaml({ pis: ['nope'] })).toThrow(/no node nope/)
  })

  it('runs a second fleet beside the first on its own slot and tears it down', async () => {
    const other = await startFleet(1, { prefix: `x${fleet.slot}` })
    try {
      expect(other.slot).not.toBe(fleet.slot)
      expect(other.nodes[0].address.startsWith(`10.213.${other.slot}.`)).toBe(true)
      expect((await run([...other.sshArgv(other.nodes[0].name), 'hostname'])).stdout.trim()).toBe(`x${fleet.slot}-1`)
    } finally {
      await other.stop()
    }
    expect((await run(['ip', 'link', 'show', `tsfl${other.slot}`])).rc).not.toBe(0)
    expect(
      (
        await run([
          ...other.sshArgv(other.nodes[0].name).map((x) => (x === 'ConnectTimeout=5' ? 'ConnectTimeout=2' : x)),
          'true',
        ])
      ).rc,
    ).toBe(255)
  }, 180_000)
})

if (!can.ok) {
  describe('test fleet', () => {
    it.skip(`cannot run the test fleet here: ${can.why}`, () => {})
  })
}
