/**
 * `known_hosts`: add, replace or remove a host's key in an SSH `known_hosts` file, as Ansible's `known_hosts` does:
 * `ssh-keygen -F` finds the host's lines (hashed names too), a key of the same type is replaced in place of the old
 * line's position (the new line goes last), `hash_host` writes the name hashed. The file is written atomically;
 * `--diff` shows the change. Without `key`, `state=absent` removes every key of the host (`ssh-keygen -R`).
 *
 * @example
 * ```yaml
 * - known_hosts:
 *     name: github.com
 *     key: "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
 * ```
 */
import { createHmac, randomBytes } from 'node:crypto'
import { Type, type Static } from '@sinclair/typebox'
import { sh, writeFile } from '../engine/commands.js'
import { defineModule, type Plan } from '../engine/module.js'
import type { CommandResult } from '../engine/types.js'
import { readCommand, textOf } from './lib/files.js'
import { addPathInfo } from './lib/pathinfo.js'

const Args = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      description: 'The host (as ssh names it: `[host]:port` for another port).',
      aliases: ['host'],
    }),
    key: Type.Optional(
      Type.String({ description: 'The known_hosts line (`HOST TYPE KEY`); required for state=present.' }),
    ),
    path: Type.Optional(Type.String({ default: '~/.ssh/known_hosts', description: 'The known_hosts file.' })),
    hash_host: Type.Optional(Type.Boolean({ default: false, description: 'Write the host name hashed.' })),
    state: Type.Optional(
      Type.Union([Type.Literal('present'), Type.Literal('absent')], {
        default: 'present',
        description: 'Whether the key should be there.',
      }),
    ),
  },
  { additionalProperties: false },
)
type Args = Static<typeof Args>

/** What planning needs (read with ssh-keygen on the host). */
export interface KnownFacts {
  /** The file, `~` expanded on the host. */
  path: string
  exists: boolean
  content: string
  /** `ssh-keygen -F NAME -f PATH`. */
  search: CommandResult
  /** `ssh-keygen -F NAME` on the given key alone: empty when the key's host field does not name the host. */
  sanity?: string
  /** The key to write (hashed when `hash_host`), ending in a newline. */
  key?: string
}

/** A known_hosts line as Ansible compares them. */
export function normalize(line: string): Record<string, string> {
  const k = line.trim().split(/\s+/)
  return k[0].startsWith('@')
    ? { options: k[0], host: k[1], type: k[2], key: k[3] }
    : { host: k[0], type: k[1], key: k[2] }
}

/** The key with its host field hashed (`|1|salt|hmac`). */
export function hashHost(host: string, key: string, salt: Buffer): string {
  const parts = key.trim().split(/\s+/)
  const i = parts[0].startsWith('@') ? 1 : 0
  const mac = createHmac('sha1', salt).update(host).digest('base64')
  parts[i] = `|1|${salt.toString('base64')}|${mac}`
  return parts.join(' ')
}

/** Ansible's search: [found, replace_or_add, found_line]. */
export function searchHost(f: KnownFacts): [boolean, boolean, number | undefined] | string {
  if (!f.exists) return [false, false, undefined]
  const { rc, stdout, stderr } = f.search
  if (stdout === '' && stderr === '' && (rc === 0 || rc === 1)) return [false, false, undefined]
  if (rc !== 0) return `ssh-keygen failed (rc=${rc}, stdout='${stdout}',stderr='${stderr}')`
  if (!f.key) return [true, false, undefined]
  const want = normalize(f.key)
  let line: number | undefined
  for (const l of stdout.split('\n')) {
    if (l === '') continue
    if (l.startsWith('#')) {
      const m = /found: line (\d+)/.exec(l)
      if (m) line = Number(m[1])
      continue
    }
    const got = normalize(l)
    if (want.host.startsWith('|1|') && got.host.startsWith('|1|')) want.host = got.host
    const same = Object.keys({ ...want, ...got }).every((k) => want[k] === got[k])
    if (same) return [true, false, line]
    if (want.type === got.type) return [true, true, line]
  }
  return [true, true, undefined]
}

