/**
 * What `sysctl`, `hostname`, `debconf`, `apt_repository` and `deb822_repository` write is read by the programs that
 * use it, on a real Debian node of the test fleet (systemd as PID 1, no Python): `sysctl -p` loads the file and
 * `sysctl -n` shows the value; `hostnamectl` and `hostname` show the name; `debconf-show` shows the answer and the
 * password is in debconf's password database (and nowhere in tsplay's output); apt reads both repository files:
 * `apt-get update` against two local `file:` repositories built on the node, after which `apt-cache policy` offers
 * each repository's package. The deb822 one is signed with a throw-away key that `signed_by` names by a URL: the node
 * fetches it from a server the test starts on the fleet's own bridge address, and apt verifies the repository's
 * InRelease with it (without the key, apt refuses the repository). `--check` predicts the first run's counts, the
 * second run changes nothing, and `state: absent` takes it all back.
 *
 * ansible-playbook cannot run against these nodes (they have no Python), so no side-by-side run here; the modules'
 * Ansible behaviour is pinned by their table tests.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canRunFleet, startFleet, type Fleet } from '../helpers/fleet.js'
import { makeKey } from '../helpers/gpgkey.js'
import { startWeb, type Web } from '../helpers/web.js'
import { changedOk, explain, tsplay } from '../hydra/cli.js'

const can = canRunFleet()
const SECRET = 'pw-Zq81-never-shown'
const CONF = '/etc/sysctl.d/90-tsplay-proof.conf'
const LIST = '/etc/apt/sources.list.d/file_srv_repo1.list'
const SOURCES = '/etc/apt/sources.list.d/tsplay-proof.sources'
const KEYFILE = '/etc/apt/keyrings/tsplay-proof.asc'

const book = (state: 'present' | 'absent', keyUrl: string) => `
- hosts: all
  become: true
  gather_facts: false
  tasks:
    - sysctl: { name: net.ipv4.ip_forward, value: "1", sysctl_set: true, sysctl_file: ${CONF}, state: ${state} }
    - debconf: { name: tsplay-proof, question: tsplay-proof/answer, vtype: string, value: forty two }
    - debconf: { name: tsplay-proof, question: tsplay-proof/secret, vtype: password, value: ${SECRET} }
    - apt_repository: { repo: "deb [trusted=yes] file:/srv/repo1 ./", update_cache: false, state: ${state} }
    - deb822_repository:
        name: tsplay proof
        uris: file:/srv/repo2
        suites: ./
        signed_by: ${keyUrl}
        state: ${state}
${state === 'present' ? '    - hostname: { name: tsplay-proof }' : ''}
`

/** A flat repository holding one empty package, built with dpkg-deb alone (in every Debian). */
const REPO = [
  'set -e',
  'for i in 1 2; do',
  '  d=/srv/repo$i; mkdir -p $d/pkg/DEBIAN; cd $d',
  '  printf "Package: tsplay-proof$i\\nVersion: 1.$i\\nArchitecture: all\\nMaintainer: t <t@example.invalid>\\n' +
    'Description: proof\\n" > pkg/DEBIAN/control',
  '  dpkg-deb -b pkg p.deb >/dev/null',
  '  { dpkg-deb -f p.deb; echo "Filename: ./p.deb"; echo "Size: $(stat -c %s p.deb)";',
  '    echo "SHA256: $(sha256sum p.deb | cut -d" " -f1)"; } > Packages',
  'done',
  // repo2 gets a Release file for its InRelease, which the test signs
  'cd /srv/repo2; { echo "Origin: tsplay"; echo "Suite: proof"; echo "Date: $(date -Ru)"; echo "SHA256:"',
  '  echo " $(sha256sum Packages | cut -d" " -f1) $(stat -c %s Packages) Packages"; } > Release',
  // the name resolves, so sudo stays quiet after the rename
  'echo "127.0.1.1 tsplay-proof" >> /etc/hosts',
].join('\n')

/** apt reading only the two files the modules wrote (a parts folder of links to them). */
const APT_ONLY_OURS = [
  'set -e; p=$(mktemp -d); for f in "$@"; do [ ! -e "$f" ] || ln -s "$f" "$p/"; done',
  'o="-o Dir::Etc::sourcelist=/dev/null -o Dir::Etc::sourceparts=$p -o APT::Get::List-Cleanup=0"',
  'apt-get $o update >/dev/null; apt-cache $o policy tsplay-proof1 tsplay-proof2; rm -rf "$p"',
].join('\n')

