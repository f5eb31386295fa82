/**
 * Connection faults against real loopback sshd targets: host key refusals (unknown, changed, trust-on-first-use,
 * hashed entries), refused and silent ports, rejected logins, a connection killed or frozen mid-command, and
 * reconnecting after the target's sshd restarts. Every fault is a HostError of the right kind — nothing hangs.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createServer, type Server, type Socket } from 'node:net'
import { join } from 'node:path'
import { execFileSync, spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HostError } from '../../engine/errors.js'
import { fingerprint } from '../../engine/ssh/knownhosts.js'
import { canRunSshd, ed25519Pair, freePort, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { track } from '../helpers/leftovers.js'
import { connectTo } from './util.js'

const can = canRunSshd()
let fleet: SshdFleet

/** The error a promise rejects with (fails the test if it resolves). */
async function failure(p: Promise<unknown>): Promise<HostError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(HostError)
    return e as HostError
  }
  throw new Error(`expected a HostError, but it worked: ${JSON.stringify(await p)}`)
}

const hostFp = (i: number): string => fingerprint(Buffer.from(fleet.hosts[i].hostKey.split(' ')[1], 'base64'))

describe.skipIf(!can.ok)(`connection faults${can.ok ? '' : ` (skipped: ${can.why})`}`, () => {
  beforeAll(async () => {
    fleet = await startSshd({ count: 2, sudo: 'nopasswd' })
  })
  afterAll(async () => {
    await fleet?.stop()
  })

  describe('host keys', () => {
    it('an unknown host key is refused with its fingerprint and the flag to trust it', async () => {
      const kh = join(fleet.dir, 'empty_known_hosts')
      writeFileSync(kh, '')
      const e = await failure(connectTo(fleet, 0, {}, { knownHostsFile: kh }))
      expect(e.kind).toBe('hostkey')
      expect(e.message).toContain(hostFp(0))
      expect(e.message).toContain('--trust-new-host-keys')
      expect(readFileSync(kh, 'utf8')).toBe('')
    })

    it('trustNewHostKeys adds an unknown key, and later connections match it', async () => {
      const kh = join(fleet.dir, 'tofu_known_hosts')
      writeFileSync(kh, '')
      const c1 = await connectTo(fleet, 0, {}, { knownHostsFile: kh, trustNewHostKeys: true })
      await c1.close()
      expect(readFileSync(kh, 'utf8')).toContain(fleet.hosts[0].hostKey.split(' ')[1])
      const c2 = await connectTo(fleet, 0, {}, { knownHostsFile: kh })
      expect((await c2.run({ argv: ['echo', 'ok'] })).stdout).toBe('ok\n')
      await c2.close()
    })

    it('a changed host key is refused, even with trustNewHostKeys, showing both fingerprints', async () => {
      const kh = join(fleet.dir, 'changed_known_hosts')
      const other = ed25519Pair().public
      writeFileSync(kh, `[127.0.0.1]:${fleet.hosts[0].port} ${other}\n`)
      const e = await failure(connectTo(fleet, 0, {}, { knownHostsFile: kh, trustNewHostKeys: true }))
      expect(e.kind).toBe('hostkey')
      expect(e.message).toMatch(/HOST KEY CHANGED/)
      expect(e.message).toContain(hostFp(0))
      expect(e.message).toContain(fingerprint(Buffer.from(other.split(' ')[1], 'base64')))
      expect(readFileSync(kh, 'utf8')).toBe(`[127.0.0.1]:${fleet.hosts[0].port} ${other}\n`)
    })

    it('another host’s key on this port counts as changed', async () => {
      const kh = join(fleet.dir, 'swapped_known_hosts')
      writeFileSync(kh, `[127.0.0.1]:${fleet.hosts[0].port} ${fleet.hosts[1].hostKey}\n`)
      expect((await failure(connectTo(fleet, 0, {}, { knownHostsFile: kh }))).kind).toBe('hostkey')
    })

    it('hashed known_hosts entries (ssh-keygen -H) are accepted', async () => {
      const kh = join(fleet.dir, 'hashed_known_hosts')
      copyFileSync(fleet.knownHostsFile, kh)
      execFileSync('ssh-keygen', ['-H', '-f', kh], { stdio: 'ignore' })
      expect(readFileSync(kh, 'utf8')).not.toContain('127.0.0.1')
      const c = await connectTo(fleet, 1, {}, { knownHostsFile: kh })
      expect((await c.run({ argv: ['true'] })).rc).toBe(0)
      await c.close()
    })
  })

  describe('a host with an RSA and an ed25519 host key, known only by its RSA key', () => {
    let rsaFleet: SshdFleet
    let rsaPub = ''
    beforeAll(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tsplay-rsa-'))
      track({ dirs: [dir] }) // removed with this process
      execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-f', join(dir, 'host_rsa')])
      rsaPub = readFileSync(join(dir, 'host_rsa.pub'), 'utf8').split(' ').slice(0, 2).join(' ')
      rsaFleet = await startSshd({ count: 1, sshdConfig: [`HostKey ${join(dir, 'host_rsa')}`] })
    })
    afterAll(async () => {
      await rsaFleet?.stop()
    })

    it('is asked for its RSA key (as OpenSSH does), so the key matches instead of looking changed', async () => {
      const kh = join(rsaFleet.dir, 'rsa_known_hosts')
      writeFileSync(kh, `[127.0.0.1]:${rsaFleet.hosts[0].port} ${rsaPub}\n`)
      const c = await connectTo(rsaFleet, 0, {}, { knownHostsFile: kh })
      expect((await c.run({ argv: ['echo', 'rsa'] })).stdout).toBe('rsa\n')
      await c.close()
    })
  })

  describe('reaching the host', () => {
    it('a closed port: unreachable, connection refused', async () => {
      const port = await freePort()
      const e = await failure(connectTo(fleet, 0, { port }))
      expect(e.kind).toBe('unreachable')
      expect(e.message).toMatch(/refused/)
    })

    it('a server that accepts and never speaks: unreachable, timed out', async () => {
      const sockets: Socket[] = []
      const srv: Server = createServer((s) => sockets.push(s))
      await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
      const port = (srv.address() as { port: number }).port
      try {
        const e = await failure(connectTo(fleet, 0, { port, connectTimeout: 1 }))
        expect(e.kind).toBe('unreachable')
        expect(e.message).toMatch(/timed out after 1s/)
      } finally {
        for (const s of sockets) s.destroy()
        srv.close()
      }
    })

    it('a key the host does not accept: auth', async () => {
      const bad = join(fleet.dir, 'wrong_key')
      writeFileSync(bad, ed25519Pair().private, { mode: 0o600 })
      const e = await failure(connectTo(fleet, 0, { privateKeyFile: bad }))
      expect(e.kind).toBe('auth')
      expect(e.message).toMatch(/rejected/)
    })

    it('a key file that is not a key: auth, naming the file', async () => {
      const bad = join(fleet.dir, 'not_a_key')
      writeFileSync(bad, 'hello')
      const e = await failure(connectTo(fleet, 0, { privateKeyFile: bad }))
      expect(e.kind).toBe('auth')
      expect(e.message).toContain(bad)
    })

    it('password login works when no key is given', async () => {
      const c = await connectTo(fleet, 0, { privateKeyFile: undefined, password: fleet.sudoPassword })
      expect((await c.run({ argv: ['id', '-un'] })).stdout).toBe(`${fleet.user}\n`)
      await c.close()
    })

    it('keys from an ssh-agent (SSH_AUTH_SOCK) are used when no key file is given', async () => {
      const sock = join(fleet.dir, 'agent.sock')
      const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' })
      try {
        for (let i = 0; i < 100 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 20))
        execFileSync('ssh-add', [fleet.keyFile], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' })
        const c = await connectTo(fleet, 0, { privateKeyFile: undefined }, { agentSocket: sock })
        expect((await c.run({ argv: ['id', '-un'] })).stdout).toBe(`${fleet.user}\n`)
        await c.close()
      } finally {
        agent.kill()
      }
    })

    it('a wrong password: auth, also when the login outlasts the connect timeout (PAM delays it 2 s)', async () => {
      const e = await failure(connectTo(fleet, 0, { privateKeyFile: undefined, password: 'nope', connectTimeout: 1 }))
      expect(e.kind).toBe('auth')
    })
  })

  describe('losing the connection', () => {
    it('killed mid-command: the pending command and later ones fail as dropped; reconnect() restores it', async () => {
      const c = await connectTo(fleet, 0)
      const p = c.run({ argv: ['sleep', '30'] })
      const q = c.run({ argv: ['echo', 'queued'] })
      await new Promise((r) => setTimeout(r, 200))
      fleet.killConnections(0)
      expect((await failure(p)).kind).toBe('dropped')
      expect((await failure(q)).kind).toBe('dropped')
      expect((await failure(c.run({ argv: ['true'] }))).kind).toBe('dropped')
      await c.reconnect(10)
      expect((await c.run({ argv: ['echo', 'back'] })).stdout).toBe('back\n')
      await c.close()
    })

    it('a link that goes silent is noticed by keepalives: dropped, no hang', async () => {
      const c = await connectTo(fleet, 1, {}, { keepaliveSec: 1 })
      await c.run({ argv: ['true'] })
      fleet.pauseConnections(1, true)
      try {
        expect((await failure(c.run({ argv: ['echo', 'x'] }))).kind).toBe('dropped')
      } finally {
        fleet.pauseConnections(1, false)
        fleet.killConnections(1)
      }
      await c.close()
    })

    it('reconnect() waits for a restarted sshd (back-off), then commands work again', async () => {
      const c = await connectTo(fleet, 0)
      await fleet.stopHost(0)
      const back = c.reconnect(20)
      await new Promise((r) => setTimeout(r, 1500))
      await fleet.startHost(0)
      await back
      expect((await c.run({ argv: ['echo', 'again'] })).stdout).toBe('again\n')
      expect((await c.run({ argv: ['id', '-un'] }, { becomeUser: 'root' })).stdout).toBe('root\n')
      await c.close()
    })

    it('reconnect() gives up after its timeout with unreachable', async () => {
      const c = await connectTo(fleet, 0)
      await fleet.stopHost(0)
      try {
        const e = await failure(c.reconnect(2))
        expect(e.kind).toBe('unreachable')
        expect(e.message).toMatch(/within 2s/)
      } finally {
        await fleet.startHost(0)
        await c.close()
      }
    })
  })
})
