/**
 * The files `authorized_key`, `known_hosts` and the line/block editors write are read and used by the programs they
 * are for: the real CLI runs a playbook against a loopback sshd target (test/helpers/sshd.ts), then OpenSSH itself
 * consumes the result — a second sshd (reading `~/.ssh/authorized_keys`, StrictModes on) lets a fresh key in and
 * refuses it once removed; `ssh -o StrictHostKeyChecking=yes` trusts a host through a written known_hosts line
 * (plain and hashed) and refuses a wrong one; `sshd -t`/`sshd -T` accept an edited sshd_config and apply its edits.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canRunSshd, ed25519Pair, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { runArgs, tsplay, type CliResult } from '../helpers/cli.js'
import { explain } from '../faults/util.js'

const can = canRunSshd()
const d = can.ok ? describe : describe.skip
if (!can.ok) console.warn(`skipping consumer tests: ${can.why}`)

/** `ssh … CMD` to `port` as `user` with `key`, trusting only `knownHosts`: its exit code, stdout and stderr. */
function sshTrue(
  port: number,
  user: string,
  key: string,
  knownHosts: string,
  cmd = 'true',
): { rc: number; out: string; err: string } {
  const r = spawnSync(
    'ssh',
    [
      '-F',
      '/dev/null',
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      `UserKnownHostsFile=${knownHosts}`,
      '-o',
      'GlobalKnownHostsFile=/dev/null',
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      'ConnectTimeout=10',
      '-i',
      key,
      '-p',
      String(port),
      '-l',
      user,
      '127.0.0.1',
      cmd,
    ],
    { encoding: 'utf8', timeout: 30_000 },
  )
  return { rc: r.status ?? -1, out: r.stdout, err: r.stderr }
}

