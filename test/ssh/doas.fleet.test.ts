/**
 * `become_method: doas` on a real Debian node of the test fleet: Debian's doas (OpenDoas) installed on the node, a
 * `nopass` rule in its /etc/doas.conf for the login user (the node is thrown away afterwards), and the real CLI
 * becoming root and another user through it, in the persistent shell and on an exec channel (a file larger than
 * what travels through the shell), by keyword and by `ansible_become_method` (its FQCN). The failures: a user no rule
 * lets it become, and a rule without `nopass` (doas reads a password only from a terminal).
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canRunFleet, startFleet, type Fleet } from '../helpers/fleet.js'
import { explain, tsplay, type CliResult } from '../hydra/cli.js'

const can = canRunFleet()

const PLAYBOOK = `
- hosts: all
  gather_facts: false
  become: true
  become_method: doas
  tasks:
    - command: id -un
      register: root
      changed_when: false
    - command: id -un
      become_user: nobody
      register: nobody
      changed_when: false
    - copy: { src: big.bin, dest: /root/big.bin, mode: "0600" }
    - assert: { that: [root.stdout == "root", nobody.stdout == "nobody"] }
- hosts: all
  gather_facts: false
  vars: { ansible_become: true, ansible_become_method: community.general.doas }
  tasks:
    - command: id -un
      register: who
      changed_when: false
    - assert: { that: [who.stdout == "root"] }
`

describe.skipIf(!can.ok)(`become_method doas (${can.ok ? 'fleet' : can.why})`, () => {
  let fleet: Fleet
  let dir: string
  let node: string
  let inv: string
  const big = Buffer.alloc(5 * 1024 * 1024 + 17, 'doas\n')
  const run = (book: string, ...extra: string[]): Promise<CliResult> =>
    tsplay(['run', join(dir, book), '-i', inv, '--known-hosts', fleet.knownHostsFile, '--json', ...extra])
  const onNode = async (argv: string[]) => (await fleet.exec(node, argv)).stdout.trim()

  beforeAll(async () => {
    fleet = await startFleet(1, { prefix: 'doas' })
    node = fleet.nodes[0].name
    const install = await fleet.exec(node, [
      'sh',
      '-c',
      'apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q doas >/dev/null',
    ])
    expect(install.rc, install.stderr).toBe(0)
    const u = fleet.user
    const rules = `permit nopass ${u} as root\npermit nopass ${u} as nobody\npermit ${u} as bin\n`
    const conf = await fleet.exec(node, ['sh', '-c', 'cat > /etc/doas.conf && chmod 0400 /etc/doas.conf'], rules)
    expect(conf.rc, conf.stderr).toBe(0)
    dir = mkdtempSync(join(tmpdir(), 'tsplay-doas-'))
    inv = join(dir, 'hosts.yml')
    writeFileSync(inv, fleet.inventoryYaml())
    writeFileSync(join(dir, 'site.yml'), PLAYBOOK)
    writeFileSync(join(dir, 'big.bin'), big)
  }, 600_000)
  afterAll(async () => {
    await fleet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('becomes root and another user through doas; a second run changes nothing', async () => {
    const first = await run('site.yml')
    expect(first.rc, explain(first)).toBe(0)
    expect(first.recap[node]).toMatchObject({ changed: 1, failed: 0 })
    const sum = createHash('sha256').update(big).digest('hex')
    expect(await onNode(['sh', '-c', 'sha256sum /root/big.bin | cut -d" " -f1; stat -c %U:%a /root/big.bin'])).toBe(
      `${sum}\nroot:600`,
    )
    // the log says how each command ran: through doas, not sudo
    expect(await onNode(['sh', '-c', 'journalctl -q -t doas --no-pager | grep -c "ran command" || true'])).not.toBe('0')
    const second = await run('site.yml')
    expect(second.rc, explain(second)).toBe(0)
    expect(second.recap[node]).toMatchObject({ changed: 0, failed: 0 })
  }, 300_000)

  it('a user no rule allows, and a rule that wants a password, fail the host with what to change', async () => {
    const book = (user: string) =>
      `- hosts: all\n  gather_facts: false\n  tasks:\n    - command: id -un\n      become: true\n` +
      `      become_method: doas\n      become_user: ${user}\n`
    writeFileSync(join(dir, 'daemon.yml'), book('daemon'))
    const denied = await run('daemon.yml')
    expect(denied.rc).not.toBe(0)
    expect(denied.stdout + denied.stderr).toMatch(/cannot become daemon: \/etc\/doas\.conf has no rule/)
    writeFileSync(join(dir, 'bin.yml'), book('bin'))
    const pass = await run('bin.yml', '-e', 'ansible_become_password=not-used-here')
    expect(pass.rc).not.toBe(0)
    const out = pass.stdout + pass.stderr
    expect(out).toMatch(/cannot become bin: doas wants a password; give the login user a nopass rule/)
    expect(out).toMatch(/the become password is not used/)
    expect(out).not.toContain('not-used-here')
  }, 300_000)
})
