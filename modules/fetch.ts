/**
 * `fetch`: copy a file from the host to the controller, as Ansible's `fetch`. The file lands in
 * `DEST/<inventory_hostname>/<src path>` (so files of many hosts never collide), or at `dest` itself with
 * `flat: true` (a `dest` ending in `/` gets the file's name). A relative `dest` is relative to the playbook's
 * folder. Changed when the controller's copy differs (SHA-1) from the host's; `validate_checksum` checks the copy
 * after writing. A missing file fails the task unless `fail_on_missing: false`. Check mode reports the change
 * without writing.
 *
 * @example
 * ```yaml
 * - fetch: { src: /etc/hydra/hydra.conf, dest: backups/ }   # → backups/pi1/etc/hydra/hydra.conf
 * - fetch: { src: /root/.ssh/id_ed25519.pub, dest: "keys/{{ inventory_hostname }}.pub", flat: true }
 * ```
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, normalize, resolve } from 'node:path'
import { Type, type Static } from '@sinclair/typebox'
import { sh } from '../engine/commands.js'
import {
  defineModule,
  ModuleFailure,
  type AfterResult,
  type HostIO,
  type ModuleContext,
  type Plan,
} from '../engine/module.js'
import { ALL_CODES } from './lib/run.js'
import { slurpCommand, slurpResult } from './slurp.js'

const Args = Type.Object(
  {
    src: Type.String({ description: 'The file on the host (a file, not a folder).' }),
    dest: Type.String({ description: 'Folder on the controller (or the file itself with `flat: true`).' }),
    flat: Type.Optional(
      Type.Boolean({ default: false, description: 'Write to `dest` itself instead of `DEST/<host>/<src path>`.' }),
    ),
    fail_on_missing: Type.Optional(
      Type.Boolean({ default: true, description: 'Fail when `src` does not exist (else ok, nothing fetched).' }),
    ),
    validate_checksum: Type.Optional(
      Type.Boolean({ default: true, description: 'Check the copy against the host’s SHA-1 after writing.' }),
    ),
  },
  { additionalProperties: false },
)
type Args = Static<typeof Args>

/** Facts: the host file's SHA-1 (or why there is none) and the controller copy's, at the computed path. */
export interface FetchState {
  remote: { sha1: string } | { missing: string }
  dest: string
  local?: string
  /** The controller copy's MD5, when it exists. */
  localMd5?: string
}

/** Exit 3: missing, 4: a folder, 5: unreadable; else `sha1sum`'s line. */
const SUM = '[ -e "$1" ] || exit 3; [ -d "$1" ] && exit 4; [ -r "$1" ] || exit 5; sha1sum -- "$1"'
const MISSING: Record<number, string> = {
  3: 'the remote file does not exist',
  4: 'remote file is a directory, fetch cannot work on directories',
  5: 'no read permission on remote file',
}

/** Where the copy goes on the controller, as Ansible computes it. Pure. */
export function fetchDest(a: Args, host: string, playbookDir: string): string {
  const src = a.src.replace(/\\/g, '/')
  const base = (d: string) => (isAbsolute(d) ? d : resolve(playbookDir, d))
  if (!a.flat) return normalize(`${base(a.dest)}/${host}/${src}`)
  return normalize(base(a.dest.endsWith('/') ? join(a.dest, basename(src)) : a.dest))
}

const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex')

async function localSums(path: string): Promise<{ local?: string; localMd5?: string }> {
  try {
    const bytes = await readFile(path)
    return { local: sha1(bytes), localMd5: createHash('md5').update(bytes).digest('hex') }
  } catch {
    return {}
  }
}

async function gather(a: Args, ctx: ModuleContext, io: HostIO): Promise<FetchState> {
  const dest = fetchDest(a, ctx.host, String(ctx.vars.playbook_dir ?? process.cwd()))
  const r = await io.run(sh(SUM, [a.src], { okCodes: ALL_CODES, describe: `checksum ${a.src}` }))
  const remote = MISSING[r.rc]
    ? { missing: MISSING[r.rc] }
    : r.rc === 0
      ? { sha1: r.stdout.split(' ')[0] }
      : { missing: `unable to calculate the checksum of the remote file: ${r.stderr.trim()}` }
  return { remote, dest, ...(await localSums(dest)) }
}

/** Plan: fail or skip a missing file, ok when the copies agree, else a change (written by `apply`). Pure. */
export function planFetch(f: FetchState, a: Args): Plan {
  const data = { file: a.src, dest: f.dest }
  if ('missing' in f.remote) {
    if (a.fail_on_missing !== false) return { commands: [], fail: f.remote.missing, data }
    const msg = `${f.remote.missing}, not transferring, ignored`
    return { commands: [], changed: false, msg, data }
  }
  // as Ansible's: a copy that agrees names the file and its sums; a fetched one the host's sums, not the file
  if (f.local === f.remote.sha1)
    return { commands: [], changed: false, data: { ...data, checksum: f.local, md5sum: f.localMd5 } }
  const sums = { dest: f.dest, checksum: f.remote.sha1, remote_checksum: f.remote.sha1, remote_md5sum: null }
  return { commands: [], changed: true, changes: [`fetch ${a.src} to ${f.dest}`], data: sums }
}

/** Read the file from the host and write it (atomically) on the controller, where the plan said. */
async function apply(plan: Plan, a: Args, io: HostIO): Promise<AfterResult> {
  if (plan.changed !== true) return {}
  const dest = String(plan.data?.dest)
  const read = slurpResult(a.src, await io.run(slurpCommand(a.src)))
  const bytes = Buffer.from(String(read.content), 'base64')
  const got = sha1(bytes)
  if (a.validate_checksum !== false && got !== plan.data?.remote_checksum)
    throw new ModuleFailure(`checksum mismatch: ${a.src} changed on the host while it was fetched`)
  await mkdir(dirname(dest), { recursive: true })
  const tmp = `${dest}.tsplay-tmp-${process.pid}`
  await writeFile(tmp, bytes)
  await rename(tmp, dest)
  return { data: { checksum: got, md5sum: createHash('md5').update(bytes).digest('hex') } }
}

export default defineModule({
  name: 'fetch',
  summary: 'Copy a file from the host to the controller',
  schema: Args,
  changedWhen: "the controller's copy was missing or differed (SHA-1)",
  check: 'full',
  example: 'fetch: { src: /etc/hydra/hydra.conf, dest: backups/ }',
  // Ansible's fetch action reads the arguments it knows and checks no others (`mode: '0644'` is ignored)
  ignoresUnknownArgs: true,
  gather: (args: Args, ctx, io) => gather(args, ctx, io),
  plan: (f, args) => planFetch(f, args),
  apply: (plan, args, _ctx, io) => apply(plan, args, io),
})
