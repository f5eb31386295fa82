/**
 * Parsers for the apt module's state: `dpkg-query -W -f '${Package}\t${db:Status-Abbrev}\t${Version}\n'`
 * and `apt-cache policy`. Pure functions over real command output.
 *
 * @example
 * ```ts
 * parseDpkgQuery('git\tii \t1:2.39.5-0+deb12u2\n').get('git') // { status: 'ii', version: '1:2.39.5-0+deb12u2' }
 * ```
 */

/** One package as dpkg knows it. */
export interface DpkgState {
  /** Two letters: wanted + current status (`ii` installed, `rc` removed with config files, `un` unknown). */
  status: string
  version: string
}

/** One package as apt-cache policy shows it. */
export interface AptPolicy {
  installed?: string
  candidate?: string
  /** Every version in the version table. */
  versions: string[]
}

/** Parse `dpkg-query -W -f '${Package}\t${db:Status-Abbrev}\t${Version}\n'`. */
export function parseDpkgQuery(stdout: string): Map<string, DpkgState> {
  const out = new Map<string, DpkgState>()
  for (const line of stdout.split('\n')) {
    const [name, status, version] = line.split('\t')
    if (!name || status === undefined) continue
    out.set(name.replace(/:[a-z0-9]+$/, ''), { status: status.trim(), version: (version ?? '').trim() })
    out.set(name, { status: status.trim(), version: (version ?? '').trim() })
  }
  return out
}

/** Installed in dpkg's sense (unpacked and configured; held packages too). */
export function isInstalled(s: DpkgState | undefined): boolean {
  return !!s && /^[ihu]i$/.test(s.status.slice(0, 2)) && s.version !== ''
}

/** Parse `apt-cache policy NAME…` into a map by package name. Unknown names are simply absent. */
export function parseAptPolicy(stdout: string): Map<string, AptPolicy> {
  const out = new Map<string, AptPolicy>()
  let cur: AptPolicy | undefined
  let inTable = false
  for (const line of stdout.split('\n')) {
    const head = /^(\S+):$/.exec(line)
    if (head) {
      cur = { versions: [] }
      inTable = false
      out.set(head[1], cur)
      continue
    }
    if (!cur) continue
    const field = /^\s+(Installed|Candidate): (.*)$/.exec(line)
    if (field) {
      const v = field[2].trim()
      if (v !== '(none)') cur[field[1] === 'Installed' ? 'installed' : 'candidate'] = v
      continue
    }
    if (/^\s+Version table:/.test(line)) {
      inTable = true
      continue
    }
    const ver = /^ (?:\*\*\*| {3}) (\S+) (-?\d+)$/.exec(line)
    if (inTable && ver) cur.versions.push(ver[1])
  }
  return out
}

/** Split `pkg=version` (version may be empty). */
export function splitSpec(spec: string): { name: string; version?: string } {
  const i = spec.indexOf('=')
  return i < 0 ? { name: spec } : { name: spec.slice(0, i), version: spec.slice(i + 1) }
}

/** Debian package name (optionally `:arch`), optionally `=version`. */
export const PKG_SPEC_RE = /^[a-z0-9][a-z0-9+.-]*(:[a-z0-9-]+)?(=[A-Za-z0-9.+~:_-]+)?$/

/** Packages apt-get's simulation (`-s`) says it would remove (`Remv NAME [...]`). */
export function parseSimulatedRemovals(stdout: string): string[] {
  return [...stdout.matchAll(/^Remv (\S+)/gm)].map((m) => m[1])
}
