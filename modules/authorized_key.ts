/**
 * `authorized_key`: add or remove SSH public keys in a user's `~/.ssh/authorized_keys` (or `path`), as Ansible's
 * `ansible.posix.authorized_key` does: keys identified by their blob, `key_options`/`comment` overriding the
 * key's own, `exclusive` removing every other key. On a change the folder is made 0700 and the file 0600, both
 * owned by the user, and the file is written atomically. A `key` starting with `http` is fetched by the controller.
 *
 * @example
 * ```yaml
 * - authorized_key: { user: pi, key: "{{ lookup('file', 'files/admin.pub') }}" }
 * - authorized_key: { user: hydra, key: "ssh-ed25519 AAAA… ci", key_options: 'no-pty,command="/bin/true"' }
 * ```
 */
import { posix } from 'node:path'
import { Type, type Static } from '@sinclair/typebox'
import { sh, writeFile } from '../engine/commands.js'
import { defineModule, ModuleFailure, type Plan } from '../engine/module.js'
import type { Command } from '../engine/types.js'
import { parsePasswd, type PasswdEntry } from './lib/accounts.js'
import { readCommand, textOf } from './lib/files.js'
import { editKeys } from './lib/sshkeys.js'
import { addPathInfo } from './lib/pathinfo.js'

const Args = Type.Object(
  {
    user: Type.String({ minLength: 1, description: 'Whose keys.' }),
    key: Type.String({ description: 'Public key(s), one per line, or an http(s) URL to fetch them from.' }),
    path: Type.Optional(Type.String({ description: 'The keys file (default `~USER/.ssh/authorized_keys`).' })),
    manage_dir: Type.Optional(
      Type.Boolean({ default: true, description: "Create the file's folder (0700, owned by the user) on a change." }),
    ),
    state: Type.Optional(
      Type.Union([Type.Literal('present'), Type.Literal('absent')], {
        default: 'present',
        description: 'Whether the key(s) should be there.',
      }),
    ),
    key_options: Type.Optional(Type.String({ description: 'Options for the key(s) (`no-pty,from="10.0.0.0/8"`).' })),
    exclusive: Type.Optional(Type.Boolean({ default: false, description: 'Remove every key not given here.' })),
    comment: Type.Optional(Type.String({ description: "Comment for the key(s), replacing the key's own." })),
    validate_certs: Type.Optional(
      Type.Boolean({ default: true, description: 'Check the TLS certificate when `key` is an https URL.' }),
    ),
    follow: Type.Optional(
      Type.Boolean({ default: false, description: 'Write through a symlinked keys file instead of replacing it.' }),
    ),
  },
  { additionalProperties: false },
)
type Args = Static<typeof Args>

/** What planning needs. */
export interface KeyFacts {
  /** The user's passwd entry (undefined: no such user). */
  account?: PasswdEntry
  /** The keys file to write (followed when `follow`). */
  keyfile: string
  /** The file's current text ('' when missing). */
  content: string
  /** The keys, fetched when `key` is a URL. */
  key: string
  sshdirExists: boolean
  parentExists: boolean
}

/** The keys file and its folder for `a`. */
export function keyPaths(a: Args, home: string | undefined): { keyfile?: string; sshdir?: string } {
  if (a.path !== undefined) return { keyfile: a.path, sshdir: posix.dirname(a.path) }
  if (home === undefined) return {}
  return { keyfile: posix.join(home, '.ssh', 'authorized_keys'), sshdir: posix.join(home, '.ssh') }
}

