/**
 * The `hostname` module's strategies that keep the name in a file, as Ansible's `use:` names them: how each reads
 * the permanent name from the file's text and what it writes for a new name. Pure. `alpine`, `sles` and `openbsd`
 * keep the bare name (`/etc/hostname`, `/etc/HOSTNAME`, `/etc/myname`); `redhat` a `HOSTNAME=` line of
 * `/etc/sysconfig/network`; `openrc` and `freebsd` a `hostname="…"` line (`/etc/conf.d/hostname`,
 * `/etc/rc.conf.d/hostname`), and `freebsd` also sets the running name with the `hostname` program. For the others
 * the running name is the file's; `alpine` then has the kernel read it (`hostname -F`).
 *
 * @example
 * ```ts
 * const rule = HOSTNAME_FILES.redhat
 * rule.read('NETWORKING=yes\nHOSTNAME=old\n') // 'old'
 * rule.write('NETWORKING=yes\nHOSTNAME=old\n', 'b1') // 'NETWORKING=yes\nHOSTNAME=b1\n'
 * ```
 */

/** One strategy: its file, and whether the running name is the `hostname` program's rather than the file's. */
export interface HostnameFile {
  path: string
  /** The running name is read and set with the `hostname` program (freebsd). */
  command: boolean
  /** Run after the file is written (alpine: the running name read from it). */
  after?: string[]
  /**
   * The permanent name in the file's text (undefined: no file). Throws `Error` with Ansible's message when the file
   * cannot give one.
   */
  read(text: string | undefined): string
  /** The file's new text for `name`, from its text now (undefined: no file). */
  write(text: string | undefined, name: string): string
}

/** The bare name in a file of its own; a missing file reads as no name. */
const bareName = (path: string, after?: string[]): HostnameFile => ({
  path,
  command: false,
  ...(after ? { after } : {}),
  read: (text) => (text ?? '').trim(),
  write: (_text, name) => `${name}\n`,
})

/** The first `hostname=` line's value, read as Ansible reads it (from the tenth character, quotes stripped). */
function keyLine(path: string, command: boolean, missing: 'empty' | 'fresh'): HostnameFile {
  const lines = (text: string) =>
    text
      .trim()
      .split(/\r\n|\r|\n/)
      .map((l) => l.trim())
  return {
    path,
    command,
    read(text) {
      if (text === undefined) return ''
      const line = lines(text).find((l) => l.startsWith('hostname='))
      if (line === undefined) throw new Error(`Unable to locate a hostname= line in ${path}`)
      return line.slice(10).replace(/^"+|"+$/g, '')
    },
    write(text, name) {
      if (text === undefined && missing === 'fresh') return `hostname="${name}"\n`
      const out = text === undefined || text.trim() === '' ? [] : lines(text)
      const i = out.findIndex((l) => l.startsWith('hostname='))
      if (i >= 0) out[i] = `hostname="${name}"`
      return `${out.join('\n')}\n`
    },
  }
}

const NETWORK = '/etc/sysconfig/network'

/** RedHat's `HOSTNAME=` line of /etc/sysconfig/network (the file must exist and hold one). */
const redhat: HostnameFile = {
  path: NETWORK,
  command: false,
  read(text) {
    for (const raw of (text ?? '').split(/(?<=\n)/)) {
      const line = raw.trim()
      if (!line.startsWith('HOSTNAME')) continue
      const parts = line.split('=')
      if (parts.length !== 2) throw new Error(`failed to read hostname: cannot read the line "${line}" of ${NETWORK}`)
      return parts[1].trim()
    }
    throw new Error(`Unable to locate HOSTNAME entry in ${NETWORK}`)
  },
  write(text, name) {
    let found = false
    const lines = (text ?? '').split(/(?<=\n)/).filter((l) => l !== '')
    const out = lines.map((l) => {
      if (!l.trim().startsWith('HOSTNAME')) return l
      found = true
      return `HOSTNAME=${name}\n`
    })
    return out.join('') + (found ? '' : `HOSTNAME=${name}\n`)
  },
}

/** The strategies that keep the name in a file, by `use:`. */
export const HOSTNAME_FILES = {
  // Ansible 2.14 runs `hostname -F` before it writes the file, which sets the running name to the old one
  alpine: bareName('/etc/hostname', ['hostname', '-F', '/etc/hostname']),
  sles: bareName('/etc/HOSTNAME'),
  openbsd: bareName('/etc/myname'),
  redhat,
  openrc: keyLine('/etc/conf.d/hostname', false, 'empty'),
  freebsd: keyLine('/etc/rc.conf.d/hostname', true, 'fresh'),
} satisfies Record<string, HostnameFile>

export type HostnameFileUse = keyof typeof HOSTNAME_FILES

/** `use:` values that are for other systems, and why tsplay (and Ansible, on Linux) cannot use them. */
export const OTHER_SYSTEMS: Record<string, string> = {
  generic: "Ansible's generic strategy has no way to read or write the name (Ansible fails on it too)",
  solaris: 'it is for Solaris hosts (svccfg)',
  darwin: 'it is for macOS hosts (scutil)',
  macos: 'it is for macOS hosts (scutil)',
  macosx: 'it is for macOS hosts (scutil)',
}
