/**
 * Ansible's block device facts, read as its Linux hardware facts read them: `devices` (each of /sys/block's
 * devices in the folder's own order: its sysfs attributes, partitions, holders, links, the PCI host `lspci -D`
 * names), `device_links` (/dev/disk/by-id, by-uuid and by-label, and the `masters` of /sys/block/…/slaves) and
 * `lvm` (`vgs`, `lvs`, `pvs` for root where LVM's tools are installed, else `N/A`). Three `find`s and the shell's
 * own `read`; LVM's tools only where installed, `lspci` only where installed and a device sits on PCI.
 *
 * @example
 * ```ts
 * blockFacts(sectionsOf(text)).ansible_devices // { vda: { size: '256.00 GB', partitions: {}, … }, … }
 * ```
 */
import { sysfsRecords } from './textfacts.js'
import type { Vars } from './types.js'

/** The sysfs files read per device, relative to its folder (those under `device/` are the vendor's). */
const DISK_FILES = [
  ...['device/vendor', 'device/model', 'device/sas_address', 'device/sas_device_handle', 'device/serial'],
  ...['removable', 'queue/discard_granularity', 'queue/rotational', 'queue/scheduler', 'size'],
  ...['queue/logical_block_size', 'queue/hw_sector_size'],
]
const PART_FILES = ['start', 'size', 'queue/logical_block_size', 'queue/hw_sector_size']

/** `rd FILE NAME…`: prints `NAME<tab>KEY<tab>VALUE` for the file's first line when it is there and not empty. */
const READ_FN = [
  'rd() { x=; if [ -r "$1/$3" ]; then read -r x 2>/dev/null < "$1/$3" || :; fi',
  '  if [ -n "$x" ]; then printf "%s\\t%s\\t%s\\n" "$2" "$3" "$x"; fi; }',
  'holders() { for h in "$1"/holders/dm-*; do if [ -e "$h" ]; then x=; read -r x 2>/dev/null < "$h/dm/name" || :',
  '  printf "%s\\tholder\\t%s\\n" "$2" "${x:-${h##*/}}"; fi; done; }',
].join('\n')

/** Shell text printing the sections `blockFacts` reads. */
export const BLOCK_SCRIPT = [
  READ_FN,
  'echo @disklinks; if [ -d /dev/disk ]; then d=/dev/disk; find $d/by-id $d/by-uuid $d/by-label -mindepth 1 ' +
    '-maxdepth 1 -type l -printf "%h\\t%f\\t%l\\n" 2>/dev/null; fi',
  'echo @slaves; for s in /sys/block/*/slaves/*; do if [ -e "$s" ]; then printf "%s\\n" "$s"; fi; done',
  'echo @blocks; bl=$(find /sys/block -mindepth 1 -maxdepth 1 -printf "%f\\t%l\\n" 2>/dev/null)',
  'if [ -n "$bl" ]; then printf "%s\\n" "$bl"; fi',
  'echo @blockdirs; find -L /sys/block -mindepth 2 -maxdepth 2 -type d -name "*[0-9]" -printf "%h\\t%f\\n" 2>/dev/null',
  'echo @blockfiles; for s in /sys/block/*; do if [ ! -e "$s" ]; then continue; fi; b=${s##*/}',
  `  for k in ${DISK_FILES.join(' ')}; do rd "$s" "$b" "$k"; done; holders "$s" "$b"`,
  '  for p in "$s/$b"*; do if [ -d "$p" ]; then',
  `    for k in ${PART_FILES.join(' ')}; do rd "$p" "$b/\${p##*/}" "$k"; done; holders "$p" "$b/\${p##*/}"; fi; done`,
  'done',
  // lspci (it reads the PCI name database) only where a device's sysfs path runs through a PCI function: a Pi's
  // SD card does not, so its names would not be read (pciHost)
  'echo @lspci; case $bl in *[0-9a-f]:[0-9a-f][0-9a-f]:[01][0-9a-f].[0-7]/*)',
  '  if command -v lspci >/dev/null 2>&1; then lspci -D 2>/dev/null; fi ;; esac',
  // where sg3-utils is installed, Ansible takes a disk's serial from sg_inq (and only from there)
  'if command -v sg_inq >/dev/null 2>&1; then echo @sginq; for s in /sys/block/*; do if [ -e "$s" ]; then',
  '  echo "=sg ${s##*/}"; sg_inq "/dev/${s##*/}" 2>/dev/null; fi; done; fi',
  'ru=; while read -r k v _; do if [ "$k" = Uid: ]; then ru=$v; break; fi; done < /proc/$$/status',
  'if [ "$ru" = 0 ] && command -v vgs >/dev/null 2>&1; then o="--noheadings --nosuffix --units g --separator ,"',
  '  echo @lvm; echo on; echo @vgs; vgs $o 2>/dev/null; echo @lvs; lvs $o 2>/dev/null',
  '  pv=$(pvs $o 2>/dev/null); echo @pvs; printf "%s\\n" "$pv"',
  '  echo @dm; case $pv in *"/dev/dm-"*) for d in /dev/dm-*; do',
  '    printf "%s\\t%s\\n" "$d" "$(dmsetup info -C --noheadings -o name "$d" 2>/dev/null)"; done ;; esac; fi',
].join('\n')

