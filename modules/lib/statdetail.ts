/**
 * What `stat` registers beyond the file probe (probe.ts): the chattr flags, read with `lsattr -vd` as Ansible's
 * `get_attributes` reads them (`version`, `attr_flags`, `attributes`; null, '' and [] when lsattr cannot read them,
 * as on tmpfs or for a symlink) in the probe's round trip; and the conversions of stat's numbers that Python makes:
 * a time with nanoseconds as Python's float, a device's major and minor as `st_rdev`.
 *
 * @example
 * ```ts
 * const [probe, flags] = await io.batch([pathProbe(p), lsattrVersion(p)])
 * parseAttributes(flags.stdout) // { version: '2407009726', attr_flags: 'e', attributes: ['extents'] }
 * pythonTime('1796445395.769107300') // 1796445395.7691073
 * ```
 */
import { inShellScript, sh } from '../../engine/commands.js'
import type { Command } from '../../engine/types.js'
import { parseLsattr } from './chattr.js'

/** Ansible's names for lsattr's flag letters. */
const ATTRIBUTE_NAMES: Record<string, string> = {
  A: 'noatime',
  a: 'append',
  c: 'compressed',
  C: 'nocow',
  d: 'nodump',
  D: 'dirsync',
  e: 'extents',
  E: 'encrypted',
  h: 'blocksize',
  i: 'immutable',
  I: 'indexed',
  j: 'journalled',
  N: 'inline',
  s: 'zero',
  S: 'synchronous',
  t: 'notail',
  T: 'blockroot',
  u: 'undelete',
  X: 'compressedraw',
  Z: 'compresseddirty',
}

/** Ansible's chattr fields of a path. */
export interface Attributes {
  version: string | null
  attr_flags: string
  attributes: string[]
}

const SCRIPT = inShellScript('lsattr -vd -- "$1" 2>/dev/null || echo -', [])

/** The read-only command: the path's flags and version (lsattr does not follow a symlink). */
export function lsattrVersion(path: string): Command {
  return sh(SCRIPT, [path], { describe: `lsattr ${path}` })
}

/** Parse `lsattrVersion`'s answer (`2407009726 --------------e------- /x`). */
export function parseAttributes(stdout: string): Attributes {
  const [version, ...rest] = stdout.trim().split(/\s+/)
  if (!rest.length) return { version: null, attr_flags: '', attributes: [] }
  const attr_flags = parseLsattr(rest.join(' '))
  return {
    version,
    attr_flags,
    attributes: [...attr_flags].flatMap((c) => (ATTRIBUTE_NAMES[c] ? [ATTRIBUTE_NAMES[c]] : [])),
  }
}

/** A `%.9Y` time as Python's float: seconds plus nanoseconds × 1e-9, in that order of operations. */
export function pythonTime(text: string): number {
  const [sec, frac = ''] = text.split('.')
  const nsec = Number(frac.padEnd(9, '0').slice(0, 9))
  const s = Number(sec)
  return sec.startsWith('-') ? s - nsec * 1e-9 : s + nsec * 1e-9
}

/** glibc's `makedev`: the `st_rdev` number of a device's major and minor. */
export function makedev(major: number, minor: number): number {
  return (
    (minor & 0xff) +
    (major & 0xfff) * 0x100 +
    Math.floor(minor / 0x100) * 0x100000 +
    Math.floor(major / 0x1000) * 2 ** 44
  )
}
