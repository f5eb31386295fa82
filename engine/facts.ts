/**
 * Host facts in one round trip: one constant sh script (mostly shell builtins: a handful of forks) prints
 * `key=value` lines and `/etc/os-release`; `parseFacts` (pure) turns that into `HostFacts`, `factsToVars` into
 * the `facts.*` and common `ansible_*` variables.
 *
 * @example
 * ```yaml
 * - name: only on 64-bit Pis
 *   debug: { msg: "{{ facts.nix_system }} on {{ ansible_distribution }} {{ ansible_distribution_release }}" }
 *   when: ansible_architecture == "aarch64"
 * ```
 */
import { sh } from './commands.js'
import { DEFAULT_FACT_PATH, LOCAL_FACTS_SCRIPT, parseLocalFacts } from './localfacts.js'
import { ALL_FACTS, keepBySubset, skippedParts } from './factsubset.js'
import type { Command, CommandResult, FactSubset, HostFacts, Vars } from './types.js'
import { parsePython, parsePythonVersion, PYTHON_SCRIPT, pythonFactVars } from './pythonfacts.js'
import { VIRT_SCRIPT, virtualization } from './virtfacts.js'
import { NSS_FIRST, PASSWD_BY_ID } from './otherfacts.js'
import { BACKGROUND_START, MORE_FACTS_SCRIPT, moreFacts } from './morefacts.js'

/** Package managers as `program:name`, in the order they are looked for (Debian's first). */
const PKG_MGRS = 'apt-get:apt dnf:dnf yum:yum apk:apk pacman:pacman zypper:zypper'

/**
 * Shell that prints `prefix` and the first package manager found on the PATH: read-only, used by the fact script
 * and by the `package` module's probe.
 */
export function pkgMgrProbe(prefix: string): string {
  const found = `if command -v "\${x%%:*}" >/dev/null 2>&1; then echo "${prefix}\${x#*:}"; break; fi`
  return `for x in ${PKG_MGRS}; do ${found}; done`
}

/**
 * The constant fact script (`$1`: the fact path). Each value on its own `key=value` line; os-release after a
 * `@os-release` line, then the local facts after `@local` (engine/localfacts.ts).
 */
const FACTS_SCRIPT = [
  'fp=${1-}; sk=${2-}',
  // whether a part of the script runs: not when the subset leaves it out (`$2`, engine/factsubset.ts)
  '_tsp_on() { case " $sk " in *" $1 "*) return 1 ;; esac; }',
  NSS_FIRST,
  BACKGROUND_START,
  'set -- $(uname -s -n -r -m)',
  'echo "system=$1"; echo "hostname=$2"; echo "kernel=$3"; echo "arch=$4"',
  // the shell's own status, read once: its real and effective user and group IDs (the second part's @status), and
  // the CPUs it may run on (what nproc counts), no program
  'eu=; ui=; gi=; cl=; while read -r k a b _; do case $k in Uid:) eu=$b; ui="$a $b" ;; Gid:) gi="$a $b" ;;',
  '  Cpus_allowed_list:) cl=$a ;; esac; done < /proc/$$/status',
  'n=0; l=$cl,; while [ -n "$cl" ] && [ -n "$l" ]; do r=${l%%,*}; l=${l#*,}',
  // (a range that is not digits is left out: dash would end the whole script on a bad $((…)))
  '  case $r in *[!0-9-]*) ;; *-*) n=$((n + ${r#*-} - ${r%-*} + 1)) ;; ?*) n=$((n + 1)) ;; esac; done',
  'if [ "$n" -gt 0 ]; then echo "nproc=$n"; else echo "nproc=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)"; fi',
  // the user's passwd entry by that ID (as `id -un` finds the name), kept for the second part
  PASSWD_BY_ID,
  'case $pw in ?*:*) u=${pw%%:*} ;; *) pw=; u=$(id -un) ;; esac; echo "user=$u"',
  'echo "home=$HOME"',
  'x=; read -r x 2>/dev/null < /proc/1/comm; printf "pid1=%s\\n" "$x"',
  'if [ -d /run/systemd/system ]; then echo systemd_run=1; fi',
  pkgMgrProbe('pkg_mgr='),
  'x=; read -r x 2>/dev/null < /etc/machine-id; printf "machine_id=%s\\n" "$x"',
  'x=; read -r x 2>/dev/null < /proc/sys/kernel/random/boot_id; printf "boot_id=%s\\n" "$x"',
  'x=; read -r x 2>/dev/null < /etc/debian_version; printf "debian_version=%s\\n" "$x"',
  'x=; read -r x 2>/dev/null < /sys/fs/selinux/enforce; printf "selinux=%s\\n" "$x"',
  // libselinux, which Ansible's SELinux facts load (ctypes' libselinux.so.1): where the dynamic loader finds it
  'x=0; for f in /lib/libselinux.so.1 /usr/lib/libselinux.so.1 /lib64/libselinux.so.1 /usr/lib64/libselinux.so.1 \\',
  '  /lib/*-linux-*/libselinux.so.1 /usr/lib/*-linux-*/libselinux.so.1; do if [ -e "$f" ]; then x=1; break; fi; done',
  'echo "selinux_lib=$x"',
  VIRT_SCRIPT,
  PYTHON_SCRIPT,
  'while read -r k v _; do if [ "$k" = MemTotal: ]; then echo "memtotal_kb=$v"; break; fi; done < /proc/meminfo',
  'echo @more',
  MORE_FACTS_SCRIPT,
  'echo @os-release',
  // read by the shell (printf, not echo: dash's echo would take the file's backslashes as escapes)
  'for f in /etc/os-release /usr/lib/os-release; do if [ -r "$f" ]; then',
  '  while IFS= read -r l || [ -n "$l" ]; do printf "%s\\n" "$l"; done < "$f"; break; fi; done',
  LOCAL_FACTS_SCRIPT,
  ':',
].join('\n')

