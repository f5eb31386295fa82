/**
 * Ansible's smaller Linux facts, read as it reads them: `iscsi_iqn` (/etc/iscsi/initiatorname.iscsi),
 * `fibre_channel_wwn` (/sys/class/fc_host/…/port_name), `hostnqn` (/etc/nvme/hostnqn), `system_capabilities` and
 * `system_capabilities_enforced` (`capsh --print`, `N/A` where capsh is not installed) and, on the Debian family,
 * `distribution_file_path`/`_variety`/`_parsed` (/etc/os-release, read by the fact script's first part).
 *
 * @example
 * ```ts
 * otherFacts(sectionsOf(text), osReleaseText) // { ansible_iscsi_iqn: '', ansible_system_capabilities: [], … }
 * ```
 */
import type { Vars } from './types.js'

/** Shell text printing the sections `otherFacts` reads (files with the shell's `read`; capsh where installed). */
export const OTHER_SCRIPT = [
  'echo @iscsi; if [ -r /etc/iscsi/initiatorname.iscsi ]; then',
  '  while IFS= read -r l || [ -n "$l" ]; do printf "%s\\n" "$l"; done < /etc/iscsi/initiatorname.iscsi; fi',
  'echo @nvme; if [ -r /etc/nvme/hostnqn ]; then',
  '  while IFS= read -r l || [ -n "$l" ]; do printf "%s\\n" "$l"; done < /etc/nvme/hostnqn; fi',
  'echo @fc; for f in /sys/class/fc_host/*/port_name; do if [ -r "$f" ]; then',
  '  while IFS= read -r l || [ -n "$l" ]; do printf "%s\\n" "$l"; done < "$f"; fi; done',
  'echo @caps',
  // (unless the subset leaves the capabilities out: the fact script's _tsp_on)
  'if _tsp_on caps && command -v capsh >/dev/null 2>&1; then capsh --print 2>/dev/null; echo "@capsrc $?"; fi',
  'echo @osfile; if [ -s /etc/os-release ]; then echo present; fi',
].join('\n')

/**
 * Shell defining `_tsp_ns DB`: sets `ns` to the first source /etc/nsswitch.conf names for the database (`passwd`,
 * `hosts`), empty without the file or the line. No program: the file is read by the shell.
 */
export const NSS_FIRST = [
  '_tsp_ns() { ns=; if [ -r /etc/nsswitch.conf ]; then',
  '  while IFS=\' \t:\' read -r _tsp_k _tsp_a _; do if [ "$_tsp_k" = "$1" ]; then ns=$_tsp_a; break; fi',
  '  done < /etc/nsswitch.conf; fi; }',
].join('\n')

/**
 * Shell setting `pw` to the passwd entry of the user ID `$eu`, as getent gives it, without a program where it can:
 * read from /etc/passwd when the name service asks files first for passwd (`_tsp_ns`) and the line found is of the
 * usual shape (seven fields, no `+`/`-`/`#` start, a plain group ID); else `getent`.
 */
export const PASSWD_BY_ID = [
  'pw=; g=; _tsp_ns passwd; if [ -n "$eu" ] && [ "$ns" = files ] && [ -r /etc/passwd ]; then',
  '  while IFS= read -r l || [ -n "$l" ]; do r=${l#*:}; r=${r#*:}',
  '    if [ "${r%%:*}" = "$eu" ]; then g=${r#*:}; g=${g%%:*}; case $l in [#+-]*|*:*:*:*:*:*:*:*) ;;',
  '      *:*:*:*:*:*:*) case $g in ""|*[!0-9]*|0?*) ;; *) pw=$l ;; esac ;; esac; break; fi',
  '  done < /etc/passwd',
  'fi',
  'if [ -z "$pw" ] && [ -n "$eu" ]; then pw=$(getent passwd "$eu" 2>/dev/null); fi',
].join('\n')

