/**
 * The fact script's program calls, run by a local /bin/sh on this Debian machine: one `date`, one `ip`, one Perl
 * for the loads (none where the subset has no loads), the user's passwd entry by ID from /etc/passwd, the
 * environment from the shell's `export -p`, the userspace's bits and the CPUs from the shell's own memory map and
 * status, and `lspci` only where a block device sits on PCI; where a program lacks the one-call form (busybox's
 * `date` and `ip`, no Perl) or a file cannot answer (passwd names another service first, no memory map), the older
 * calls give the same facts. Program calls are seen through wrappers first on the PATH that log their arguments
 * and run the real program.
 *
 * @example
 * ```sh
 * npx vitest run test/engine/factscript.test.ts
 * ```
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { factsCommand, factsToVars, parseFacts } from '../../engine/facts.js'
import { collectorsFor } from '../../engine/factsubset.js'
import { HW_SCRIPT, hardwareFacts } from '../../engine/hwfacts.js'
import { sections } from '../../engine/morefacts.js'
import { ipTexts, networkFacts } from '../../engine/netfacts.js'
import { removeTempDir, tempDir } from '../helpers/tempdir.js'

const PROGRAMS = ['date', 'ip', 'getconf', 'id', 'nproc', 'lspci', 'getent', 'perl', 'find', 'mktemp', 'env', 'timeout']
const real = (p: string) => execFileSync('sh', ['-c', `command -v ${p} || true`], { encoding: 'utf8' }).trim()

let dir = ''
const log = () => join(dir, 'log')

/** A folder of wrappers: each logs `name args` and runs the real program, unless `fake` says otherwise. */
function wrappers(name: string, fake: Record<string, string> = {}): string {
  const d = join(dir, name)
  execFileSync('mkdir', [d])
  for (const p of PROGRAMS) {
    const body = fake[p] ?? (real(p) ? `exec ${real(p)} "$@"` : 'exit 127')
    writeFileSync(join(d, p), `#!/bin/sh\necho "${p} $*" >> ${log()}\n${body}\n`, { mode: 0o755 })
  }
  return d
}

/**
 * Run the fact script with `bin` first on the PATH: its output and the programs it called. `files`: paths the
 * script reads, each replaced by another (a file of the test's own).
 */
function gather(
  bin: string,
  skip: string[] = [],
  files: Record<string, string> = {},
): { out: string; calls: string[] } {
  writeFileSync(log(), '')
  const cmd = factsCommand(undefined, skip)
  let script = cmd.argv[2]
  for (const [path, other] of Object.entries(files)) script = script.replaceAll(path, other)
  const env = { PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`, HOME: dir, TMPDIR: join(dir, 'tmp') }
  const r = spawnSync(cmd.argv[0], [cmd.argv[1], script, ...cmd.argv.slice(3)], { encoding: 'utf8', env })
  expect(r.stderr).toBe('')
  expect(readdirSync(join(dir, 'tmp'))).toEqual([])
  return { out: r.stdout, calls: readFileSync(log(), 'utf8').split('\n').filter(Boolean) }
}

/** The facts that do not change from moment to moment, flattened to `path → JSON`. */
function steady(out: string): Map<string, string> {
  const flat = new Map<string, string>()
  const walk = (v: unknown, p: string) => {
    if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${p}.${k}`)
    else if (!/date_time\.(?!tz)|mem|swap|uptime|loadavg|mounts/.test(p)) flat.set(p, JSON.stringify(v))
  }
  walk(factsToVars(parseFacts(out)), '')
  return flat
}

const named = (calls: string[], p: string) => calls.filter((c) => c.startsWith(`${p} `))