/**
 * The one command that gathers facts (read-only, but for the executable local facts it runs, as Ansible's);
 * `skip`: the script's parts a `gather_subset` leaves out (engine/factsubset.ts `skippedParts`).
 */
export function factsCommand(factPath: string = DEFAULT_FACT_PATH, skip: readonly string[] = []): Command {
  return sh(FACTS_SCRIPT, [factPath, skip.join(' ')], { describe: 'gather facts' })
}

/** Nix system name for a `uname -m` architecture. */
export function nixSystem(arch: string): string {
  const map: Record<string, string> = {
    aarch64: 'aarch64-linux',
    arm64: 'aarch64-linux',
    armv7l: 'armv7l-linux',
    armv6l: 'armv6l-linux',
    x86_64: 'x86_64-linux',
    amd64: 'x86_64-linux',
    i686: 'i686-linux',
    i386: 'i686-linux',
    riscv64: 'riscv64-linux',
  }
  return map[arch] ?? `${arch}-linux`
}

/** Parse one os-release value: `"quoted \"text\""`, `'single'` or bare. */
function osReleaseValue(raw: string): string {
  const v = raw.trim()
  if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) return v.slice(1, -1).replace(/\\([\\"$`])/g, '$1')
  if (v.startsWith("'") && v.endsWith("'") && v.length >= 2) return v.slice(1, -1)
  return v
}

/** Parse the fact script's output. Missing values become empty strings / 0, never undefined. */
export function parseFacts(stdout: string): HostFacts {
  const [top, rest = ''] = stdout.split(/^@os-release$/m)
  const [head, moreText] = top.split(/^@more$/m)
  const [osText, localText] = rest.split(/^@local$/m)
  const kv = new Map<string, string>()
  for (const line of head.split('\n')) {
    const i = line.indexOf('=')
    if (i > 0) kv.set(line.slice(0, i), line.slice(i + 1))
  }
  const os = new Map<string, string>()
  for (const line of osText.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim())
    if (m) os.set(m[1], osReleaseValue(m[2]))
  }
  const get = (k: string): string => kv.get(k)?.trim() ?? ''
  const arch = get('arch')
  const pid1 = get('pid1')
  const versionId = os.get('VERSION_ID') ?? ''
  const debVersion = get('debian_version')
  const version =
    /^\d+(\.\d+)*$/.test(debVersion) && (versionId === '' || debVersion.split('.')[0] === versionId)
      ? debVersion
      : versionId
  const hostname = get('hostname')
  // `hostname -f`, in the second part (it runs in the background there); else the host name, as Ansible's
  const fqdn = get('fqdn') || (/^@fqdn\n([^@\n].*)$/m.exec(moreText ?? '')?.[1].trim() ?? '') || hostname
  const python = parsePython(kv.get('python')) ?? parsePythonVersion(kv.get('python_version'))
  return {
    hostname,
    fqdn,
    architecture: arch,
    nix_system: nixSystem(arch),
    kernel: get('kernel'),
    system: get('system') || undefined,
    distribution: {
      id: os.get('ID') ?? '',
      version,
      major_version: version.split('.')[0] ?? '',
      codename: os.get('VERSION_CODENAME') ?? /\(([a-z]+)\)/.exec(os.get('VERSION') ?? '')?.[1] ?? '',
      like: os.get('ID_LIKE') ?? '',
    },
    init: get('systemd_run') === '1' || pid1 === 'systemd' ? 'systemd' : pid1 === 'init' ? 'sysvinit' : pid1,
    pkg_mgr: get('pkg_mgr'),
    memtotal_mb: Math.floor(Number(get('memtotal_kb') || 0) / 1024),
    processor_count: Number(get('nproc') || 0),
    machine_id: get('machine_id'),
    boot_id: get('boot_id'),
    user: get('user'),
    home: get('home'),
    selinux: get('selinux') === '1' ? 'enforcing' : get('selinux') === '0' ? 'permissive' : 'disabled',
    ...(kv.has('selinux_lib') ? { selinux_python: get('selinux_lib') === '1' } : {}),
    virtualization: virtualization({
      container: get('virt_container'),
      product: get('virt_product'),
      vendor: get('virt_vendor'),
      kvm: get('virt_kvm') === '1',
    }),
    ...(localText === undefined ? {} : { local: parseLocalFacts(localText) }),
    ...(python ? { python } : {}),
    ...(moreText === undefined ? {} : { more: moreFacts(moreText, { hostname, fqdn, arch, os }) }),
  }
}

/** Anything that can run a command on the host (a `HostConnection`, or a module's `HostIO`). */
export interface CommandRunner {
  run(cmd: Command): Promise<CommandResult>
}

/**
 * Gather a host's facts in one round trip, the parts `subset` leaves out not read. Throws when the script's output
 * is unusable.
 */
export async function gatherFacts(conn: CommandRunner, factPath?: string, subset?: FactSubset): Promise<HostFacts> {
  const r = await conn.run(factsCommand(factPath, subset ? skippedParts(subset) : []))
  const f: HostFacts = { ...parseFacts(r.stdout), ...(subset ? { subset } : {}) }
  if (!f.architecture || !f.kernel) {
    throw new Error(
      `cannot gather facts (exit code ${r.rc}): ${r.stderr.trim() || 'the fact script printed nothing usable'}`,
    )
  }
  return f
}

const DISTRIBUTION_NAMES: Record<string, string> = {
  debian: 'Debian',
  raspbian: 'Debian',
  ubuntu: 'Ubuntu',
  linuxmint: 'Linux Mint',
  fedora: 'Fedora',
  centos: 'CentOS',
  rhel: 'RedHat',
  rocky: 'Rocky',
  almalinux: 'AlmaLinux',
  alpine: 'Alpine',
  arch: 'Archlinux',
  opensuse: 'openSUSE',
}

/** Ansible's `ansible_os_family` for a distribution. */
function osFamily(id: string, like: string): string {
  const all = [id, ...like.split(/\s+/)]
  if (all.some((x) => ['debian', 'ubuntu', 'raspbian'].includes(x))) return 'Debian'
  if (all.some((x) => ['rhel', 'fedora', 'centos'].includes(x))) return 'RedHat'
  if (all.includes('suse')) return 'Suse'
  return DISTRIBUTION_NAMES[id] ?? id
}

/**
 * The variables the host facts provide: `facts` itself, the common `ansible_*` names (`named`: all of them unless
 * a filter kept fewer), and `ansible_facts` (the same names without the prefix, as Ansible injects them:
 * `ansible_facts.distribution`).
 */
export function factsToVars(f: HostFacts, named: Vars = ansibleFactVars(f)): Vars {
  // as Ansible's: `ansible_local` keeps its name in `ansible_facts`, as do those without the prefix
  const short = (k: string) => (k === 'ansible_local' || !k.startsWith('ansible_') ? k : k.slice('ansible_'.length))
  const ansible_facts = Object.fromEntries(Object.entries(named).map(([k, v]) => [short(k), v]))
  return { facts: f, ...named, ansible_facts }
}

/**
 * Fact variables of a new gathering (`fresh`) over those known before, as Ansible's fact cache adds them: a fact
 * the new one did not read (another `gather_subset`, a `filter`) keeps its value, in `ansible_facts` too.
 *
 * @example
 * ```ts
 * overFacts({ ansible_lo: {}, ansible_facts: { lo: {} } }, { ansible_env: {}, ansible_facts: { env: {} } })
 * // { ansible_lo: {}, ansible_env: {}, ansible_facts: { lo: {}, env: {} } }
 * ```
 */
export function overFacts(before: Vars, fresh: Vars): Vars {
  const known = (v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Vars) : {})
  return { ...before, ...fresh, ansible_facts: { ...known(before.ansible_facts), ...known(fresh.ansible_facts) } }
}

