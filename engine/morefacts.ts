/**
 * The rest of Ansible's common facts, read by the fact script's second part (`MORE_FACTS_SCRIPT`: files read with
 * `read`, a few programs, each asked once: `date`, `env`, Perl, `ip`) and parsed here into `ansible_*` names:
 * `date_time`, `env`, the user's IDs, gecos and shell, `kernel_version`, memory and swap (`memory_mb`, …),
 * `processor*`, `uptime_seconds`, `loadavg`, `cmdline`/`proc_cmdline`, `dns` and `domain`, the SSH host keys,
 * `userspace_bits`, `fips`, `lsb` (where `lsb_release` or /etc/lsb-release is there, as Ansible's), the network
 * facts (engine/netfacts.ts), block devices (engine/blockfacts.ts) and the smaller ones of engine/otherfacts.ts.
 *
 * @example
 * ```ts
 * moreFacts(text, { fqdn: 'pi1.lan', hostname: 'pi1', arch: 'aarch64', os }) // { ansible_domain: 'lan', … }
 * ```
 */
import { BLOCK_SCRIPT, blockFacts } from './blockfacts.js'
import { HW_SCRIPT, hardwareFacts, SYSTEM_KIND_SCRIPT } from './hwfacts.js'
import { FQDN_SCRIPT, OTHER_SCRIPT, otherFacts } from './otherfacts.js'
import { cmdlineFacts, dnsFacts, EXPORT_P, exportedVars } from './textfacts.js'
import { ipTexts, NET_SCRIPT, networkFacts } from './netfacts.js'
import { sysfsInterfaces } from './netsysfacts.js'
import type { Vars } from './types.js'

/** Perl printing `sysinfo L1 L5 L15` (the kernel's loads, in 1/65536) by the architecture's call number. */
const SYSINFO_PERL = [
  'my %n = ("x86_64", 99, "i386", 116, "i486", 116, "i586", 116, "i686", 116, "arm", 116, "aarch64", 179,',
  ' "riscv64", 179); my $n = $n{(split /-/, $Config{archname})[0]}; exit 1 unless $n; my $b = "\\0" x 256;',
  ' syscall($n, $b) == 0 or exit 1; my @v = unpack("l!L!3", $b); print "sysinfo $v[1] $v[2] $v[3]\\n"',
].join('')

/**
 * The sbin folders added to the PATH for the programs of the second part, looked up as Ansible's get_bin_path does
 * (capsh, lvm, udevadm, ethtool, …).
 */
const WITH_SBIN = 'PATH=$PATH:/sbin:/usr/sbin:/usr/local/sbin'

/** `date`'s format: the time now and its zone (the zone's name and offset alone are read of January's and July's). */
const DATE = '+%s %N %Y %m %A %w %W %d %H %M %S %Z %z'

/**
 * Shell text that starts two groups of the fact script in the background, each into its own file of a temp folder,
 * at the top of the script, so their programs run beside the first part's: the hardware and block device sections
 * (`HW_SCRIPT`, `BLOCK_SCRIPT`: `lspci` reads the PCI name database, `findmnt`, `lsblk`, three `find`s, `stat`s) and
 * the network ones with the host's fqdn (`NET_SCRIPT`, `OTHER_SCRIPT`: `ethtool` twice per interface, one `ip`,
 * `capsh`, `hostname -f`, a name lookup). `BACKGROUND_OUTPUT` prints them in their place. Where `mktemp`
 * fails, they run in place. A Pi has four cores: the fact script's wait is its longest group, not their sum.
 * The parts a `gather_subset` leaves out (engine/factsubset.ts: `_tsp_on` of the fact script) are not run.
 */
