/**
 * A URL downloaded on the host, as Ansible's modules fetch a URL argument there (`apt` `deb`, `unarchive` `src`
 * with `remote_src`): curl writes it into a new temp folder, which the step that uses the file removes after it
 * (`thenRemove`), or the module removes when no such step runs.
 *
 * @example
 * ```ts
 * const got = await fetchOnHost('http://10.0.0.1/app.tar.gz', io, { module: 'unarchive', name: 'archive' })
 * const install = thenRemove(got.dir, ['tar', '-xf', got.file]) // the folder goes once tar ran
 * ```
 */
import { sh } from '../../engine/commands.js'
import { ModuleFailure, type HostIO } from '../../engine/module.js'
import type { Command } from '../../engine/types.js'
import { ALL_CODES } from './run.js'

/** Is this a URL (`scheme://…`) rather than a path? */
export const isUrl = (s: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(s)

/** Downloads URL $3 with curl (options from $4 on) into a new temp folder as file $2 and prints its path. */
const FETCH = [
  'command -v curl >/dev/null || { echo "$1: a URL needs curl on the host" >&2; exit 127; }',
  'd=$(mktemp -d "${TMPDIR:-/tmp}/tsplay-fetch.XXXXXXXXXX") || exit 4',
  'f=$d/$2; u=$3; shift 3',
  'curl -fsSL "$@" -o "$f" -- "$u" || { rm -rf -- "$d"; exit 5; }',
  'printf %s "$f"',
].join('\n')

/** Runs the command after $1, then removes the folder $1, keeping the command's exit code. */
const THEN_REMOVE = 'd=$1; shift; "$@"; rc=$?; rm -rf -- "$d"; exit $rc'

/** A download on the host: the file, and its temp folder. */
export interface Fetched {
  file: string
  dir: string
}

/** Download `url` on the host; fails the task with Ansible's wording when it cannot. */
export async function fetchOnHost(
  url: string,
  io: HostIO,
  o: { module: string; name: string; validateCerts?: boolean },
): Promise<Fetched> {
  const insecure = o.validateCerts === false ? ['-k'] : []
  const r = await io.run(
    sh(FETCH, [o.module, o.name, url, ...insecure], { describe: `download ${url}`, okCodes: ALL_CODES }),
  )
  if (r.rc !== 0) throw new ModuleFailure(`Failure downloading ${url}: ${r.stderr.trim() || `exit code ${r.rc}`}`)
  return { file: r.stdout, dir: r.stdout.slice(0, r.stdout.lastIndexOf('/')) }
}

/** `argv`, then the download's folder removed (the exit code stays the command's). */
export function thenRemove(dir: string, argv: readonly string[]): string[] {
  return ['sh', '-c', THEN_REMOVE, 'sh', dir, ...argv]
}

/** Remove a download that no step will use. */
export function removeFetched(f: Fetched): Command {
  return { argv: ['rm', '-rf', '--', f.dir], describe: 'remove the download' }
}