/**
 * Facts a module returned (`getent_passwd`, `packages`) added to the fact variables: as variables and as keys of
 * `ansible_facts`, as Ansible injects them.
 *
 * @example
 * ```ts
 * withModuleFacts({ ansible_facts: {} }, { packages: {} }) // { packages: {}, ansible_facts: { packages: {} } }
 * ```
 */
export function withModuleFacts(vars: Vars, extra: Vars | undefined): Vars {
  if (!extra) return vars
  const prev = vars.ansible_facts
  const base = typeof prev === 'object' && prev !== null && !Array.isArray(prev) ? (prev as Vars) : {}
  return { ...vars, ...extra, ansible_facts: { ...base, ...extra } }
}

/**
 * `ansible_selinux` as Ansible's keys: `status`, and `mode` where SELinux is on; without libselinux (which Ansible's
 * SELinux facts load) only the status that says so, and `ansible_selinux_python_present` whether it is there.
 */
function selinuxFactVars(f: HostFacts): Vars {
  const present = f.selinux_python === undefined ? {} : { ansible_selinux_python_present: f.selinux_python }
  if (f.selinux_python === false) return { ansible_selinux: { status: 'Missing selinux Python library' }, ...present }
  const on = f.selinux && f.selinux !== 'disabled'
  return { ansible_selinux: on ? { status: 'enabled', mode: f.selinux } : { status: 'disabled' }, ...present }
}

