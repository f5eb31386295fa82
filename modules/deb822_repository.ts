/**
 * `deb822_repository`: write (or remove) an apt source in deb822 form, /etc/apt/sources.list.d/SLUG.sources, as
 * Ansible's `deb822_repository` documents it. SLUG is `name` lower-cased, runs of `_` and blanks made `-`, other
 * characters than `a-z0-9-` dropped. The fields are written in the order of the arguments' names (`X-Repolib-Name`
 * for `name`, `URIs` for `uris`, others title-cased with `-`): booleans as yes/no, lists space-separated, a
 * multi-line value (an armored key in `signed_by`) indented on the lines below, a blank line as ` .`. The file is
 * written atomically with `mode` (0644); changed when its content or mode differs. `state: absent` removes the file
 * and /etc/apt/keyrings/SLUG.asc and SLUG.gpg. No cache update: run `apt` with `update_cache` on change.
 *
 * The module is ansible-core 2.15's (newer than the 2.14 oracle this project compares against): no 2.14 oracle
 * exists for it, and it follows the module's source. A `signed_by` URL is fetched on the host into
 * /etc/apt/keyrings/SLUG.asc or .gpg (`lib/signedby.ts`), with apt's `apt-helper` where Ansible uses Python;
 * `install_python_debian` is accepted and ignored, and written into no field.
 *
 * @example
 * ```yaml
 * - deb822_repository:
 *     name: backports
 *     uris: http://deb.debian.org/debian
 *     suites: bookworm-backports
 *     components: [main]
 *     signed_by: /usr/share/keyrings/debian-archive-keyring.gpg
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { sh, writeFile } from '../engine/commands.js'
import { defineModule, type Plan } from '../engine/module.js'
import type { Command, CommandResult } from '../engine/types.js'
import { wantedMode } from './lib/attrs.js'
import {
  fetchKeyCommand,
  isFileCommand,
  isKeyUrl,
  keyFiles,
  type KeyState,
  parseKeyFetch,
  planKey,
} from './lib/signedby.js'
import { addPathInfo } from './lib/pathinfo.js'

const bool = (description: string) => Type.Optional(Type.Boolean({ description }))
const list = (description: string) => Type.Optional(Type.Array(Type.String(), { description }))

/** The deb822 fields, by argument name (their order in the file is this alphabetical order). */
const FIELDS = {
  allow_downgrade_to_insecure: bool('Allow downgrading a package that was authenticated to an unauthenticated one.'),
  allow_insecure: bool('Allow insecure repositories.'),
  allow_weak: bool('Allow repositories signed with a key using a weak digest algorithm.'),
  architectures: list('Architectures to search within the repository.'),
  by_hash: bool('Acquire indexes by their hashsum (`By-Hash`).'),
  check_date: bool("Trust the machine's time for Release file date checks."),
  check_valid_until: bool('Detect replay attacks (`Check-Valid-Until`).'),
  components: list('The components (`main`, `contrib`, …).'),
  date_max_future: Type.Optional(Type.Integer({ description: 'How far in the future a repository may be.' })),
  enabled: bool('Whether apt uses the source.'),
  inrelease_path: Type.Optional(Type.String({ description: 'Path of the InRelease file, relative to its usual one.' })),
  languages: list('Languages of translated descriptions to download.'),
  name: Type.String({ minLength: 1, description: 'The name (`X-Repolib-Name`); also names the file.' }),
  pdiffs: bool('Update indexes with PDiffs.'),
  signed_by: Type.Optional(
    Type.String({
      description:
        'A keyring path, key fingerprints, an ASCII-armored key block, or a URL of a key: fetched on the host ' +
        'into /etc/apt/keyrings/NAME.asc or .gpg (`Signed-By`).',
    }),
  ),
  suites: list('Suites (`bookworm`), or an exact path ending in `/` (then no components).'),
  targets: list('Download targets apt acquires from the source.'),
  trusted: bool('Treat the source as trusted even unsigned.'),
  types: Defaulted(
    Type.Array(Type.Union([Type.Literal('deb'), Type.Literal('deb-src')]), {
      default: ['deb'],
      description: 'Binary (`deb`) and/or source (`deb-src`) packages.',
    }),
  ),
  uris: list('The archive base URIs.'),
}

const Args = Type.Object(
  {
    ...FIELDS,
    install_python_debian: Defaulted(
      Type.Boolean({ default: true, description: 'Accepted for compatibility and ignored (no Python is needed).' }),
    ),
    mode: Defaulted(
      Type.Union([Type.String(), Type.Integer()], { default: '0644', description: 'Mode of the .sources file.' }),
    ),
    state: Defaulted(
      Type.Union([Type.Literal('present'), Type.Literal('absent')], {
        default: 'present',
        description: 'Whether the source should be there.',
      }),
    ),
  },
  { additionalProperties: false },
)
type Args = ModuleArgs<typeof Args>

/** What the host has now. */
export interface Deb822State {
  /** The .sources file's mode (octal digits) and content, when it is a file. */
  file?: { mode: string; text: string }
  /** Which of the keyring files /etc/apt/keyrings/SLUG.{asc,gpg} exist. */
  keys: string[]
  /** For a `signed_by` URL: the fetched key and the files it may go to; for a path: whether it is a file. */
  key?: KeyState
}

/** The file's slug, from `name`. */
export const slug = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[_\s]+/g, '-')
    .replace(/[^a-z0-9-]+/g, '')