describe('the fact script on this machine', () => {
  beforeAll(() => {
    dir = tempDir('tsplay-factscript-')
    execFileSync('mkdir', [join(dir, 'tmp')])
  })
  afterAll(() => removeTempDir(dir))

  it('asks date, ip and Perl once each; nproc, id, getconf, getent, env never; lspci where a disk is on PCI', () => {
    // the name service as on Debian (files first), whatever this machine's says
    writeFileSync(join(dir, 'ns-debian'), 'passwd: files systemd\nhosts: files dns\n')
    const { out, calls } = gather(wrappers('plain'), [], { '/etc/nsswitch.conf': join(dir, 'ns-debian') })
    expect(named(calls, 'date')).toEqual([expect.stringMatching(/^date -f - /)])
    expect(named(calls, 'ip')).toEqual(['ip -o -force -batch -'])
    expect(named(calls, 'perl')).toHaveLength(1)
    const never = ['nproc', 'id', 'getconf', 'getent', 'env']
    expect(never.flatMap((p) => named(calls, p))).toEqual([])
    expect(named(calls, 'mktemp')).toEqual(['mktemp -d'])
    const v = factsToVars(parseFacts(out))
    const sh = (s: string) => execFileSync('sh', ['-c', s], { encoding: 'utf8' }).trim()
    expect(v.ansible_processor_nproc).toBe(Number(sh('nproc')))
    expect(v.ansible_userspace_bits).toBe(sh('getconf LONG_BIT'))
    expect(v.ansible_user_id).toBe(sh('id -un'))
    expect(v.ansible_user_shell).toBe(sh('getent passwd "$(id -un)"').split(':')[6])
    expect(v.ansible_user_dir).toBe(sh('getent passwd "$(id -un)"').split(':')[5])
    // the environment the script ran with (the shell adds PWD, as it passes it to a child such as env)
    expect(v.ansible_env).toEqual({
      PATH: expect.stringContaining('/usr/bin'),
      HOME: dir,
      TMPDIR: join(dir, 'tmp'),
      PWD: process.cwd(),
    })
    const onPci = readdirSync('/sys/block').some((b) =>
      /\/[0-9a-f]{4}:[0-9a-f]{2}:[01][0-9a-f]\.[0-7]\//.test(readlinkSync(`/sys/block/${b}`)),
    )
    expect(named(calls, 'lspci')).toHaveLength(onPci ? 1 : 0)
  })

  it('reads no PCI names for a Pi whose only disk is its SD card', () => {
    // find answers for /sys/block as a Pi 4's would; the rest as the real find
    const pi = 'mmcblk0\t../devices/platform/emmc2bus/fe340000.mmc/mmc_host/mmc0/mmc0:0001/block/mmcblk0'
    const blocks = `if [ "$1 $2" = "/sys/block -mindepth" ]; then printf '${pi}\\n'; exit 0; fi`
    const find = `${blocks}\nexec ${real('find')} "$@"`
    const { out, calls } = gather(wrappers('pi', { find }))
    expect(named(calls, 'lspci')).toEqual([])
    expect(factsToVars(parseFacts(out)).ansible_devices).toHaveProperty('mmcblk0')
  })

  it('reads neither devices nor interfaces, and needs no temp folder, where the subset leaves them out', () => {
    const all = gather(wrappers('every'))
    expect(named(all.calls, 'find').length).toBeGreaterThan(0)
    expect(named(all.calls, 'ip')).toHaveLength(1)
    const min = gather(wrappers('min'), ['hw', 'net', 'caps', 'chroot', 'loadavg'])
    expect(['find', 'lspci', 'ip', 'mktemp', 'perl', 'getent', 'env'].flatMap((p) => named(min.calls, p))).toEqual([])
    const subset = collectorsFor('min')
    if ('error' in subset) throw new Error(subset.error)
    const facts = factsToVars({ ...parseFacts(min.out), subset })
    expect(facts).not.toHaveProperty('ansible_devices')
    expect(facts).not.toHaveProperty('ansible_interfaces')
    // what min gives is what a full gathering gives of it
    const full = factsToVars({ ...parseFacts(all.out), subset })
    const same = (v: Record<string, unknown>) => Object.keys(v).filter((k) => !/date_time|env|fqdn/.test(k))
    expect(same(facts).sort()).toEqual(same(full).sort())
    for (const k of ['ansible_distribution', 'ansible_user_id', 'ansible_python', 'ansible_apparmor'])
      expect(facts[k]).toEqual(full[k])
  })

  it('asks hostname -f without timeout only where /etc/hosts answers the lookup first; the fqdn is the same', () => {
    const name = readFileSync('/proc/sys/kernel/hostname', 'utf8').trim()
    const files = (ns: string, hosts: string) => {
      writeFileSync(join(dir, 'ns-hosts'), ns)
      writeFileSync(join(dir, 'hosts'), hosts)
      return { '/etc/nsswitch.conf': join(dir, 'ns-hosts'), '/etc/hosts': join(dir, 'hosts') }
    }
    const fqdn = (out: string) => parseFacts(out).fqdn
    const own = `# the host\n127.0.0.1\tlocalhost\n127.0.1.1 ${name}.example ${name} # here\n`
    const answered = gather(wrappers('fq-files'), ['hw', 'net'], files('passwd: files\nhosts: files dns\n', own))
    expect(named(answered.calls, 'timeout')).toEqual([])
    const cases: [string, string][] = [
      ['passwd: files\nhosts: dns files\n', own], // DNS first: it may wait
      ['passwd: files\nhosts: files dns\n', '127.0.0.1 localhost\n'], // the name not in the file
      ['passwd: files\nhosts: files dns\n', `# 127.0.1.1 ${name}\n127.0.0.1 localhost ${name}x\n`],
    ]
    for (const [i, [ns, hosts]] of cases.entries()) {
      const bounded = gather(wrappers(`fq-${i}`), ['hw', 'net'], files(ns, hosts))
      expect(named(bounded.calls, 'timeout')).toEqual(['timeout 2 hostname -f'])
      expect(fqdn(bounded.out)).toBe(fqdn(answered.out))
    }
  })

  it('where date, ip, Perl, getent and the files lack those forms, the older calls give the same facts', () => {
    const plain = gather(wrappers('again'))
    // passwd looked up through another service first: getent, which here knows no one by ID (so `id -un`)
    writeFileSync(join(dir, 'nsswitch.conf'), '# test\npasswd: compat\n')
    const old = gather(
      wrappers('old', {
        date: `case "$1" in -f) exit 1 ;; esac\nexec ${real('date')} "$@"`,
        ip: `case "$*" in *-batch*) echo "ip: invalid option" >&2; exit 1 ;; esac\nexec ${real('ip')} "$@"`,
        perl: 'exit 127',
        getent: `case "$2" in *[!0-9]*) exec ${real('getent')} "$@" ;; esac\nexit 2`,
      }),
      [],
      { '/etc/nsswitch.conf': join(dir, 'nsswitch.conf'), '/proc/$$/maps': join(dir, 'no-maps') },
    )
    expect(named(old.calls, 'date')).toHaveLength(4)
    expect(named(old.calls, 'ip').length).toBe(5)
    expect(named(old.calls, 'getconf')).toContain('getconf LONG_BIT')
    expect(named(old.calls, 'getent')).toEqual([expect.stringMatching(/^getent passwd \d+$/), expect.any(String)])
    expect(named(old.calls, 'id')).toEqual(['id -un'])
    const [a, b] = [steady(plain.out), steady(old.out)] // the wrappers' folder on the PATH is the one difference
    const differ = [...a.keys()].filter((k) => a.get(k) !== b.get(k) && !/env\.PATH$/.test(k))
    expect(differ).toEqual([])
    expect(b.size).toBe(a.size)
  })
})

