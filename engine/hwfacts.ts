/**
 * Ansible's hardware facts read from files (no `dmidecode`): the DMI names of /sys/devices/virtual/dmi/id (`NA`
 * where the file is missing or only root may read it, as Ansible's), `form_factor`, `apparmor`, `is_chroot` and
 * `mounts` (from /proc/mounts, sizes from one `stat -f` for all of them, `uuid` from `lsblk` or `udevadm`, `,bind`
 * added to a bind mount's options as `findmnt` shows it).
 *
 * @example
 * ```ts
 * hardwareFacts(sectionsOf(text)) // { ansible_product_name: 'NA', ansible_mounts: [{ mount: '/', … }], … }
 * ```
 */
import type { Vars } from './types.js'

const DMI = [
  ...['bios_date', 'bios_vendor', 'bios_version', 'board_asset_tag', 'board_name', 'board_serial', 'board_vendor'],
  ...['board_version', 'chassis_asset_tag', 'chassis_serial', 'chassis_type', 'chassis_vendor', 'chassis_version'],
  ...['product_name', 'product_serial', 'product_uuid', 'product_version', 'sys_vendor'],
]

/** Shell for AppArmor's `@apparmor` (a file test) and, unless the subset leaves it out, the chroot's `@chroot`. */
export const SYSTEM_KIND_SCRIPT = [
  'echo @apparmor; if [ -e /sys/kernel/security/apparmor ]; then echo enabled; fi',
  'echo @chroot; if _tsp_on chroot; then echo "debian_chroot=${debian_chroot-}"',
  '  stat -c "%d:%i" / /proc/1/root/. 2>/dev/null; stat -f -c %T /; fi',
].join('\n')

/** Shell text printing the other sections `hardwareFacts` reads (the hardware collector's: DMI and mounts). */
export const HW_SCRIPT = [
  'echo @dmi; d=/sys/devices/virtual/dmi/id',
  `for f in ${DMI.join(' ')}; do x=NA; if [ -r "$d/$f" ]; then read -r x < "$d/$f" || x=NA; fi`,
  '  printf "%s=%s\\n" "$f" "$x"; done',
  'echo @mounts; set --; while read -r dev mnt fs opts dump pass; do case $dev in /*|*:/*) if [ "$fs" != none ]; then',
  // printf, not echo: dash's echo would turn the file's octal escapes (a space is \040) into the characters
  '  printf "%s %s %s %s %s %s\\n" "$dev" "$mnt" "$fs" "$opts" "$dump" "$pass"',
  // stat -f is given the path itself: printf %b reads \040 (space), \011 (tab) and \012 (newline) as \0 escapes
  '  case $mnt in *\\\\0[0-7][0-7]*) mnt=$(printf "%b" "$mnt") ;; esac; set -- "$@" "$mnt"; fi ;; esac',
  'done < /proc/mounts',
  'echo @statfs; if [ $# -gt 0 ]; then stat -f -c "%n %S %s %b %a %c %d" -- "$@" 2>/dev/null; fi',
  'echo @binds; findmnt --list --noheadings --notruncate 2>/dev/null',
  // UUIDs by lsblk; udevadm (where installed) for a mounted device lsblk gives none, as Ansible asks
  'echo @uuids; lb=" "; while read -r n u; do if [ -n "$u" ]; then printf "%s %s\\n" "$n" "$u"; lb="$lb$n "; fi',
  'done <<EOF',
  '$(lsblk --list --noheadings --paths --output NAME,UUID --exclude 2 2>/dev/null)',
  'EOF',
  'if command -v udevadm >/dev/null 2>&1; then',
  '  while read -r dev mnt fs _; do case $dev in /*|*:/*) if [ "$fs" != none ]; then case $lb in *" $dev "*) ;; *)',
  '    lb="$lb$dev "; echo "=udev $dev"; udevadm info --query property --name "$dev" 2>/dev/null ;; esac; fi ;;',
  '  esac; done < /proc/mounts; fi',
].join('\n')

/** Ansible's names for SMBIOS chassis types. */
const FORM_FACTORS = [
  ...['Unknown', 'Other', 'Unknown', 'Desktop', 'Low Profile Desktop', 'Pizza Box', 'Mini Tower', 'Tower'],
  ...['Portable', 'Laptop', 'Notebook', 'Hand Held', 'Docking Station', 'All In One', 'Sub Notebook'],
  ...['Space-saving', 'Lunch Box', 'Main Server Chassis', 'Expansion Chassis', 'Sub Chassis'],
  ...['Bus Expansion Chassis', 'Peripheral Chassis', 'RAID Chassis', 'Rack Mount Chassis', 'Sealed-case PC'],
  ...['Multi-system', 'CompactPCI', 'AdvancedTCA', 'Blade', 'Blade Enclosure', 'Tablet', 'Convertible'],
  ...['Detachable', 'IoT Gateway', 'Embedded PC', 'Mini PC', 'Stick PC'],
]