export const BACKGROUND_START = [
  `_tsp_dev() { ${WITH_SBIN}`,
  SYSTEM_KIND_SCRIPT,
  'if _tsp_on hw; then',
  HW_SCRIPT,
  BLOCK_SCRIPT,
  'fi',
  '}',
  `_tsp_net() { ${WITH_SBIN}`,
  // the fqdn here, off the first part's path: `hostname -f` asks the resolver
  FQDN_SCRIPT,
  'if _tsp_on net; then',
  NET_SCRIPT,
  'fi',
  OTHER_SCRIPT,
  '}',
  // with the hardware and the interfaces both left out, what is left is quick: in place, no temp folder
  'td=; if _tsp_on hw || _tsp_on net; then td=$(mktemp -d 2>/dev/null) || td=; fi',
  'if [ -n "$td" ]; then _tsp_dev > "$td/d" 2>/dev/null & dp=$!; _tsp_net > "$td/n" 2>/dev/null & np=$!; fi',
].join('\n')

/** Shell text printing what `BACKGROUND_START` gathered (see there). */
const BACKGROUND_OUTPUT =
  'if [ -n "$td" ]; then wait "$dp" "$np"; cat "$td/d" "$td/n"; rm -rf -- "$td"; else _tsp_dev; _tsp_net; fi'

/** Shell text printing each part after an `@name` line (files read with the shell's `read`, no program). */
export const MORE_FACTS_SCRIPT = [
  // GNU date reads the three times from its input: one program, not three (busybox's date has no -f)
  `_tsp_date() { LC_ALL=C date "${DATE}"`,
  '  LC_ALL=C date -d "Jan 1 12:00" "+%Z %z"; LC_ALL=C date -d "Jul 1 12:00" "+%Z %z"; }',
  `echo @date; LC_ALL=C date -f - "${DATE}" 2>/dev/null <<EOF || _tsp_date 2>/dev/null`,
  'now',
  'Jan 1 12:00',
  'Jul 1 12:00',
  'EOF',
  // the environment: where the shell is dash or BusyBox's ash (no other shell's version variable), its own
  // `export -p` lists what a child such as `env` would get (both drop names that are not variable names), without
  // a program; other shells' `export -p` formats differ, so `env` prints it (see envFacts)
  'echo @env; case ${BASH_VERSION-}${ZSH_VERSION-}${KSH_VERSION-}${YASH_VERSION-}${POSH_VERSION-} in',
  `  '') echo '${EXPORT_P}'; export -p ;; *) env ;; esac`,
  // the IDs the first part read of the shell's status (`ui`, `gi`: real and effective)
  'echo @status; printf "Uid:\\t%s\\nGid:\\t%s\\n" "$ui" "$gi"',
  // the entry the first part looked up by the user's ID (getent by name where that found none)
  'echo @passwd; if [ -n "$pw" ]; then printf "%s\\n" "$pw"; else getent passwd "$u"; fi',
  'echo @kernel_version; read -r x < /proc/sys/kernel/version; printf "%s\\n" "$x"',
  'echo @meminfo; while IFS= read -r l; do printf "%s\\n" "$l"; done < /proc/meminfo',
  'echo @uptime; read -r x _ < /proc/uptime; printf "%s\\n" "$x"',
  'echo @loadavg; read -r a b c _ < /proc/loadavg; echo "$a $b $c"',
  // glibc's getloadavg (Ansible's source) divides sysinfo(2)'s fixed-point loads: finer than /proc/loadavg's text;
  // asked only where the subset has the loads (the `loadavg` collector is not in `min`)
  'if _tsp_on loadavg; then',
  `  pl=$(perl -MConfig -e '${SYSINFO_PERL}' 2>/dev/null); case $pl in sysinfo*) echo "$pl" ;; esac; fi`,
  'echo @cmdline; read -r x < /proc/cmdline; printf "%s\\n" "$x"',
  'echo @resolv; if [ -r /etc/resolv.conf ]; then',
  '  while IFS= read -r l; do printf "%s\\n" "$l"; done < /etc/resolv.conf; fi',
  'echo @cpuinfo; while IFS= read -r l; do case $l in processor*|vendor_id*|"model name"*|"physical id"*|' +
    '"cpu cores"*|siblings*|Processor*|Hardware*) printf "%s\\n" "$l" ;; esac; done < /proc/cpuinfo',
  'echo @ssh; for t in dsa rsa ecdsa ed25519; do if [ -r /etc/ssh/ssh_host_${t}_key.pub ]; then',
  '  read -r k _ < /etc/ssh/ssh_host_${t}_key.pub; read -r _ v _ < /etc/ssh/ssh_host_${t}_key.pub',
  '  echo "$t $k $v"; fi; done',
  // getconf's LONG_BIT without a program: the shell's own memory map has an address past 32 bits (its stack's, at
  // least) in a 64-bit userspace, none in a 32-bit one (x32 too); getconf where the map cannot be read
  'echo @bits; b=; if [ -r /proc/$$/maps ]; then while read -r x _; do b=32; case ${x%%-*} in ?????????*) b=64',
  '  break ;; esac; done < /proc/$$/maps; fi; if [ -n "$b" ]; then echo "$b"; else getconf LONG_BIT 2>/dev/null; fi',
  'echo @fips; x=0; read -r x 2>/dev/null < /proc/sys/crypto/fips_enabled; printf "%s\\n" "$x"',
  'echo @lsb; if [ -r /etc/lsb-release ]; then while IFS= read -r l; do printf "%s\\n" "$l"; done < /etc/lsb-release',
  'elif command -v lsb_release >/dev/null 2>&1; then echo os-release; fi',
  // the programs below are looked up as Ansible's get_bin_path does, in the sbin folders too (capsh, lvm, udevadm,
  // ethtool, …); the PATH is put back for what runs after (the local facts)
  `op=$PATH; ${WITH_SBIN}`,
  BACKGROUND_OUTPUT, // started at the top of the fact script (BACKGROUND_START)
  'PATH=$op',
  'echo @end',
].join('\n')

