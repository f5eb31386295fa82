/**
 * known_hosts parsing and checking, against files and fingerprints produced by OpenSSH's own ssh-keygen
 * (hashed entries made by `ssh-keygen -H`, fingerprints compared with `ssh-keygen -l`).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { addHostKey, checkHostKey, fingerprint, knownKeyTypes, parseKnownHosts } from '../../engine/ssh/knownhosts.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-kh-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A fresh key pair made by ssh-keygen: its public line and raw blob. */
function keygen(name: string, type = 'ed25519'): { line: string; blob: Buffer; fp: string } {
  const f = join(dir, name)
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', f])
  const line = readFileSync(`${f}.pub`, 'utf8').trim()
  const fp = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${f}.pub`], { encoding: 'utf8' }).split(' ')[1]
  return { line, blob: Buffer.from(line.split(' ')[1], 'base64'), fp }
}

const a = keygen('a')
const b = keygen('b')
const r = keygen('r', 'rsa')
const pub = (k: { line: string }): string => k.line.split(' ').slice(0, 2).join(' ')

function file(name: string, text: string): string {
  const f = join(dir, name)
  writeFileSync(f, text)
  return f
}

describe('fingerprint', () => {
  it('matches ssh-keygen -l', () => {
    expect(fingerprint(a.blob)).toBe(a.fp)
    expect(fingerprint(r.blob)).toBe(r.fp)
  })
})

describe('checkHostKey', () => {
  const plain = file(
    'plain',
    [
      '# a comment',
      '',
      `pi1,pi1.lan,10.0.0.5 ${pub(a)} comment here`,
      `[127.0.0.1]:2222 ${pub(b)}`,
      `*.farm,!bad.farm ${pub(r)}`,
      `@cert-authority *.lan ${pub(b)}`,
      'garbage-line',
    ].join('\n'),
  )

  it.each([
    ['pi1', 22, a, 'match'],
    ['pi1.lan', 22, a, 'match'],
    ['PI1.LAN', 22, a, 'match'],
    ['10.0.0.5', 22, a, 'match'],
    ['pi1', 2200, a, 'unknown'], // another port is another host
    ['127.0.0.1', 2222, b, 'match'],
    ['127.0.0.1', 22, b, 'unknown'],
    ['x.farm', 22, r, 'match'],
    ['bad.farm', 22, r, 'unknown'], // negated
    ['pi2.lan', 22, b, 'unknown'], // @cert-authority is not a host key
    ['pi1', 22, b, 'changed'],
    ['127.0.0.1', 2222, a, 'changed'],
  ] as const)('%s:%d → %s', (host, port, key, want) => {
    expect(checkHostKey(plain, host, port, key.blob).status).toBe(want)
  })

  it('a changed key reports the new and the expected fingerprints', () => {
    const res = checkHostKey(plain, 'pi1', 22, b.blob)
    expect(res).toMatchObject({ status: 'changed', fingerprint: b.fp, keyType: 'ssh-ed25519' })
    if (res.status === 'changed') expect(res.expectedFingerprints.join()).toContain(a.fp)
  })

  it('accepts hashed entries written by ssh-keygen -H', () => {
    const f = file('hashed', `pi1 ${pub(a)}\n[127.0.0.1]:2222 ${pub(b)}\n`)
    execFileSync('ssh-keygen', ['-H', '-f', f], { stdio: 'ignore' })
    const text = readFileSync(f, 'utf8')
    expect(text).not.toContain('pi1')
    expect(parseKnownHosts(text).every((e) => e.hashed)).toBe(true)
    expect(checkHostKey(f, 'pi1', 22, a.blob).status).toBe('match')
    expect(checkHostKey(f, '127.0.0.1', 2222, b.blob).status).toBe('match')
    expect(checkHostKey(f, 'pi1', 22, b.blob).status).toBe('changed')
    expect(checkHostKey(f, 'pi2', 22, a.blob).status).toBe('unknown')
  })

  it('refuses revoked keys whatever host they are presented for', () => {
    const f = file('revoked', `pi1 ${pub(a)}\n@revoked * ${pub(a)}\n`)
    expect(checkHostKey(f, 'pi1', 22, a.blob).status).toBe('revoked')
  })

  it('reads the file again on every check: an edit between two checks counts', () => {
    const f = file('edited', `pi1 ${pub(a)}\n`)
    expect(checkHostKey(f, 'pi1', 22, a.blob).status).toBe('match')
    writeFileSync(f, `pi1 ${pub(b)}\n`)
    expect(checkHostKey(f, 'pi1', 22, a.blob).status).toBe('changed')
    expect(checkHostKey(f, 'pi1', 22, b.blob).status).toBe('match')
    rmSync(f)
    expect(checkHostKey(f, 'pi1', 22, b.blob).status).toBe('unknown')
  })

  it('sees an edit that keeps the size and puts the modification time back (the change time moves)', () => {
    const f = file('same-stamp', `pi1 ${pub(a)}\n`)
    const before = statSync(f)
    expect(checkHostKey(f, 'pi1', 22, a.blob).status).toBe('match')
    writeFileSync(f, `pi1 ${pub(b)}\n`)
    utimesSync(f, before.atime, before.mtime)
    expect(statSync(f).size).toBe(before.size)
    expect(checkHostKey(f, 'pi1', 22, b.blob).status).toBe('match')
  })

  it('names the matching lines in file order, plain names and patterns mixed, names without case', () => {
    const f = file('mixed', `*.lan ${pub(r)}\nPI1.lan ${pub(b)}\npi1.* ${pub(a)}\nother ${pub(a)}\n`)
    expect(knownKeyTypes(f, 'pi1.LAN', 22)).toEqual(['ssh-rsa', 'ssh-ed25519'])
    const res = checkHostKey(f, 'pi1.lan', 22, keygen('c').blob)
    expect(
      res.status === 'changed' && res.expectedFingerprints.map((x) => x.replace(/.*\(line (\d+)\)/, '$1')),
    ).toEqual(['1', '2', '3'])
  })

  it('treats a missing file as unknown', () => {
    expect(checkHostKey(join(dir, 'nope'), 'pi1', 22, a.blob)).toEqual({
      status: 'unknown',
      fingerprint: a.fp,
      keyType: 'ssh-ed25519',
    })
  })
})

describe('addHostKey', () => {
  it('creates a 0600 file that OpenSSH and checkHostKey both accept', () => {
    const f = join(dir, 'sub', 'known_hosts')
    addHostKey(f, '127.0.0.1', 2222, a.blob)
    addHostKey(f, 'pi9', 22, r.blob)
    expect(statSync(f).mode & 0o777).toBe(0o600)
    expect(checkHostKey(f, '127.0.0.1', 2222, a.blob).status).toBe('match')
    expect(checkHostKey(f, 'pi9', 22, r.blob).status).toBe('match')
    const found = execFileSync('ssh-keygen', ['-F', '[127.0.0.1]:2222', '-f', f], { encoding: 'utf8' })
    expect(found).toContain(a.line.split(' ')[1])
  })
})