describe("the script's lines of a file", () => {
  it("keep the file's backslashes (/proc/mounts' \\040 for a space); the mount's sizes are found", () => {
    const d = tempDir('tsplay-factscript-mounts-')
    try {
      const mounts = join(d, 'mounts')
      execFileSync('mkdir', [join(d, 'my disk')])
      const line = `/dev/sdb1 ${d}/my\\040disk ext4 rw,relatime 0 0`
      writeFileSync(mounts, `${line}\n`)
      const script = HW_SCRIPT.replaceAll('/proc/mounts', mounts)
      const out = execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' })
      expect(out).toContain(`\n${line}\n`)
      const parts = sections(out)
      const [m] = hardwareFacts((k) => parts.get(k) ?? []).ansible_mounts as Record<string, unknown>[]
      expect(m).toMatchObject({ mount: `${d}/my disk`, device: '/dev/sdb1', fstype: 'ext4' })
      expect(m.size_total).toBeGreaterThan(0)
    } finally {
      removeTempDir(d)
    }
  })
})

describe('ipTexts', () => {
  const link = '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP\\    link/ether b8:27:eb:01:02:03'
  const addr = '2: eth0    inet 192.168.1.20/24 brd 192.168.1.255 scope global eth0\\       valid_lft forever'
  const r4 = '8.8.8.8 via 192.168.1.1 dev eth0 src 192.168.1.20 uid 1000 \\    cache'
  const r6 = '2404:6800:400a:806::200e from :: via fe80::1 dev eth0 src fd00::2 metric 1024 pref medium'
  const sections = (s: Record<string, string[]>) => (k: string) => s[k] ?? []

  it("tells ip -batch's lines apart as the four separate calls print them", () => {
    const batch = ipTexts(sections({ ipbatch: [link, addr, r4, r6] }))
    expect(batch).toEqual([link, addr, r4, r6])
    const apart = ipTexts(sections({ link: [link], addr: [addr], route4: [r4], route6: [r6] }))
    expect(networkFacts(...batch)).toEqual(networkFacts(...apart))
    expect(networkFacts(...batch).ansible_default_ipv4).toMatchObject({ interface: 'eth0', gateway: '192.168.1.1' })
  })

  it('a route it could not find is no line', () => {
    expect(ipTexts(sections({ ipbatch: [link, addr] }))).toEqual([link, addr, '', ''])
  })
})

describe('parseFacts: the fqdn', () => {
  const head = 'system=Linux\nhostname=pi1\nkernel=6.1\narch=aarch64\n@more\n'
  it.each([
    ['@fqdn\npi1.lan\n@netsys\n', 'pi1.lan'],
    ['@fqdn\n@netsys\n', 'pi1'], // hostname -f found none: the host name, as Ansible's
    ['@netsys\n', 'pi1'],
  ])('from the second part (%j): %s', (more, fqdn) => {
    expect(parseFacts(`${head}${more}@os-release\nID=debian\n`).fqdn).toBe(fqdn)
  })
})
