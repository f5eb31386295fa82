/**
 * `apt_key`: add or remove a key of apt's keyrings with `apt-key`, as Ansible's `apt_key` does (apt-key is
 * deprecated in Debian 12 but there). The key comes from `file`, `data`, `url` (downloaded on the host with curl)
 * or a `keyserver`; without `id` its id is read from the key with `gpg --with-colons`. The keyring (`keyring`, or
 * apt's) is listed with `apt-key adv --list-public-keys` and compared by the id's last 16 digits (8 for a short
 * id); after a change it is listed again, and a key still missing (a subkey's id) or still there fails, as in
 * Ansible. Changed when the key was added or removed.
 *
 * @example
 * ```yaml
 * - apt_key: { url: "https://example.org/archive.asc", keyring: /etc/apt/trusted.gpg.d/example.gpg }
 * - apt_key: { id: 0123456789ABCDEF0123456789ABCDEF01234567, state: absent }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { argRules } from '../engine/argrules.js'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { defineModule, type HostIO, type Plan } from '../engine/module.js'
import type { Command } from '../engine/types.js'
import { aptKey, downloadKey, gpgShow, listKeys, parseDownload, parseKeyId, parseKeys } from './lib/aptkey.js'

const Args = Type.Object(
  {
    id: Type.Optional(
      Type.String({ description: 'The key id (8, 16 or 40 hex digits); read from the key if not given.' }),
    ),
    url: Type.Optional(Type.String({ description: 'Download the key from this URL (on the host).' })),
    data: Type.Optional(Type.String({ description: 'The key itself (armored).' })),
    file: Type.Optional(Type.String({ description: 'A key file on the host.' })),
    keyserver: Type.Optional(Type.String({ description: 'Fetch the key `id` from this keyserver.' })),
    keyring: Type.Optional(Type.String({ description: "The keyring file to change (apt's own when not given)." })),
    validate_certs: Defaulted(Type.Boolean({ default: true, description: "Check the URL's TLS certificate." })),
    state: Defaulted(
      Type.Union([Type.Literal('present'), Type.Literal('absent')], {
        default: 'present',
        description: 'Whether the keyring holds the key.',
      }),
    ),
  },
  { additionalProperties: false, ...argRules({ mutually_exclusive: [['data', 'file', 'keyserver', 'url']] }) },
)
type Args = ModuleArgs<typeof Args>

/** What gather read: the key's id (given or read from the key), its bytes, the keyring's keys; or a failure. */
export interface AptKeyState {
  id?: string
  /** The key to give `apt-key add -` (from `data`, or downloaded when `id` was not given). */
  bytes?: Uint8Array
  /** The keyring's key ids (8 digits long for a short `id`). */
  keys: string[]
  fail?: string
}

const NO_ERROR = (what: string) =>
  `apt-key did not return an error, but ${what} (check that the id is correct and *not* a subkey)`

/** Decide. Pure. `check`: in check mode a key with no source is only reported changed, as Ansible reports it. */
export function planAptKey(s: AptKeyState, a: Args, check = false): Plan {
  if (s.fail) return { commands: [], fail: s.fail }
  const kid = parseKeyId(s.id)
  if (!kid) return { commands: [], fail: 'Invalid key_id', data: { id: s.id } }
  const short = kid.full.length === 8
  const data = { id: s.id, short_id: kid.short, fp: kid.long, key_id: kid.full, before: s.keys }
  const where = a.keyring ?? "apt's keyring"
  if (a.state === 'present') {
    let commands: Command[]
    if (s.keys.includes(short ? kid.short : kid.long)) return { commands: [], data }
    const add = (stdin?: Uint8Array) => aptKey(a.keyring, ['add', '-'], `add key ${kid.full} to ${where}`, stdin)
    if (a.file) commands = [aptKey(a.keyring, ['add', a.file], `add ${a.file} to ${where}`)]
    else if (a.keyserver)
      commands = [aptKey(a.keyring, ['adv', '--no-tty', '--keyserver', a.keyserver, '--recv', kid.full])]
    else if (a.data !== undefined || s.bytes) commands = [add(s.bytes ?? new TextEncoder().encode(a.data))]
    else if (a.url) commands = [downloadKey(a.url, a.validate_certs), add()]
    else if (check) return { commands: [], changed: true, data }
    else return { commands: [], fail: `the key ${kid.full} is not in ${where} and nothing says where to get it`, data }
    return { commands, changed: true, changes: [`add key ${kid.full} to ${where}`], data }
  }
  if (!s.keys.includes(kid.long)) return { commands: [], data }
  // the short id: apt-key del of older apt takes no other length
  const commands = [aptKey(a.keyring, ['del', kid.short], `remove key ${kid.full} from ${where}`)]
  return { commands, changed: true, changes: [`remove key ${kid.full} from ${where}`], data }
}