/** /proc/mounts writes a space, tab, newline or backslash in a path as an octal escape. */
const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)))

/** Parse the sections of `HW_SCRIPT` (by name) into Ansible's fact names. */
export function hardwareFacts(lines: (name: string) => string[]): Vars {
  const out: Vars = {}
  const dmi = new Map(lines('dmi').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()]))
  for (const f of DMI) {
    if (f === 'chassis_type') continue
    out[f === 'sys_vendor' ? 'ansible_system_vendor' : `ansible_${f}`] = dmi.get(f) || 'NA'
  }
  const chassis = dmi.get('chassis_type') ?? 'NA'
  out.ansible_form_factor = chassis === 'NA' ? 'NA' : (FORM_FACTORS[Number(chassis)] ?? 'unknown')
  out.ansible_apparmor = { status: lines('apparmor')[0] === 'enabled' ? 'enabled' : 'disabled' }
  out.ansible_is_chroot = isChroot(lines('chroot'))
  out.ansible_mounts = mounts(lines('mounts'), lines('statfs'), uuids(lines('uuids')), binds(lines('binds')))
  return out
}

/** As Ansible's: `debian_chroot` set, else / against /proc/1/root, else /'s inode against its file system's root. */
function isChroot(l: string[]): boolean {
  if (l[0] && l[0] !== 'debian_chroot=') return true
  const ids = l.slice(1).filter((x) => /^\d+:\d+$/.test(x))
  if (ids.length === 2) return ids[0] !== ids[1]
  const fs = l[l.length - 1] ?? ''
  const rootIno = fs.includes('btrfs') ? 256 : fs.includes('xfs') ? 128 : 2
  return ids.length === 1 && Number(ids[0].split(':')[1]) !== rootIno
}

/** Device → UUID: lsblk's, then udevadm's `ID_FS_UUID` for a device lsblk gave none (Ansible's order). */
function uuids(l: string[]): Map<string, string> {
  const out = new Map<string, string>()
  let dev: string | undefined
  for (const line of l) {
    if (line.startsWith('=udev ')) dev = line.slice(6)
    else if (dev !== undefined) {
      if (line.startsWith('ID_FS_UUID=') && !out.has(dev)) out.set(dev, line.slice(11))
    } else {
      const [name, id] = line.trim().split(/\s+(?=\S+$)/)
      if (name && id && !out.has(name)) out.set(name, id)
    }
  }
  return out
}

/** The mount points findmnt lists with a folder in their source (`/dev/vda[/srv]`): bind mounts. */
function binds(l: string[]): Set<string> {
  const out = new Set<string>()
  for (const line of l) {
    const [target, source] = line.split(/\s+/)
    if (target && source && source.includes(']')) out.add(target)
  }
  return out
}

/** One fact per mounted device, with its sizes where `stat -f` could read them. */
function mounts(list: string[], statfs: string[], uuid: Map<string, string>, bound: Set<string>): Vars[] {
  const sizes = new Map<string, number[]>()
  for (const l of statfs) {
    const w = l.split(' ')
    if (w.length >= 7) sizes.set(w.slice(0, w.length - 6).join(' '), w.slice(-6).map(Number))
  }
  const out: Vars[] = []
  for (const l of list) {
    const [device, rawMount, fstype, options] = l.split(' ')
    if (!rawMount) continue
    const mount = unescape(rawMount)
    const m: Vars = { mount, device: unescape(device), fstype, options: bound.has(mount) ? `${options},bind` : options }
    const s = sizes.get(mount) ?? sizes.get(rawMount)
    if (s) {
      const [frsize, bsize, blocks, bavail, files, ffree] = s
      Object.assign(m, {
        ...{ size_total: frsize * blocks, size_available: frsize * bavail, block_size: bsize },
        ...{ block_total: blocks, block_available: bavail, block_used: blocks - bavail },
        ...{ inode_total: files, inode_available: ffree, inode_used: files - ffree },
      })
    }
    m.uuid = uuid.get(unescape(device)) || 'N/A'
    out.push(m)
  }
  return out
}