/**
 * Shell printing `@fqdn` and what `hostname -f` says (Ansible's fqdn, from a name lookup). The lookup is bounded at
 * 2 s by `timeout`, unless /etc/hosts answers it first (the name service asks files first for hosts, and the host's
 * name is on one of the file's lines, as it is on Debian and Raspberry Pi OS): then nothing waits on the network,
 * and `timeout` is one program less.
 */
export const FQDN_SCRIPT = [
  'fq=; hn=; _tsp_ns hosts; if [ "$ns" = files ] && [ -r /etc/hosts ]; then',
  '  read -r hn 2>/dev/null < /proc/sys/kernel/hostname',
  '  if [ -n "$hn" ]; then while read -r ad nm || [ -n "$ad" ]; do case $ad in "#"*) continue ;; esac',
  `    nm=\${nm%%#*}; case " $nm " in *[' \t']"$hn"[' \t']*) fq=1; break ;; esac; done < /etc/hosts; fi`,
  'fi',
  'echo @fqdn; if [ -n "$fq" ]; then hostname -f 2>/dev/null; else timeout 2 hostname -f 2>/dev/null; fi',
].join('\n')

type Lines = (name: string) => string[]

/** Python's `get_file_content(…).splitlines()`: the text stripped as a whole, then split into lines. */
const fileLines = (l: string[]) => l.join('\n').trim().split('\n')

/** The first line starting with `prefix` (so no comment or blank line, which Ansible skips). */
const firstWith = (l: string[], prefix: string) => fileLines(l).find((x) => x.startsWith(prefix))

/** What os-release must name for Ansible's Debian parser to take the file (its checks, in its order). */
const DEBIAN_FAMILY = [
  ...['Debian', 'Raspbian', 'Ubuntu', 'SteamOS', 'Kali', 'Parrot', 'Devuan', 'Cumulus', 'Mint'],
  ...['UOS', 'Uos', 'uos', 'Deepin', 'deepin'],
]

/** Parse the sections of `OTHER_SCRIPT`; `osRelease` is /etc/os-release's text as the fact script read it. */
export function otherFacts(lines: Lines, osRelease: string): Vars {
  const out: Vars = {}
  out.ansible_iscsi_iqn = firstWith(lines('iscsi'), 'InitiatorName=')?.split('=').slice(1).join('=') ?? ''
  out.ansible_hostnqn = firstWith(lines('nvme'), 'nqn.') ?? ''
  out.ansible_fibre_channel_wwn = fcWwns(lines('fc'))
  Object.assign(out, capabilities(lines('caps')))
  const family = DEBIAN_FAMILY.some((w) => osRelease.includes(w))
  if (lines('osfile')[0] === 'present' && family && !otherParserFirst(osRelease)) {
    out.ansible_distribution_file_path = '/etc/os-release'
    out.ansible_distribution_file_variety = 'Debian'
    out.ansible_distribution_file_parsed = true
  }
  return out
}

/** An os-release that Ansible's Amazon, Arch or SUSE parser takes before its Debian one. */
function otherParserFirst(text: string): boolean {
  return text.includes('Amazon') || text.includes('Arch Linux') || /suse/i.test(text)
}

/** The port names of /sys/class/fc_host, each without its `0x`. */
function fcWwns(l: string[]): string[] {
  return l.filter((x) => x !== '').map((x) => x.trimEnd().slice(2))
}

/** `capsh --print`'s `Current:` line as Ansible reads it; `N/A` when capsh is missing or failed. */
function capabilities(l: string[]): Vars {
  const rc = l.find((x) => x.startsWith('@capsrc '))
  if (rc !== '@capsrc 0') return { ansible_system_capabilities_enforced: 'N/A', ansible_system_capabilities: 'N/A' }
  let enforced = 'NA'
  let caps: string[] = []
  for (const line of l) {
    if (!line.startsWith('Current:')) continue
    if ((line.split(':')[1] ?? '').trim() === '=ep') enforced = 'False'
    else {
      enforced = 'True'
      caps = (line.split('=')[1] ?? '').split(',').map((c) => c.trim())
    }
  }
  return { ansible_system_capabilities_enforced: enforced, ansible_system_capabilities: caps }
}