type Lines = (name: string) => string[]

/** Ansible's `bytes_to_human`: two decimals of the largest unit the size reaches (`0.00 Bytes` below 1 KB). */
export function bytesToHuman(size: number): string {
  const units = ['Y', 'Z', 'E', 'P', 'T', 'G', 'M', 'K']
  for (let i = 0; i < units.length; i++) {
    const limit = 2 ** (10 * (units.length - i))
    if (size >= limit) return `${fixed2(size / limit)} ${units[i]}B`
  }
  return `${fixed2(size)} Bytes`
}

/** Python's `'%.2f'`: a value exactly half way rounds to the even neighbour (JavaScript's `toFixed` rounds up). */
function fixed2(x: number): string {
  const hundredths = x * 100
  if (Number.isInteger(hundredths * 2) && !Number.isInteger(hundredths)) {
    const down = Math.floor(hundredths)
    return ((down % 2 === 0 ? down : down + 1) / 100).toFixed(2)
  }
  return x.toFixed(2)
}

/** `link type → device → sorted link names`, as Ansible's `device_links`. */
function deviceLinks(disk: string[], slaves: string[]): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = { ids: {}, uuids: {}, labels: {}, masters: {} }
  const add = (type: string, dev: string, name: string) => {
    const list = (out[type][dev] ??= [])
    if (!list.includes(name)) list.push(name)
  }
  const TYPES: Record<string, string> = { 'by-id': 'ids', 'by-uuid': 'uuids', 'by-label': 'labels' }
  for (const l of disk) {
    const [dir = '', name, target] = l.split('\t')
    const type = TYPES[dir.slice(dir.lastIndexOf('/') + 1)]
    if (type && name && target) add(type, target.slice(target.lastIndexOf('/') + 1), name)
  }
  for (const path of slaves) {
    const e = path.split('/')
    if (e.length >= 6) add('masters', e[5], e[3])
  }
  for (const type of Object.values(out)) for (const list of Object.values(type)) list.sort()
  return out
}

/** `by-id`'s `wwn-…` links: device → the name after `wwn-`. */
function wwns(disk: string[]): Map<string, string> {
  const out = new Map<string, string>()
  for (const l of disk) {
    const [dir = '', name = '', target = ''] = l.split('\t')
    if (dir.endsWith('/by-id') && name.startsWith('wwn-'))
      out.set(target.slice(target.lastIndexOf('/') + 1), name.slice(4))
  }
  return out
}

/** Parse the sections of `BLOCK_SCRIPT` into `ansible_devices`, `ansible_device_links` and `ansible_lvm`. */
export function blockFacts(lines: Lines): Vars {
  const disk = lines('disklinks')
  const links = deviceLinks(disk, lines('slaves'))
  const wwn = wwns(disk)
  // the sysfs values per device (`vda`) and partition (`vda/vda1`), and their holders' names
  const { values: files, lists: holders } = sysfsRecords(lines('blockfiles'), 'holder')
  const dirs = lines('blockdirs').map((l) => l.split('\t'))
  const pci = lines('lspci').join('\n')
  const sg = sgSerials(lines('sginq'))
  const linksOf = (name: string) => Object.fromEntries(Object.entries(links).map(([t, v]) => [t, v[name] ?? []]))
  const devices: Vars = {}
  for (const l of lines('blocks')) {
    const [name, target = ''] = l.split('\t')
    if (!name) continue
    const f = files.get(name) ?? new Map<string, string>()
    const get = (k: string) => f.get(k) ?? null
    // as Ansible's: a device is virtual unless /sys/block holds it as a folder (old kernels) with a device in it
    const hasDevice = [...f.keys()].some((k) => k.startsWith('device/'))
    const d: Vars = { virtual: target || !hasDevice ? 1 : 0, links: linksOf(name) }
    for (const k of ['vendor', 'model', 'sas_address', 'sas_device_handle']) d[k] = get(`device/${k}`)
    const serial = sg ? sg.get(name) : (get('device/serial') ?? undefined)
    if (serial) d.serial = serial
    d.removable = get('removable')
    d.support_discard = get('queue/discard_granularity')
    if (wwn.has(name)) d.wwn = wwn.get(name)
    d.partitions = partitions(name, dirs, files, holders, linksOf)
    d.rotational = get('queue/rotational')
    d.scheduler_mode = /.*?(\[(.*)\])/.exec(get('queue/scheduler') ?? '')?.[2] ?? ''
    d.sectors = get('size') ?? 0
    d.sectorsize = get('queue/logical_block_size') ?? get('queue/hw_sector_size') ?? 512
    d.size = bytesToHuman(Number(d.sectors) * 512)
    d.host = pciHost(`/sys/block/${target || name}`, pci)
    d.holders = holders.get(name) ?? []
    devices[name] = d
  }
  return { ansible_devices: devices, ansible_device_links: links, ansible_lvm: lvmFacts(lines) }
}