/** What the parser needs from the first part of the facts. */
export interface BaseFacts {
  hostname: string
  fqdn: string
  /** `uname -m`. */
  arch: string
  /** /etc/os-release's values. */
  os: Map<string, string>
}

const MB = (kb: number) => Math.floor(kb / 1024)

/** Ansible's `userspace_architecture` by kernel architecture and `getconf LONG_BIT`. */
const USERSPACE: Record<string, Record<string, string>> = {
  x86_64: { '64': 'x86_64', '32': 'i386' },
  aarch64: { '64': 'aarch64', '32': 'arm' },
}

/** Split the second part's text into its `@name` sections. */
export function sections(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  let cur: string[] | undefined
  for (const line of text.split('\n')) {
    const m = /^@([a-z_0-9]+)$/.exec(line)
    if (m) out.set(m[1], (cur = []))
    else cur?.push(line)
  }
  return out
}

/** Parse what `MORE_FACTS_SCRIPT` printed into Ansible's fact names. */
export function moreFacts(text: string, base: BaseFacts): Vars {
  const s = sections(text)
  const lines = (k: string) => s.get(k) ?? []
  const first = (k: string) => lines(k)[0]?.trim() ?? ''
  const out: Vars = {}
  const dt = dateTime(lines('date'))
  if (dt) out.ansible_date_time = dt
  out.ansible_env = envFacts(lines('env'))
  Object.assign(out, idFacts(lines('status'), first('passwd')))
  out.ansible_kernel_version = first('kernel_version')
  Object.assign(out, memoryFacts(lines('meminfo')))
  out.ansible_uptime_seconds = Math.floor(Number(first('uptime')) || 0)
  const exact = /^sysinfo (\d+) (\d+) (\d+)$/.exec(lines('loadavg')[1] ?? '')
  const [l1, l5, l15] = exact ? exact.slice(1).map((n) => Number(n) / 65536) : first('loadavg').split(' ').map(Number)
  out.ansible_loadavg = { '1m': l1 ?? 0, '5m': l5 ?? 0, '15m': l15 ?? 0 }
  Object.assign(out, cmdlineFacts(first('cmdline')))
  out.ansible_dns = dnsFacts(lines('resolv'))
  out.ansible_domain = base.fqdn.startsWith(`${base.hostname}.`) ? base.fqdn.slice(base.hostname.length + 1) : ''
  Object.assign(out, cpuFacts(lines('cpuinfo')))
  for (const l of lines('ssh')) {
    const [t, kind, key] = l.split(' ')
    if (!key) continue
    out[`ansible_ssh_host_key_${t}_public`] = key
    out[`ansible_ssh_host_key_${t}_public_keytype`] = kind
  }
  const bits = first('bits')
  if (bits) out.ansible_userspace_bits = bits
  // as Ansible's: a 32-bit userspace on a 64-bit kernel
  const user = USERSPACE[base.arch]?.[bits]
  if (user) out.ansible_userspace_architecture = user
  out.ansible_fips = first('fips') === '1'
  out.ansible_lsb = lsbFacts(lines('lsb'), base.os)
  Object.assign(out, hardwareFacts(lines))
  Object.assign(out, networkFacts(...ipTexts(lines), sysfsInterfaces(lines)))
  Object.assign(out, blockFacts(lines), otherFacts(lines, [...base.os].map(([k, v]) => `${k}=${v}`).join('\n')))
  return out
}