/** Decide. Pure. */
export function planKnown(f: KnownFacts, a: Args): Plan {
  const state = a.state ?? 'present'
  const fail = (msg: string): Plan => ({ commands: [], fail: msg })
  if (!f.key && state !== 'absent') return fail('No key specified when adding a host')
  const host = a.name.toLowerCase()
  if (f.key) {
    if (/\S+(\s+)?,(\s+)?/.test(host))
      return fail(
        'Comma separated list of names is not supported. Please pass a single name to lookup in the known_hosts file.',
      )
    if (!f.sanity) return fail('Host parameter does not match hashed host field in supplied key')
  }
  const s = searchHost(f)
  if (typeof s === 'string') return fail(s)
  const [found, replace, at] = s
  const data = { name: host, key: a.key, path: f.path, hash_host: a.hash_host, state } // expanded, as Ansible's
  if (state === 'absent' && at === undefined && f.key) return { commands: [], data }
  if (found && !f.key && state === 'absent') {
    return {
      commands: [{ argv: ['ssh-keygen', '-R', host, '-f', f.path], describe: `remove ${host} from ${f.path}` }],
      changes: [`remove every key of ${host} from ${f.path}`],
      data,
    }
  }
  if (!replace && found === (state === 'present')) return { commands: [], data }
  const lines = f.content.split(/(?<=\n)/).filter((l) => l !== '')
  const kept = lines.filter((_l, i) => !(at === i + 1 && (replace || state === 'absent')))
  if (state === 'present') kept.push(f.key!)
  const after = kept.join('')
  return {
    commands: [writeFile(f.path, after)],
    changes: [`${state === 'present' ? (replace ? 'replace' : 'add') : 'remove'} the key of ${host} in ${f.path}`],
    data,
    diff: [{ path: f.path, before: f.content, after }],
  }
}

const EXPAND = 'p=$1; case $p in "~") p=$HOME ;; "~/"*) p=$HOME/${p#"~/"} ;; esac; printf "%s\\n" "$p"'
const SANITY =
  't=$(mktemp) || exit 9; printf %s "$2" > "$t"; ssh-keygen -F "$1" -f "$t"; rc=$?; rm -f -- "$t"; exit $rc'
const SEARCH = 'if [ -e "$2" ]; then echo yes; exec ssh-keygen -F "$1" -f "$2"; fi; echo no'

export default defineModule({
  name: 'known_hosts',
  summary: 'Add, replace or remove a host key in an SSH known_hosts file',
  schema: Args,
  changedWhen: 'the known_hosts file changes',
  check: 'full',
  example: 'known_hosts: { name: github.com, key: "github.com ssh-ed25519 AAAAC3…" }',
  pathInfo: addPathInfo,
  async gather(args: Args, _ctx, io): Promise<KnownFacts> {
    const host = args.name.toLowerCase()
    let key = args.key
    if (key && args.hash_host) key = hashHost(host, key, randomBytes(20))
    if (key && !key.endsWith('\n')) key += '\n'
    const [exp] = await io.batch([sh(EXPAND, [args.path ?? '~/.ssh/known_hosts'])])
    const path = exp.stdout.replace(/\n$/, '')
    const [search, read, sanity] = await io.batch([
      { ...sh(SEARCH, [host, path]), okCodes: [0, 1, 255] },
      readCommand(path, Infinity),
      ...(key ? [{ ...sh(SANITY, [host, key]), okCodes: [0, 1, 255] }] : []),
    ])
    const exists = search.stdout.startsWith('yes\n')
    const out = { ...search, stdout: search.stdout.replace(/^(yes|no)\n/, '') }
    return { path, exists, content: textOf(read) ?? '', search: out, sanity: sanity?.stdout, key }
  },
  plan: (facts, args) => planKnown(facts, args),
})