/** A device's partitions: its folders whose names hold the device's name and a number, in the folder's order. */
function partitions(
  name: string,
  dirs: string[][],
  files: Map<string, Map<string, string>>,
  holders: Map<string, string[]>,
  linksOf: (name: string) => Vars,
): Vars {
  const out: Vars = {}
  const re = new RegExp(`(${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[p]?\\d+)`)
  for (const [dir = '', folder = ''] of dirs) {
    if (dir !== `/sys/block/${name}`) continue
    const part = re.exec(folder)?.[1]
    if (!part) continue
    const f = files.get(`${name}/${folder}`) ?? new Map<string, string>()
    const sectors = f.get('size') ?? 0
    const uuids = (linksOf(part).uuids as string[]) ?? []
    out[part] = {
      links: linksOf(part),
      start: f.get('start') ?? 0,
      sectors,
      sectorsize: f.get('queue/logical_block_size') ?? f.get('queue/hw_sector_size') ?? 512,
      size: bytesToHuman(Number(sectors) * 512),
      uuid: uuids[0] ?? null,
      holders: holders.get(`${name}/${folder}`) ?? [],
    }
  }
  return out
}

/** Per device, the serial `sg_inq` names; undefined when sg_inq is not installed (the section is missing). */
function sgSerials(l: string[]): Map<string, string> | undefined {
  if (!l.length) return undefined
  const out = new Map<string, string>()
  let dev = ''
  for (const line of l) {
    if (line.startsWith('=sg ')) dev = line.slice(4)
    const m = /(?:Unit serial|Serial) number:\s+(\w+)/.exec(line)
    if (m && dev && !out.has(dev)) out.set(dev, m[1])
  }
  return out
}

/** The `lspci -D` line of the PCI function a device's sysfs path runs through (`''` when none). */
function pciHost(sysdir: string, pci: string): string {
  const id = /.+\/([a-f0-9]{4}:[a-f0-9]{2}:[0|1][a-f0-9]\.[0-7])\//.exec(sysdir)?.[1]
  if (!id || !pci) return ''
  return new RegExp(`^${id.replace(/[.]/g, '\\.')}\\s(.*)$`, 'm').exec(pci)?.[1] ?? ''
}

/** Ansible's `lvm`: `N/A` unless the gathering user is root and LVM's `vgs` is installed. */
function lvmFacts(lines: Lines): Vars | string {
  if (lines('lvm')[0] !== 'on') return 'N/A'
  const rows = (k: string) =>
    lines(k)
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => l.split(','))
  const vgs: Vars = {}
  for (const i of rows('vgs'))
    vgs[i[0]] = { size_g: i[i.length - 2], free_g: i[i.length - 1], num_lvs: i[2], num_pvs: i[1] }
  const lvs: Vars = {}
  for (const i of rows('lvs')) lvs[i[0]] = { size_g: i[3], vg: i[1] }
  const mapper = new Map(lines('dm').map((l) => l.split('\t') as [string, string]))
  const pvs: Vars = {}
  for (const i of rows('pvs')) {
    const dm = mapper.get(i[0])?.trimEnd()
    pvs[i[0].startsWith('/dev/dm-') && dm ? `/dev/mapper/${dm}` : i[0]] = { size_g: i[4], free_g: i[5], vg: i[1] }
  }
  return { lvs, vgs, pvs }
}