export const sourcesPath = (name: string): string => `/etc/apt/sources.list.d/${slug(name)}.sources`
const keyPaths = (name: string) => keyFiles(slug(name))

const fieldName = (k: string): string =>
  k === 'name'
    ? 'X-Repolib-Name'
    : k === 'uris'
      ? 'URIs'
      : k.replace(/_/g, '-').replace(/[A-Za-z]+/g, (w) => w[0].toUpperCase() + w.slice(1).toLowerCase())

const multiline = (v: string): string =>
  '\n' +
  v
    .trim()
    .split(/\r?\n/)
    .map((l) => `    ${l.trim() || '.'}`)
    .join('\n')

/** The .sources file's text (`signedBy`: the `Signed-By` value, when a fetched key replaces the URL). Pure. */
export function renderSources(a: Args, signedBy = a.signed_by): string {
  let out = ''
  for (const key of Object.keys(FIELDS).sort()) {
    const v = key === 'signed_by' ? signedBy : a[key as keyof typeof FIELDS]
    if (v === undefined) continue
    let text = typeof v === 'boolean' ? (v ? 'yes' : 'no') : Array.isArray(v) ? v.join(' ') : String(v)
    if (text.includes('\n')) text = multiline(text)
    out += text === '' || text.startsWith('\n') ? `${fieldName(key)}:${text}\n` : `${fieldName(key)}: ${text}\n`
  }
  return out
}

/** Decide. Pure. */
export function planDeb822(s: Deb822State, a: Args): Plan {
  const dest = sourcesPath(a.name)
  if (a.state === 'absent') {
    const gone = [...(s.file ? [dest] : []), ...s.keys]
    return {
      commands: gone.map((p) => ({ argv: ['rm', '-f', '--', p], describe: `remove ${p}` })),
      ...(gone.length ? { changes: gone.map((p) => `remove ${p}`) } : {}),
      data: { repo: null, dest, key_filename: keyPaths(a.name)[1] },
    }
  }
  const key =
    a.signed_by !== undefined && !s.key?.isFile && isKeyUrl(a.signed_by)
      ? planKey(s.key ?? { keys: {} }, a.signed_by, slug(a.name))
      : undefined
  if (key?.fail) return { commands: [], fail: key.fail }
  // as the file modules read a mode: a number's digits are octal, a symbolic mode applies to the current one
  const current = s.file ? parseInt(s.file.mode, 8) : undefined
  const mode = wantedMode(a.mode, current, false) ?? '0644'
  const repo = renderSources(a, key?.value ?? a.signed_by)
  const data = { repo, dest, key_filename: key?.keyFilename ?? (s.key?.isFile ? a.signed_by : null) }
  const commands: Command[] = [...(key?.commands ?? [])]
  const changes: string[] = [...(key?.changes ?? [])]
  if (s.file?.text !== repo) {
    commands.push(writeFile(dest, repo, { mode }))
    changes.push(`${s.file ? 'update' : 'create'} ${dest}`)
  } else if (current !== parseInt(mode, 8)) {
    commands.push({ argv: ['chmod', '--', mode, dest], describe: `chmod ${mode} ${dest}` })
    changes.push(`mode of ${dest}: ${s.file.mode} → ${mode}`)
  }
  if (commands.length === 0) return { commands, data }
  return {
    commands,
    changes,
    data,
    ...(s.file?.text !== repo ? { diff: [{ path: dest, before: s.file?.text ?? '', after: repo }] } : {}),
  }
}

const READ =
  'f=$1; shift; for k in "$@"; do [ ! -e "$k" ] || printf "%s\\n" "$k"; done; echo; ' +
  'if [ -f "$f" ]; then stat -L -c %a -- "$f" && exec cat -- "$f"; fi'

/** Gather's output → state: the keyring files, a blank line, then the file's mode and text. */
export function parseDeb822(r: CommandResult): Deb822State {
  const out = r.stdout
  const blank = out.startsWith('\n') ? 0 : out.indexOf('\n\n') + 1
  const keys = out.slice(0, blank).split('\n').filter(Boolean)
  const rest = out.slice(blank + 1)
  if (rest === '') return { keys }
  const nl = rest.indexOf('\n')
  return { keys, file: { mode: rest.slice(0, nl), text: rest.slice(nl + 1) } }
}

export default defineModule({
  name: 'deb822_repository',
  summary: 'Add or remove a deb822 apt source, sources.list.d/NAME.sources (ansible-core 2.15: no 2.14 oracle)',
  schema: Args,
  changedWhen: "the .sources file's content or mode differs (state=absent: a file is removed)",
  check: 'full',
  example: 'deb822_repository: { name: backports, uris: http://deb.debian.org/debian, suites: bookworm-backports }',
  pathInfo: addPathInfo,
  async gather(args: Args, _ctx, io): Promise<Deb822State> {
    const read = sh(READ, [sourcesPath(args.name), ...keyPaths(args.name)], {
      describe: `read ${sourcesPath(args.name)}`,
    })
    const v = args.state === 'present' ? args.signed_by : undefined
    // a one-line value may name a file on the host: then it stays a path, even one that looks like a URL
    const probe =
      v === undefined || v.includes('\n') ? [] : [isKeyUrl(v) ? fetchKeyCommand(v, slug(args.name)) : isFileCommand(v)]
    const [r, key] = await io.batch([read, ...probe])
    return { ...parseDeb822(r), ...(key ? { key: parseKeyFetch(key) } : {}) }
  },
  plan: (state, args) => planDeb822(state, args),
})