/** Ansible's `date_time` (its iso8601 and micro forms in UTC, the rest local), from `date`'s three lines. */
function dateTime(l: string[]): Vars | undefined {
  const w = (l[0] ?? '').split(' ')
  if (w.length < 13) return undefined
  const [epoch, nanos, year, month, weekday, wdn, weeknumber, day, hour, minute, second, tz, offset] = w
  const micro = nanos.slice(0, 6).padEnd(6, '0')
  const utc = new Date(Number(epoch) * 1000).toISOString().slice(0, 19)
  // Python's time.tzname[1]: the zone's summer name (its standard one where it has no summer time)
  // January's and July's zone: the last two fields (date -f prints all three lines in the one format)
  const [jan, jul] = [l[1], l[2]].map((x) => (x ?? '').split(' ').slice(-2))
  const dst = jan[1] && jul[1] && jan[1] !== jul[1] ? (Number(jul[1]) > Number(jan[1]) ? jul[0] : jan[0]) : tz
  const date = `${year}-${month}-${day}`
  return {
    ...{ year, month, weekday, weekday_number: wdn, weeknumber, day, hour, minute, second, epoch },
    ...{ epoch_int: epoch, date, time: `${hour}:${minute}:${second}` },
    ...{ iso8601_micro: `${utc}.${micro}Z`, iso8601: `${utc}Z` },
    iso8601_basic: `${year}${month}${day}T${hour}${minute}${second}${micro}`,
    iso8601_basic_short: `${year}${month}${day}T${hour}${minute}${second}`,
    ...{ tz, tz_dst: dst, tz_offset: offset },
  }
}

/**
 * The `@env` section: the shell's `export -p` (after `EXPORT_P`), or `env`'s lines (a value's further lines join
 * the variable before them).
 */
function envFacts(l: string[]): Vars {
  if (l[0] === EXPORT_P) return exportedVars(l.slice(1))
  const out: Vars = {}
  let last: string | undefined
  for (const line of l) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line)
    if (m) out[(last = m[1])] = m[2]
    else if (last !== undefined) out[last] = `${String(out[last])}\n${line}`
  }
  return out
}

