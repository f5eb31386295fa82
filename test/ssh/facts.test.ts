/**
 * Facts: the pure parser on sample outputs (table), `factsToVars`, and the real script run by a local /bin/sh on
 * this Debian machine, compared with what the machine itself says.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { hostname, userInfo } from 'node:os'
import { describe, expect, it } from 'vitest'
import { BLOCK_SCRIPT } from '../../engine/blockfacts.js'
import { HW_SCRIPT } from '../../engine/hwfacts.js'
import { ansibleFactVars, factsCommand, factsToVars, nixSystem, parseFacts } from '../../engine/facts.js'
import { parsePython, parsePythonVersion, pythonFactVars } from '../../engine/pythonfacts.js'
import { virtualization } from '../../engine/virtfacts.js'
import { removeTempDir, tempDir } from '../helpers/tempdir.js'

const PI_BOOKWORM = `system=Linux
hostname=pi1
kernel=6.1.0-rpi7-rpi-v8
arch=aarch64
fqdn=pi1.lan
nproc=4
user=pi
home=/home/pi
pid1=systemd
systemd_run=1
pkg_mgr=apt
machine_id=0123456789abcdef0123456789abcdef
boot_id=4d2c9f0e-1111-2222-3333-444455556666
debian_version=12.5
memtotal_kb=3884192
@os-release
PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
`

const RASPBIAN_OLD = `hostname=pizero
kernel=5.10.103+
arch=armv6l
fqdn=
nproc=1
user=pi
home=/home/pi
pid1=init
machine_id=
boot_id=b
debian_version=10.13
memtotal_kb=439536
@os-release
PRETTY_NAME="Raspbian GNU/Linux 10 (buster)"
ID=raspbian
ID_LIKE=debian
VERSION_ID="10"
VERSION="10 (buster)"
`

describe('parseFacts', () => {
  it.each([
    ['', 'disabled', { status: 'disabled' }],
    ['1', 'enforcing', { status: 'enabled', mode: 'enforcing' }],
    ['0', 'permissive', { status: 'enabled', mode: 'permissive' }],
  ])('SELinux read %j: %s, ansible_selinux as Ansible names it', (raw, mode, fact) => {
    const f = parseFacts(PI_BOOKWORM.replace('@os-release', `selinux=${raw}\n@os-release`))
    expect(f.selinux).toBe(mode)
    expect(ansibleFactVars(f).ansible_selinux).toEqual(fact)
  })

  it.each([
    ['1', { status: 'enabled', mode: 'enforcing' }, true],
    ['0', { status: 'Missing selinux Python library' }, false],
  ])('libselinux found %j: ansible_selinux %j, ansible_selinux_python_present %j', (lib, fact, present) => {
    const f = parseFacts(PI_BOOKWORM.replace('@os-release', `selinux=1\nselinux_lib=${lib}\n@os-release`))
    expect(ansibleFactVars(f)).toMatchObject({ ansible_selinux: fact, ansible_selinux_python_present: present })
  })

  it('a Pi 4 on bookworm', () => {
    const f = parseFacts(PI_BOOKWORM)
    expect(f).toEqual({
      hostname: 'pi1',
      fqdn: 'pi1.lan',
      architecture: 'aarch64',
      nix_system: 'aarch64-linux',
      kernel: '6.1.0-rpi7-rpi-v8',
      system: 'Linux',
      distribution: { id: 'debian', version: '12.5', major_version: '12', codename: 'bookworm', like: '' },
      init: 'systemd',
      pkg_mgr: 'apt',
      memtotal_mb: 3793,
      processor_count: 4,
      machine_id: '0123456789abcdef0123456789abcdef',
      boot_id: '4d2c9f0e-1111-2222-3333-444455556666',
      user: 'pi',
      home: '/home/pi',
      selinux: 'disabled',
      virtualization: { type: 'NA', role: 'NA', guest: [], host: [] },
    })
  })

  it('an old Raspbian Pi Zero without systemd, codename from VERSION, fqdn falls back to hostname', () => {
    const f = parseFacts(RASPBIAN_OLD)
    expect(f.nix_system).toBe('armv6l-linux')
    expect(f.init).toBe('sysvinit')
    expect(f.fqdn).toBe('pizero')
    expect(f.distribution).toEqual({
      id: 'raspbian',
      version: '10.13',
      major_version: '10',
      codename: 'buster',
      like: 'debian',
    })
    const v = factsToVars(f)
    expect(v.ansible_distribution).toBe('Debian')
    expect(v.ansible_os_family).toBe('Debian')
    expect(v.facts).toBe(f)
    expect(v.ansible_facts).toMatchObject({ distribution: 'Debian', os_family: 'Debian', architecture: 'armv6l' })
    expect(v.ansible_facts).toHaveProperty('pkg_mgr', '')
  })

  it('testing/sid: debian_version is not a number, VERSION_ID is used', () => {
    const f = parseFacts(
      PI_BOOKWORM.replace('debian_version=12.5', 'debian_version=trixie/sid').replace(
        'VERSION_ID="12"',
        'VERSION_ID="13"',
      ),
    )
    expect(f.distribution.version).toBe('13')
  })

  it('empty output gives empty values, not undefined', () => {
    const f = parseFacts('')
    expect(f.architecture).toBe('')
    expect(f.memtotal_mb).toBe(0)
    expect(f.distribution.codename).toBe('')
  })

  it.each([
    ['aarch64', 'aarch64-linux'],
    ['armv7l', 'armv7l-linux'],
    ['armv6l', 'armv6l-linux'],
    ['x86_64', 'x86_64-linux'],
    ['mips', 'mips-linux'],
  ])('nixSystem(%s) = %s', (a, want) => expect(nixSystem(a)).toBe(want))
})

describe('factsToVars', () => {
  it('gives the ansible_* names', () => {
    const f = parseFacts(PI_BOOKWORM)
    expect(factsToVars(f)).toMatchObject({
      facts: f,
      ansible_hostname: 'pi1',
      ansible_fqdn: 'pi1.lan',
      ansible_architecture: 'aarch64',
      ansible_machine: 'aarch64',
      ansible_distribution: 'Debian',
      ansible_distribution_release: 'bookworm',
      ansible_distribution_version: '12.5',
      ansible_distribution_major_version: '12',
      ansible_os_family: 'Debian',
      ansible_kernel: '6.1.0-rpi7-rpi-v8',
      ansible_system: 'Linux',
      ansible_service_mgr: 'systemd',
      ansible_memtotal_mb: 3793,
      ansible_processor_vcpus: 4,
      ansible_processor_nproc: 4,
      ansible_machine_id: '0123456789abcdef0123456789abcdef',
      ansible_user_id: 'pi',
      ansible_user_dir: '/home/pi',
    })
  })
})

describe('the fact script on this machine', () => {
  it('agrees with the machine', () => {
    const cmd = factsCommand()
    const out = execFileSync(cmd.argv[0], cmd.argv.slice(1), { encoding: 'utf8' })
    const f = parseFacts(out)
    const sh = (s: string): string => execFileSync('sh', ['-c', s], { encoding: 'utf8' }).trim()
    expect(f.hostname).toBe(hostname())
    expect(f.architecture).toBe(sh('uname -m'))
    expect(f.kernel).toBe(sh('uname -r'))
    expect(f.system).toBe(sh('uname -s'))
    expect(f.fqdn).not.toBe('')
    expect(f.processor_count).toBe(Number(sh('nproc')))
    expect(f.user).toBe(userInfo().username)
    expect(f.boot_id).toBe(sh('cat /proc/sys/kernel/random/boot_id'))
    expect(f.distribution.id).toBe(sh('. /etc/os-release; echo "$ID"'))
    expect(f.distribution.codename).toBe(sh('. /etc/os-release; echo "$VERSION_CODENAME"'))
    expect(f.memtotal_mb).toBe(Math.floor(Number(sh("awk '/MemTotal/ {print $2}' /proc/meminfo")) / 1024))
    expect(f.pkg_mgr).toBe('apt') // this machine is Debian
  })

  it('reads devices and network beside the rest, each into a file of a temp folder it removes; else in place', () => {
    const cmd = factsCommand()
    const tmp = tempDir('tsplay-facts-tmp-')
    const bin = tempDir('tsplay-facts-bin-')
    const withTemp = join(bin, 'with')
    const without = join(bin, 'without')
    try {
      for (const d of [withTemp, without]) mkdirSync(d)
      // a mktemp that logs each call, then makes the file with the real one; another that fails
      const real = execFileSync('sh', ['-c', 'command -v mktemp'], { encoding: 'utf8' }).trim()
      writeFileSync(join(withTemp, 'mktemp'), `#!/bin/sh\necho called >> ${bin}/log\nexec ${real} "$@"\n`, {
        mode: 0o755,
      })
      writeFileSync(join(without, 'mktemp'), '#!/bin/sh\nexit 1\n', { mode: 0o755 })
      const run = (first: string) => {
        const env = { ...process.env, TMPDIR: tmp, PATH: `${first}:${process.env.PATH ?? '/usr/bin:/bin'}` }
        const r = spawnSync(cmd.argv[0], cmd.argv.slice(1), { encoding: 'utf8', env })
        expect(r.stderr).toBe('')
        return r.stdout
      }
      // the sections in order, and the devices (other tests may attach loop devices meanwhile: those are left out)
      const shape = (out: string) => {
        const lines = out.split('\n')
        return {
          sections: lines.filter((l) => /^@[a-z_0-9-]+$/.test(l)),
          devices: lines
            .slice(lines.indexOf('@blocks') + 1, lines.indexOf('@blockdirs'))
            .filter((l) => !l.startsWith('loop')),
        }
      }
      const background = shape(run(withTemp))
      expect(readFileSync(join(bin, 'log'), 'utf8')).toBe('called\n')
      expect(readdirSync(tmp)).toEqual([])
      const names = [...`${HW_SCRIPT}\n${BLOCK_SCRIPT}`.matchAll(/echo @([a-z]+)/g)].map((m) => `@${m[1]}`)
      expect(background.sections).toEqual(
        expect.arrayContaining(['@mounts', '@blocks', '@lspci', '@fqdn', '@netsys', '@ethtool', '@ipbatch', '@caps']),
      )
      expect(background.devices.length).toBeGreaterThan(0)
      const always = names.filter((n) => !['@sginq', '@lvm', '@vgs', '@lvs', '@pvs', '@dm'].includes(n))
      expect(always.filter((n) => !background.sections.includes(n))).toEqual([])
      expect(background).toEqual(shape(run(without)))
    } finally {
      removeTempDir(tmp)
      removeTempDir(bin)
    }
  })

  it('reports the python3 on PATH as that interpreter describes itself, and nothing on stderr', () => {
    const cmd = factsCommand()
    const r = spawnSync(cmd.argv[0], cmd.argv.slice(1), { encoding: 'utf8' })
    expect(r.stderr).toBe('')
    const py = (code: string): string => execFileSync('python3', ['-c', code], { encoding: 'utf8' }).trim()
    const v = factsToVars(parseFacts(r.stdout))
    expect(v.ansible_python_version).toBe(py('import platform; print(platform.python_version())'))
    const info = JSON.parse(py('import sys, json; print(json.dumps(list(sys.version_info)))')) as unknown[]
    const [major, minor, micro, releaselevel, serial] = info
    expect(v.ansible_python).toEqual({
      executable: py('import sys; print(sys.executable)'),
      has_sslcontext: true,
      type: 'cpython',
      version: { major, minor, micro, releaselevel, serial },
      version_info: info,
    })
    expect(v.ansible_facts).toHaveProperty('python_version', v.ansible_python_version)
    // without python3 on PATH: no python facts, as on a host Ansible could not run on
    const bare = spawnSync('/bin/sh', cmd.argv.slice(1), { encoding: 'utf8', env: { PATH: '/nonexistent' } })
    expect(factsToVars(parseFacts(bare.stdout))).not.toHaveProperty('ansible_python')
  })

  // Debian's python3: its `--version` and its ssl.py answer; the same interpreter under another name (no ssl.py
  // beside it) is asked itself. Both must say what the interpreter says of itself.
  it.runIf(existsSync('/usr/bin/python3') && existsSync('/usr/lib'))(
    "answers from python3's --version when its standard library is where its prefix keeps it, else asks it",
    () => {
      const dir = tempDir('tsplay-facts-python-')
      try {
        symlinkSync('/usr/bin/python3', join(dir, 'python3'))
        const cmd = factsCommand()
        const describeAt = (path: string) => {
          const r = spawnSync(cmd.argv[0], cmd.argv.slice(1), { encoding: 'utf8', env: { PATH: path } })
          expect(r.stderr).toBe('')
          return {
            line: r.stdout.split('\n').find((l) => l.startsWith('python')),
            vars: factsToVars(parseFacts(r.stdout)),
          }
        }
        const own = (exe: string): unknown[] => {
          const code = 'import sys,json;v=sys.version_info;print(json.dumps([sys.executable,*v]))'
          return JSON.parse(execFileSync(exe, ['-c', code], { encoding: 'utf8' })) as unknown[]
        }
        for (const [path, exe, quick] of [
          ['/usr/bin:/bin', '/usr/bin/python3', true],
          [`${dir}:/usr/bin:/bin`, join(dir, 'python3'), false],
        ] as const) {
          const { line, vars } = describeAt(path)
          expect(line?.startsWith('python_version=')).toBe(quick)
          const py = vars.ansible_python as { executable: string; version_info: unknown[] }
          expect([py.executable, ...py.version_info]).toEqual(own(exe))
        }
      } finally {
        removeTempDir(dir)
      }
    },
  )
})

describe('python facts', () => {
  it.each([
    ['/usr/bin/python3\t3\t11\t2\tfinal\t0\tcpython\t1', '3.11.2'],
    ['/usr/bin/python3\t3\t13\t0\tcandidate\t1\tcpython\t0', '3.13.0rc1'],
    ['/usr/bin/python3\t3\t12\t0\tbeta\t2\tcpython\t1', '3.12.0b2'],
  ])('%s gives version %s', (line, version) => {
    expect(pythonFactVars(parsePython(line))).toMatchObject({ ansible_python_version: version })
  })

  it.each([
    ['/usr/bin/python3\t3.11.2', '3.11.2', 'final', 0],
    ['/usr/bin/python3\t3.11.2+', '3.11.2', 'final', 0],
    ['/usr/bin/python3\t3.13.0rc1', '3.13.0rc1', 'candidate', 1],
    ['/usr/local/bin/python3\t3.12.0a7', '3.12.0a7', 'alpha', 7],
  ])('--version %j gives version %s', (line, version, level, serial) => {
    const v = pythonFactVars(parsePythonVersion(line))
    expect(v).toMatchObject({
      ansible_python_version: version,
      ansible_python: { type: 'cpython', has_sslcontext: true },
    })
    expect((v.ansible_python as { version: unknown }).version).toMatchObject({ releaselevel: level, serial })
  })

  it.each([[''], ['/usr/bin/python3'], ['/usr/bin/python3\t3.11'], ['/usr/bin/python3\t3.11.2 (main)'], ['\t3.11.2']])(
    'no facts from --version %j',
    (line) => expect(parsePythonVersion(line)).toBeUndefined(),
  )

  it.each([[''], ['python3: not found'], ['/usr/bin/python3\tx\t11\t2\tfinal\t0\tcpython\t1']])(
    'no facts from %j',
    (line) => expect(pythonFactVars(parsePython(line))).toEqual({}),
  )
})

describe('virtualization facts, as Ansible names them', () => {
  const none = { container: '', product: '', vendor: '', kvm: false }
  it.each([
    [
      { ...none, container: 'docker', kvm: true },
      { type: 'docker', role: 'guest', guest: ['docker', 'container'], host: ['kvm'] },
    ],
    [
      { ...none, container: 'systemd-nspawn' },
      { type: 'container', role: 'guest', guest: ['container'], host: [] },
    ],
    [
      { ...none, product: 'Standard PC (Q35 + ICH9, 2009)', vendor: 'QEMU' },
      { type: 'kvm', role: 'guest', guest: ['kvm'], host: [] },
    ],
    [
      { ...none, product: 'VMware Virtual Platform' },
      { type: 'VMware', role: 'guest', guest: ['VMware'], host: [] },
    ],
    [
      { ...none, kvm: true },
      { type: 'kvm', role: 'host', guest: [], host: ['kvm'] },
    ],
    [
      { ...none, product: 'Raspberry Pi 4 Model B Rev 1.4' },
      { type: 'NA', role: 'NA', guest: [], host: [] },
    ],
  ])('%j', (signs, want) => expect(virtualization(signs)).toEqual(want))

  it('are read from the fact script output', () => {
    const f = parseFacts(`virt_container=lxc\nvirt_product=\nvirt_vendor=\n@os-release\nID=debian\n`)
    expect(f.virtualization).toEqual({ type: 'lxc', role: 'guest', guest: ['lxc', 'container'], host: [] })
  })
})