/** Decide. Pure. */
export function planKeys(f: KeyFacts, a: Args, checkMode = false): Plan {
  // the arguments as Ansible echoes them (unset ones as null); its owner, mode and size are added for a `path`
  const unset = { path: a.path ?? null, comment: a.comment ?? null, key_options: a.key_options ?? null }
  const data = { ...a, ...unset, keyfile: f.keyfile }
  const fail = (msg: string): Plan => ({ commands: [], fail: msg })
  if (!f.account && !(checkMode && a.path !== undefined)) {
    return fail(
      checkMode
        ? 'Either user must exist or you must provide full path to key file in check mode'
        : `Failed to lookup user ${a.user}: 'getpwnam(): name not found: ${a.user}'`,
    )
  }
  let r
  try {
    r = editKeys(f.content, f.key, { ...a, state: a.state ?? 'present' })
  } catch (e) {
    return fail((e as Error).message)
  }
  if (!r.changed) return { commands: [], data }
  const commands: Command[] = []
  const id = f.account ? `${f.account.uid}:${f.account.gid}` : undefined
  const sshdir = a.path !== undefined ? posix.dirname(a.path) : posix.dirname(f.keyfile)
  if ((a.manage_dir ?? true) && id) {
    if (!f.sshdirExists) commands.push({ argv: ['mkdir', '-m', '0700', '--', sshdir], describe: `create ${sshdir}/` })
    commands.push({ argv: ['chown', '--', id, sshdir] }, { argv: ['chmod', '0700', '--', sshdir] })
  }
  const parent = posix.dirname(f.keyfile)
  if (!f.parentExists && !((a.manage_dir ?? true) && parent === sshdir))
    commands.push({ argv: ['mkdir', '-p', '--', parent], describe: `create ${parent}/` })
  const [uid, gid] = id ? id.split(':') : []
  commands.push(writeFile(f.keyfile, r.content, { mode: '0600', owner: uid, group: gid }))
  return {
    commands,
    changes: [`${a.state === 'absent' ? 'remove' : 'add'} key(s) in ${f.keyfile}`],
    data,
    diff: [{ path: f.keyfile, before: f.content, after: r.content }],
  }
}

const LOCATE = 'if [ -n "$2" ]; then readlink -f -- "$1" || printf "%s\\n" "$1"; else printf "%s\\n" "$1"; fi'

async function fetchKey(url: string): Promise<string> {
  try {
    const res = await fetch(url)
    if (res.status !== 200) throw new Error(String(res.status))
    return await res.text()
  } catch {
    throw new ModuleFailure(`Error getting key from: ${url}`)
  }
}

export default defineModule({
  name: 'authorized_key',
  aliases: ['ansible.posix.authorized_key'],
  summary: "Add or remove SSH public keys in a user's authorized_keys",
  schema: Args,
  changedWhen: 'the keys file content changes',
  check: 'full',
  example: 'authorized_key: { user: pi, key: "ssh-ed25519 AAAAC3Nza… admin@laptop" }',
  pathInfo: addPathInfo,
  async gather(args: Args, _ctx, io): Promise<KeyFacts> {
    const key = args.key.startsWith('http') ? await fetchKey(args.key) : args.key
    const [pw] = await io.batch([{ argv: ['getent', 'passwd', '--', args.user], okCodes: [0, 2] }])
    const account = parsePasswd(pw.stdout)
    const { keyfile: given, sshdir } = keyPaths(args, account?.home)
    if (!given || !sshdir) return { account, keyfile: '', content: '', key, sshdirExists: false, parentExists: false }
    const [loc] = await io.batch([sh(LOCATE, [given, args.follow ? '1' : ''])])
    const keyfile = loc.stdout.replace(/\n$/, '') || given
    const [read, dirs] = await io.batch([
      readCommand(keyfile, Infinity),
      sh('[ -d "$1" ] && echo y || echo n; [ -d "$2" ] && echo y || echo n', [sshdir, posix.dirname(keyfile)]),
    ])
    const [s, p] = dirs.stdout.split('\n')
    return { account, keyfile, content: textOf(read) ?? '', key, sshdirExists: s === 'y', parentExists: p === 'y' }
  },
  plan: (facts, args, ctx) => planKeys(facts, args, ctx.checkMode),
})