/** The host facts under Ansible's `ansible_*` names: those of the collectors their `gather_subset` chose. */
export function ansibleFactVars(f: HostFacts): Vars {
  return keepBySubset(allFactVars(f), f.subset ?? ALL_FACTS)
}

/** Every `ansible_*` fact of the gathering, before its subset chooses among them. */
function allFactVars(f: HostFacts): Vars {
  const d = f.distribution
  return {
    ...f.more,
    ansible_hostname: f.hostname.split('.')[0],
    ansible_nodename: f.hostname,
    ansible_fqdn: f.fqdn,
    ansible_architecture: f.architecture,
    ansible_machine: f.architecture,
    ansible_distribution: DISTRIBUTION_NAMES[d.id] ?? (d.id ? d.id[0].toUpperCase() + d.id.slice(1) : ''),
    ansible_distribution_release: d.codename,
    ansible_distribution_version: d.version,
    ansible_distribution_major_version: d.major_version,
    ...(d.version.includes('.') ? { ansible_distribution_minor_version: d.version.split('.')[1] } : {}),
    ansible_os_family: osFamily(d.id, d.like),
    ansible_kernel: f.kernel,
    ...(f.system ? { ansible_system: f.system } : {}),
    ansible_service_mgr: f.init,
    ansible_pkg_mgr: f.pkg_mgr,
    ansible_memtotal_mb: f.memtotal_mb,
    ansible_processor_vcpus: f.processor_count,
    ansible_processor_nproc: f.processor_count,
    ansible_machine_id: f.machine_id,
    ansible_user_id: f.user,
    // the passwd entry's home, as Ansible's pw_dir (HOME where no entry was found)
    ansible_user_dir: f.more?.ansible_user_dir ?? f.home,
    ansible_local: f.local ?? {},
    ...selinuxFactVars(f),
    ...pythonFactVars(f.python),
    ...(f.virtualization
      ? {
          ansible_virtualization_type: f.virtualization.type,
          ansible_virtualization_role: f.virtualization.role,
          ansible_virtualization_tech_guest: f.virtualization.guest,
          ansible_virtualization_tech_host: f.virtualization.host,
        }
      : {}),
  }
}