describe.skipIf(!can.ok)(`programs read what the system modules wrote (${can.ok ? 'fleet' : can.why})`, () => {
  let fleet: Fleet
  let dir: string
  let node: string
  let inv: string
  let web: Web
  const run = (state: 'present' | 'absent', extra: string[] = []) => {
    writeFileSync(join(dir, 'site.yml'), book(state, `${web.base}/key.asc`))
    return tsplay(['run', join(dir, 'site.yml'), '-i', inv, '--known-hosts', fleet.knownHostsFile, '--json', ...extra])
  }
  const onNode = (argv: string[]) => fleet.exec(node, argv)
  const sh = async (script: string, ...args: string[]) => {
    const r = await onNode(['sh', '-c', script, 'sh', ...args])
    expect(r.rc, r.stderr).toBe(0)
    return r.stdout
  }

  beforeAll(async () => {
    fleet = await startFleet(1, { prefix: 'sysm' })
    node = fleet.nodes[0].name
    dir = mkdtempSync(join(tmpdir(), 'tsplay-sysm-'))
    inv = join(dir, 'hosts.yml')
    writeFileSync(inv, fleet.inventoryYaml())
    await sh(REPO)
    const key = makeKey({ clearsign: [await sh('cat /srv/repo2/Release')] })
    await fleet.exec(node, ['sh', '-c', 'cat > /srv/repo2/InRelease'], key.clearsigned[0])
    // served on the fleet's own bridge address, where its nodes reach this machine
    web = await startWeb((_req, res) => res.end(key.armored), undefined, fleet.nodes[0].address.replace(/\d+$/, '1'))
    armored = key.armored
  }, 600_000)
  let armored: string
  afterAll(async () => {
    await web?.close()
    await fleet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('--check predicts the first run; programs read what was written; a second run changes nothing', async () => {
    await sh('sysctl -q -w net.ipv4.ip_forward=0')
    // the control: apt checks the signature, so with another keyring it refuses the repository
    const other = '/usr/share/keyrings/debian-archive-keyring.gpg'
    const fields = 'Types: deb\\nURIs: file:/srv/repo2\\nSuites: ./\\nSigned-By: %s\\n'
    await sh(`mkdir -p /tmp/neg; printf "${fields}" "$1" > /tmp/neg/x.sources`, other)
    const refused = await onNode(['sh', '-c', APT_ONLY_OURS, 'sh', '/tmp/neg/x.sources'])
    expect(refused.rc).not.toBe(0)
    expect(refused.stderr).toMatch(/NO_PUBKEY/)
    const check = await run('present', ['--check'])
    expect(check.rc, explain(check)).toBe(0)
    expect(check.recap[node].changed).toBe(6)
    expect(await sh('sysctl -n net.ipv4.ip_forward')).toBe('0\n') // check mode changed nothing

    const first = await run('present', ['-v', '--diff'])
    expect(first.rc, explain(first)).toBe(0)
    expect(changedOk(first)).toEqual(changedOk(check))
    expect(first.stdout + first.stderr).not.toContain(SECRET)

    // sysctl: the running value, and the file as sysctl itself loads it
    expect(await sh('sysctl -n net.ipv4.ip_forward')).toBe('1\n')
    expect(await sh(`cat ${CONF}`)).toBe('net.ipv4.ip_forward=1\n')
    await sh('sysctl -q -w net.ipv4.ip_forward=0')
    expect(await sh(`sysctl -p ${CONF}`)).toBe('net.ipv4.ip_forward = 1\n')
    expect(await sh('sysctl -n net.ipv4.ip_forward')).toBe('1\n')

    // hostname: systemd's static name, the kernel's running name, the file
    expect(await sh('hostnamectl --static status; hostname; cat /etc/hostname')).toBe(
      'tsplay-proof\ntsplay-proof\ntsplay-proof\n',
    )

    // debconf: the answer as debconf shows it; the password in its password database only
    const shown = await sh('debconf-show tsplay-proof')
    expect(shown).toContain('tsplay-proof/answer: forty two')
    expect(shown).toContain('tsplay-proof/secret: (password omitted)')
    expect(await sh('grep -c -x "Value: $1" /var/cache/debconf/passwords.dat', SECRET)).toBe('1\n')

    // apt: both files parsed, both local repositories fetched, each package offered from its repository
    const policy = await sh(APT_ONLY_OURS, LIST, SOURCES)
    expect(policy).toMatch(
      /tsplay-proof1:\n\s+Installed: \(none\)\n\s+Candidate: 1\.1\n[\s\S]*file:\/srv\/repo1 \.\/ Packages/,
    )
    expect(policy).toMatch(
      /tsplay-proof2:\n\s+Installed: \(none\)\n\s+Candidate: 1\.2\n[\s\S]*file:\/srv\/repo2 \.\/ Packages/,
    )
    expect(await sh(`cat ${SOURCES}`)).toBe(
      `X-Repolib-Name: tsplay proof\nSigned-By: ${KEYFILE}\nSuites: ./\nTypes: deb\nURIs: file:/srv/repo2\n`,
    )
    // the key as fetched, mode 0644, in a folder made 0755 (fetched by the check run and each run)
    expect(await sh(`stat -c '%a %U' /etc/apt/keyrings ${KEYFILE}; cat ${KEYFILE}`)).toBe(
      `755 root\n644 root\n${armored}`,
    )
    expect(web.seen.length).toBe(2)

    const second = await run('present')
    expect(second.rc, explain(second)).toBe(0)
    expect(second.recap[node].changed, second.tasks.map((t) => `${t.task}: ${t.status}`).join('\n')).toBe(0)
  }, 300_000)

  it('state: absent takes the setting and both sources away', async () => {
    const gone = await run('absent')
    expect(gone.rc, explain(gone)).toBe(0)
    expect(gone.recap[node].changed).toBe(3)
    expect(await sh(`cat ${CONF}`)).toBe('')
    expect(await sh('for f in "$@"; do [ ! -e "$f" ] || echo "$f"; done', LIST, SOURCES, KEYFILE)).toBe('')
    const policy = await sh(APT_ONLY_OURS, LIST, SOURCES)
    expect(policy).not.toMatch(/Candidate: 1\./)
    expect((await run('absent')).recap[node].changed).toBe(0)
  }, 300_000)
})