/** The user's IDs (real and effective, from the shell's own status) and passwd entry. */
function idFacts(status: string[], passwd: string): Vars {
  const ids = (k: string) => (status.find((l) => l.startsWith(`${k}:`)) ?? '').split(/\s+/).slice(1).map(Number)
  const [ruid = 0, euid = 0] = ids('Uid')
  const [rgid = 0, egid = 0] = ids('Gid')
  const p = passwd.split(':')
  return {
    ...{ ansible_real_user_id: ruid, ansible_effective_user_id: euid },
    ...{ ansible_real_group_id: rgid, ansible_effective_group_id: egid },
    ...(p.length >= 7 ? { ansible_user_uid: Number(p[2]), ansible_user_gid: Number(p[3]) } : {}),
    ...(p.length >= 7 ? { ansible_user_gecos: p[4], ansible_user_dir: p[5], ansible_user_shell: p[6] } : {}),
  }
}

/** Ansible's memory facts from /proc/meminfo (MB, rounded down). */
function memoryFacts(l: string[]): Vars {
  const kb = (k: string) => Number(/^\S+:\s+(\d+)/.exec(l.find((x) => x.startsWith(`${k}:`)) ?? '')?.[1] ?? 0)
  const [total, free, buffers, cached] = ['MemTotal', 'MemFree', 'Buffers', 'Cached'].map((k) => MB(kb(k)))
  const [swapTotal, swapFree, swapCached] = ['SwapTotal', 'SwapFree', 'SwapCached'].map((k) => MB(kb(k)))
  const nocacheFree = free + buffers + cached
  return {
    ...{ ansible_memfree_mb: free, ansible_swaptotal_mb: swapTotal, ansible_swapfree_mb: swapFree },
    ansible_memory_mb: {
      real: { total, used: total - free, free },
      nocache: { free: nocacheFree, used: total - nocacheFree },
      swap: { total: swapTotal, free: swapFree, used: swapTotal - swapFree, cached: swapCached },
    },
  }
}

/** `processor` (index, vendor, model per CPU), sockets, cores, threads per core, as Ansible reads /proc/cpuinfo. */
function cpuFacts(l: string[]): Vars {
  const processor: string[] = []
  const sockets = new Set<string>()
  let cores = 0
  let siblings = 0
  for (const line of l) {
    const i = line.indexOf(':')
    if (i < 0) continue
    const [k, v] = [line.slice(0, i).trim(), line.slice(i + 1).trim()]
    if (['processor', 'vendor_id', 'model name', 'Processor'].includes(k)) processor.push(v)
    else if (k === 'physical id') sockets.add(v)
    else if (k === 'cpu cores') cores = Number(v)
    else if (k === 'siblings') siblings = Number(v)
  }
  // as Ansible's: sockets (else the processors listed), `cpu cores` (else 1), `siblings` per core
  const listed = l.filter((x) => /^processor\s*:/.test(x)).length
  const perSocket = cores || 1
  return {
    ansible_processor: processor,
    ansible_processor_count: sockets.size || listed,
    ansible_processor_cores: perSocket,
    ansible_processor_threads_per_core: Math.max(1, Math.floor((siblings || 1) / perSocket)),
  }
}

/** `lsb`: /etc/lsb-release's DISTRIB_ fields, or (where lsb_release is installed) what it says from os-release. */
function lsbFacts(l: string[], os: Map<string, string>): Vars {
  const kv = new Map(l.map((x) => /^DISTRIB_([A-Z]+)=(.*)$/.exec(x)).flatMap((m) => (m ? [[m[1], m[2]]] : [])))
  const unq = (v = '') => v.replace(/^"(.*)"$/, '$1')
  const id = kv.size ? unq(kv.get('ID')) : l[0] === 'os-release' ? capital(os.get('ID') ?? '') : ''
  if (!id) return {}
  const release = kv.size ? unq(kv.get('RELEASE')) : (os.get('VERSION_ID') ?? '')
  const description = kv.size ? unq(kv.get('DESCRIPTION')) : (os.get('PRETTY_NAME') ?? '')
  const codename = kv.size ? unq(kv.get('CODENAME')) : (os.get('VERSION_CODENAME') ?? '')
  return { id, description, release, codename, major_release: release.split('.')[0] }
}

const capital = (s: string) => (s ? s[0].toUpperCase() + s.slice(1) : s)
