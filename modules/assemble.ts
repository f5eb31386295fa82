/**
 * `assemble`: build a file from the fragments in a folder, as Ansible's `assemble` does: the folder's regular files
 * in name order (only names matching `regexp`, a Python regex searched in the name; no dot-files with
 * `ignore_hidden`), a newline after a fragment that does not end with one, `delimiter` (its escapes such as `\n`
 * decoded, a newline added when it has none at its end) between fragments. The folder is on the host (default), or
 * on the controller with `remote_src: false` (a relative `src` is looked up in the role's and playbook's `files/`;
 * vaulted fragments there are decrypted unless `decrypt: false`, as Ansible's).
 * The result is written as `copy` writes (atomically, `validate` with `%s` on the new file first, `backup`,
 * `mode`/`owner`/`group`). Changed when the content or an attribute differs.
 *
 * @example
 * ```yaml
 * - assemble: { src: /etc/ssh/sshd_config.d, dest: /etc/ssh/sshd_config, validate: "/usr/sbin/sshd -t -f %s" }
 * - assemble: { src: fragments, remote_src: false, dest: /etc/app.conf, delimiter: "### part", mode: "0644" }
 * ```
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { sh } from '../engine/commands.js'
import { defineModule, ModuleFailure, type HostIO, type ModuleContext } from '../engine/module.js'
import { decryptIfVaulted } from '../engine/vault/keyring.js'
import type { Command, CommandResult } from '../engine/types.js'
import { attrArgs, backupArg } from './lib/args.js'
import { attributesArg } from './lib/chattr.js'
import { contextArgs } from './lib/contexts.js'
import { findSource } from './lib/files.js'
import { gatherPut, planPut, type PutState } from './lib/put.js'
import { pyRegExp } from './lib/pyre.js'
import { ALL_CODES } from './lib/run.js'
import { addPathInfo } from './lib/pathinfo.js'

const Args = Type.Object(
  {
    src: Type.String({
      minLength: 1,
      description: 'The folder of fragments (on the host unless `remote_src: false`).',
    }),
    dest: Type.String({ minLength: 1, description: 'The file to build.' }),
    remote_src: Defaulted(
      Type.Boolean({ default: true, description: 'The folder is on the host; false: on the controller.' }),
    ),
    regexp: Type.Optional(Type.String({ description: 'Only fragments whose names match (a Python regex, searched).' })),
    delimiter: Type.Optional(Type.String({ description: 'Put between fragments (`\\n` and other escapes decoded).' })),
    ignore_hidden: Defaulted(Type.Boolean({ default: false, description: 'Leave out fragments named `.*`.' })),
    decrypt: Defaulted(
      Type.Boolean({
        default: true,
        description: 'With `remote_src: false`: vaulted fragments are decrypted (false: taken as they are).',
      }),
    ),
    validate: Type.Optional(
      Type.String({ description: 'Command to check the new file before it replaces the old one; `%s` is its path.' }),
    ),
    ...attrArgs,
    ...attributesArg,
    ...contextArgs,
    ...backupArg,
  },
  { additionalProperties: false },
)
type Args = ModuleArgs<typeof Args>

/** A fragment: its name and bytes. */
export interface Fragment {
  name: string
  content: Buffer
}

/** Exit 3: missing; 4: not a folder. Else two base64 lines per regular file (following links): name, content. */
const READ = [
  '[ -e "$1" ] || exit 3; [ -d "$1" ] || exit 4; cd -- "$1" || exit 5',
  'for f in * .*; do [ -f "$f" ] || continue; printf "%s\\n" "$f" | base64 -w0; echo; base64 -w0 < "$f"; echo; done',
].join('\n')

/** The read-only command reading the host folder's fragments. */
export function readFragmentsCommand(src: string): Command {
  return sh(READ, [src], { okCodes: ALL_CODES, describe: `read the fragments in ${src}` })
}

/** The fragments from the command's output, or Ansible's failure. Pure. */
export function parseFragments(src: string, r: CommandResult): Fragment[] {
  if (r.rc === 3) throw new ModuleFailure(`Source (${src}) does not exist`)
  if (r.rc === 4) throw new ModuleFailure(`Source (${src}) is not a directory`)
  if (r.rc !== 0) throw new ModuleFailure(`cannot read ${src} (rc ${r.rc}): ${r.stderr.trim()}`)
  const lines = r.stdout.split('\n')
  const out: Fragment[] = []
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const name = Buffer.from(lines[i], 'base64').toString('utf8').replace(/\n$/, '')
    out.push({ name, content: Buffer.from(lines[i + 1], 'base64') })
  }
  return out
}