d('programs read what the modules wrote (loopback sshd)', () => {
  let fleet: SshdFleet
  let keyHome: SshdFleet
  let dir: string
  const run = async (book: string): Promise<CliResult> => {
    writeFileSync(join(dir, 'site.yml'), book)
    return tsplay(runArgs(dir, 'site.yml', fleet, ['--json']))
  }
  /** A fresh key pair: its public line, and `ssh` to keyHome's target as its login user with the private key. */
  const newKey = (name: string) => {
    const pair = ed25519Pair(name)
    const priv = join(dir, `${name}_ed25519`)
    writeFileSync(priv, pair.private, { mode: 0o600 })
    const { port } = keyHome.hosts[0]
    return { pub: pair.public, login: (cmd?: string) => sshTrue(port, keyHome.user, priv, keyHome.knownHostsFile, cmd) }
  }
  /** A playbook of one `authorized_key` task, run as root, for keyHome's login user; `more`: its other arguments. */
  const keyBook = (pub: string, more: string) => `
- hosts: all
  gather_facts: false
  become: true
  tasks:
    - authorized_key: { user: ${keyHome.user}, key: "${pub}", ${more} }
`

  beforeAll(async () => {
    fleet = await startSshd({ count: 1, sudo: 'nopasswd' })
    // a second target whose sshd reads the login user's own ~/.ssh/authorized_keys, with StrictModes on
    keyHome = await startSshd({
      count: 1,
      sudo: 'none',
      sshdConfig: ['AuthorizedKeysFile .ssh/authorized_keys', 'StrictModes yes'],
    })
    dir = mkdtempSync(join(tmpdir(), 'tsplay-consumers-'))
    writeFileSync(join(dir, 'inventory.yml'), fleet.inventoryYaml())
  }, 120_000)

  afterAll(async () => {
    await fleet?.stop()
    await keyHome?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('authorized_key: sshd lets the added key in, and refuses it after state=absent', async () => {
    const key = newKey('proof')
    expect(key.login().rc).toBe(255) // not in yet
    const add = await run(keyBook(key.pub, 'state: present'))
    expect(add.code, explain(add)).toBe(0)
    expect(add.recap?.t1.changed).toBe(1)
    const inRun = key.login()
    expect(inRun.rc, inRun.err).toBe(0)
    const remove = await run(keyBook(key.pub, 'state: absent'))
    expect(remove.code, explain(remove)).toBe(0)
    expect(remove.recap?.t1.changed).toBe(1)
    const refused = key.login()
    expect(refused.rc).toBe(255)
    expect(refused.err).toMatch(/Permission denied/)
  })

  it('authorized_key with key_options: sshd applies the options (a forced command) to that key', async () => {
    const key = newKey('proof-forced')
    const r = await run(keyBook(key.pub, `key_options: 'no-pty,command="echo forced-by-sshd"'`))
    expect(r.code, explain(r)).toBe(0)
    const out = key.login('echo asked')
    expect(out.rc, out.err).toBe(0)
    expect(out.out).toBe('forced-by-sshd\n')
    const gone = await run(keyBook(key.pub, 'state: absent'))
    expect(gone.code, explain(gone)).toBe(0)
  })

  it('known_hosts: ssh trusts the host through the written line (plain and hashed), refuses a wrong key', async () => {
    const h = fleet.hosts[0]
    const name = `[127.0.0.1]:${h.port}`
    const file = join(dir, 'known_hosts')
    const book = (key: string, hash: boolean) => `
- hosts: all
  gather_facts: false
  tasks:
    - known_hosts: { name: "${name}", key: "${name} ${key}", path: "${file}", hash_host: ${hash} }
`
    // the login user writes the file: it must be able to create it in this folder
    execFileSync('chown', [fleet.user, dir])
    const login = () => sshTrue(h.port, fleet.user, fleet.keyFile, file)
    expect(login().rc).toBe(255) // no file yet: ssh refuses

    const plain = await run(book(h.hostKey, false))
    expect(plain.code, explain(plain)).toBe(0)
    expect(readFileSync(file, 'utf8')).toContain(name)
    const ok = login()
    expect(ok.rc, ok.err).toBe(0)

    const wrong = ed25519Pair().public
    const bad = await run(book(wrong, false))
    expect(bad.code, explain(bad)).toBe(0)
    expect(bad.recap?.t1.changed).toBe(1)
    const refused = login()
    expect(refused.rc).toBe(255)
    expect(refused.err).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/)

    rmSync(file)
    const hashed = await run(book(h.hostKey, true))
    expect(hashed.code, explain(hashed)).toBe(0)
    expect(readFileSync(file, 'utf8')).toMatch(/^\|1\|/)
    const okHashed = login()
    expect(okHashed.rc, okHashed.err).toBe(0)
  })

  it('line and block editors: sshd -t accepts the edited sshd_config, sshd -T applies the edits', async () => {
    const conf = join(dir, 'sshd_config')
    copyFileSync(join(fleet.dir, 't1', 'sshd_config'), conf)
    execFileSync('chown', [fleet.user, dir, conf])
    const r = await run(`
- hosts: all
  gather_facts: false
  tasks:
    - lineinfile: { path: "${conf}", regexp: '^MaxAuthTries ', line: MaxAuthTries 4 }
    - replace: { path: "${conf}", regexp: '^LogLevel ERROR$', replace: LogLevel VERBOSE }
    - blockinfile:
        path: "${conf}"
        block: |
          Match User proofuser
            PasswordAuthentication no
            X11Forwarding yes
`)
    expect(r.code, explain(r)).toBe(0)
    expect(r.recap?.t1.changed).toBe(3)
    const test = spawnSync('/usr/sbin/sshd', ['-t', '-f', conf], { encoding: 'utf8' })
    expect(test.status, test.stderr).toBe(0)
    const effective = (user: string) =>
      execFileSync('/usr/sbin/sshd', ['-T', '-f', conf, '-C', `user=${user},host=localhost,addr=127.0.0.1`], {
        encoding: 'utf8',
      })
    const proof = effective('proofuser')
    expect(proof).toMatch(/^maxauthtries 4$/m)
    expect(proof).toMatch(/^loglevel VERBOSE$/m)
    expect(proof).toMatch(/^passwordauthentication no$/m)
    expect(proof).toMatch(/^x11forwarding yes$/m)
    const other = effective('someoneelse')
    expect(other).toMatch(/^passwordauthentication yes$/m)
    expect(other).toMatch(/^x11forwarding no$/m)
  })
})