/** Read the key's id from its source when `id` is not given, then the keyring's keys (in Ansible's order). */
async function gather(a: Args, io: HostIO): Promise<AptKeyState> {
  let id = a.id
  let bytes: Uint8Array | undefined
  const failed = (fail: string): AptKeyState => ({ keys: [], fail })
  if (!id) {
    if (a.keyserver) return failed('Missing key_id, required with keyserver.')
    if (a.url) {
      const d = parseDownload(a.url, await io.run(downloadKey(a.url, a.validate_certs)))
      if ('fail' in d) return failed(d.fail)
      bytes = d.bytes
    } else if (a.data) bytes = new TextEncoder().encode(a.data)
    if (a.file || bytes?.length) {
      const r = await io.run(a.file ? gpgShow(a.file) : gpgShow('-', bytes))
      if (r.rc !== 0) return failed(`Unable to extract key from '${a.file ?? 'inline data'}': ${r.stderr.trim()}`)
      id = parseKeys(r.stdout)[0]
    }
  }
  const kid = parseKeyId(id)
  if (!kid) return { id, keys: [] } // the plan fails; the keyring is not listed (apt-key would create it)
  const r = await io.run(listKeys(a.keyring))
  if (r.rc !== 0) return failed(`Unable to list public keys: ${r.stderr.trim()}`)
  return { id, bytes, keys: parseKeys(r.stdout, kid.full.length === 8) }
}

export default defineModule({
  name: 'apt_key',
  summary: "Add or remove a key of apt's keyrings (apt-key)",
  schema: Args,
  changedWhen: 'the key was added to or removed from the keyring',
  check: 'full',
  example: 'apt_key: { url: "https://example.org/archive.asc", keyring: /etc/apt/trusted.gpg.d/example.gpg }',
  gather: (args, _ctx, io) => gather(args, io),
  plan: (state, args, ctx) => planAptKey(state, args, ctx.checkMode),
  async apply(plan, a, _ctx, io) {
    if (!plan.commands.length) return {}
    let bytes: Uint8Array | undefined
    // a failed command reports no change, as Ansible's; a key missing after the change does (Ansible's check)
    for (const cmd of plan.commands) {
      if (cmd.argv[0] === 'sh') {
        const d = parseDownload(a.url ?? '', await io.run(cmd))
        if ('fail' in d) return { fail: d.fail, changed: false }
        bytes = d.bytes
        continue
      }
      const c = cmd.argv.at(-1) === '-' && cmd.stdin === undefined ? { ...cmd, stdin: bytes } : cmd
      // a keyserver is asked up to 5 times, as Ansible asks
      let r = await io.run(c)
      for (let i = 1; i < 5 && r.rc !== 0 && a.keyserver; i++) r = await io.run(c)
      if (r.rc !== 0)
        return { fail: `${c.describe ?? c.argv.join(' ')} failed (rc ${r.rc}): ${r.stderr.trim()}`, changed: false }
    }
    const kid = parseKeyId(String(plan.data?.key_id))!
    const listed = await io.run(listKeys(a.keyring))
    const after = parseKeys(listed.stdout, kid.full.length === 8)
    if (a.state === 'present' && !after.includes(kid.full.length === 8 ? kid.short : kid.long))
      return { fail: NO_ERROR('failed to add the key'), data: { after } }
    if (a.state === 'absent' && after.includes(kid.long))
      return { fail: NO_ERROR('the key was not removed'), data: { after } }
    return { data: { after } }
  },
})