/** Python's `codecs.escape_decode` for the common escapes (`\n`, `\t`, `\\`, `\xNN`, octal). */
export function decodeEscapes(s: string): Buffer {
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07' }
  Object.assign(simple, { b: '\b', f: '\f', v: '\v', '\n': '' })
  const out = s.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.|\n)/g, (m, e: string) => {
    if (e.startsWith('x') && e.length === 3) return String.fromCharCode(parseInt(e.slice(1), 16))
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8) & 0xff)
    return simple[e] ?? m
  })
  return Buffer.from(out, 'latin1')
}

/** The assembled file, as Ansible builds it. Pure. */
export function assemble(
  fragments: readonly Fragment[],
  a: Pick<Args, 'regexp' | 'delimiter' | 'ignore_hidden'>,
): Buffer {
  const re = a.regexp !== undefined ? pyRegExp(a.regexp) : undefined
  const parts: Buffer[] = []
  let first = true
  let needNewline = false
  const sorted = [...fragments].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
  for (const f of sorted) {
    if (re && !re.test(f.name)) continue
    if (a.ignore_hidden && f.name.startsWith('.')) continue
    if (needNewline) parts.push(Buffer.from('\n'))
    if (!first && a.delimiter) {
      const d = decodeEscapes(a.delimiter)
      parts.push(d)
      if (d.at(-1) !== 10) parts.push(Buffer.from('\n'))
    }
    parts.push(f.content)
    first = false
    needNewline = f.content.at(-1) !== 10
  }
  return Buffer.concat(parts)
}

/** The controller folder's regular files (links followed), as fragments; vaulted ones decrypted with `decrypt`. */
async function localFragments(src: string, ctx: ModuleContext, decrypt: boolean): Promise<Fragment[]> {
  const dir = src.startsWith('/') ? src : await findFolder(src, ctx)
  const st = await stat(dir).catch(() => undefined)
  if (!st) throw new ModuleFailure(`Source (${src}) does not exist`)
  if (!st.isDirectory()) throw new ModuleFailure(`Source (${src}) is not a directory`)
  const out: Fragment[] = []
  for (const name of await readdir(dir)) {
    const p = join(dir, name)
    if (!(await stat(p).catch(() => undefined))?.isFile()) continue
    const bytes = await readFile(p)
    out.push({ name, content: decrypt ? decryptIfVaulted(bytes, p) : bytes })
  }
  return out
}

/** A relative controller folder, looked up as a `files/` source (folders found too). */
async function findFolder(src: string, ctx: ModuleContext): Promise<string> {
  try {
    return await findSource(src, ctx.searchPaths, 'files', true)
  } catch {
    throw new ModuleFailure(`Source (${src}) does not exist`)
  }
}

async function gatherAssemble(a: Args, ctx: ModuleContext, io: HostIO): Promise<PutState> {
  if (a.validate !== undefined && !a.validate.includes('%s'))
    throw new ModuleFailure(`validate must contain %s: ${a.validate}`)
  if (a.regexp !== undefined) {
    try {
      pyRegExp(a.regexp)
    } catch (e) {
      throw new ModuleFailure(`Invalid Regexp (${e instanceof Error ? e.message : String(e)}) in "${a.regexp}"`)
    }
  }
  const fragments = a.remote_src
    ? parseFragments(a.src, await io.run(readFragmentsCommand(a.src)))
    : await localFragments(a.src, ctx, a.decrypt)
  return gatherPut(io, ctx, { dest: a.dest, content: assemble(fragments, a), attributes: a.attributes !== undefined })
}

export default defineModule({
  name: 'assemble',
  summary: 'Build a file from the fragments in a folder (on the host or the controller)',
  schema: Args,
  changedWhen: "the assembled content or the file's mode/owner/group differs",
  check: 'full',
  example: 'assemble: { src: /etc/app.conf.d, dest: /etc/app.conf, mode: "0644" }',
  pathInfo: addPathInfo,
  gather: (args: Args, ctx, io) => gatherAssemble(args, ctx, io),
  plan(state, args, ctx) {
    const p = planPut(state, args, ctx.checkMode)
    return { ...p, data: { ...p.data, src: args.src, msg: 'OK' } }
  },
  // the write is atomic: when it failed (validation, say) the file is as it was, as Ansible reports it
  after: (_state, _args, results) => (results.some((r) => r.rc !== 0) ? { changed: false } : {}),
})
