/**
 * `debconf`: pre-seed an answer in the debconf database, as Ansible's `debconf` does: the package's answers are read
 * with `debconf-show NAME`, and a different (or missing) answer is set with `debconf-set-selections` (`-u` for
 * `unseen`), its line given on standard input. Without `question` the module only reads (`current` lists the
 * package's answers).
 *
 * A `password` answer never appears in a command line or in the output: it goes to the host on standard input
 * only, is compared there against /var/cache/debconf/passwords.dat (a script that prints only "same" or "differs"),
 * and `current`/`previous` and `--diff` show it masked. (Ansible 2.14 compares it with `debconf-show`'s
 * "(password omitted)" and so reports every password task changed; tsplay reports it changed only when it is.)
 *
 * @example
 * ```yaml
 * - debconf: { name: tzdata, question: tzdata/Areas, vtype: select, value: Europe }
 * - debconf: { name: mysql-server, question: mysql-server/root_password, vtype: password, value: "{{ pw }}" }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { argRules } from '../engine/argrules.js'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { sh } from '../engine/commands.js'
import { defineModule, ModuleFailure, type Plan } from '../engine/module.js'
import type { Command, CommandResult } from '../engine/types.js'

const VTYPES = ['boolean', 'error', 'multiselect', 'note', 'password', 'seen', 'select', 'string', 'text', 'title']

const Args = Type.Object(
  {
    name: Type.String({ description: 'The package the answers belong to.', aliases: ['pkg'] }),
    question: Type.Optional(
      Type.String({ description: 'The question (`tzdata/Areas`).', aliases: ['selection', 'setting'] }),
    ),
    vtype: Type.Optional(
      Type.Union(
        VTYPES.map((v) => Type.Literal(v)),
        { description: "The question's type." },
      ),
    ),
    value: Type.Optional(
      Type.Union([Type.String(), Type.Boolean(), Type.Number()], {
        description: 'The answer (a `password` answer is never shown).',
        aliases: ['answer'],
      }),
    ),
    unseen: Defaulted(
      Type.Boolean({ default: false, description: 'Leave the question unseen (`debconf-set-selections -u`).' }),
    ),
  },
  { additionalProperties: false, ...argRules({ required_together: [['question', 'vtype', 'value']] }) },
)
type Args = ModuleArgs<typeof Args>

/** What the host has now. */
export interface DebconfState {
  /** `debconf-show`'s answers, question → value. */
  selections: Record<string, string>
  /** For a `password` question: whether the stored password is the wanted one. */
  passwordSame?: boolean
}

/** What a masked value shows. */
export const MASKED = '********'
const PASSWORDS = '/var/cache/debconf/passwords.dat'
/**
 * Compare the stored password of question $1 with the wanted one (stdin) without printing either: awk reads the
 * database's stanzas (blank-line separated, `Name:` and `Value:` fields) and exits 0 on a match.
 */
const SAME_PASSWORD = [
  'q=$1; f=$2; [ -r "$f" ] || { echo differs; exit 0; }',
  // the wanted value reaches awk through its environment (readable by the same user only), never its argv
  'W=$(cat); export W',
  'if awk -v q="$q" \'/^Name: / { name = substr($0, 7) } /^$/ { name = "" }',
  '/^Value: / { if (name == q && substr($0, 8) == ENVIRON["W"]) hit = 1 } END { exit hit ? 0 : 1 }\' "$f"',
  'then echo same; else echo differs; fi',
].join('\n')

/** The value as a string, as Ansible's `str` argument makes it (booleans lower-cased for `boolean` questions). */
export function answer(a: Args): string {
  const v = a.value
  const s = typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v ?? '')
  if (a.vtype === 'boolean' && (s === 'True' || s === 'False')) return s.toLowerCase()
  return s
}

/** `debconf-show`'s lines → question → value (the `*` of a seen question dropped). */
export function parseShow(stdout: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of stdout.split('\n')) {
    const i = line.indexOf(':')
    if (i < 0) continue
    const question = line.slice(0, i).replace(/^[\s*]+|[\s*]+$/g, '')
    out[question] = line.slice(i + 1).trim()
  }
  return out
}

/** Decide. Pure. */
export function planDebconf(s: DebconfState, a: Args): Plan {
  const q = a.question
  if (q === undefined) return { commands: [], data: { current: s.selections } }
  if (a.vtype === undefined || a.value === undefined)
    return { commands: [], fail: 'when supplying a question you must supply a valid vtype and value' }
  const secret = a.vtype === 'password'
  const value = answer(a)
  let changed: boolean
  if (secret) changed = !s.passwordSame
  else if (!(q in s.selections)) changed = true
  else if (a.vtype === 'boolean') changed = value.toLowerCase() !== s.selections[q].toLowerCase()
  else changed = value !== s.selections[q]
  if (!changed) return { commands: [], data: { current: s.selections } }
  const shown = secret ? MASKED : value
  const previous = { [q]: q in s.selections ? s.selections[q] : '' }
  const cmd: Command = {
    argv: ['debconf-set-selections', ...(a.unseen ? ['-u'] : [])],
    stdin: `${a.name} ${q} ${a.vtype} ${value}\n`,
    secretStdin: secret,
    describe: `set ${a.name} ${q}`,
  }
  const lines = (o: Record<string, string>) =>
    Object.entries(o)
      .map(([k, v]) => `${k}: ${v}\n`)
      .join('')
  return {
    commands: [cmd],
    changes: [`${a.name} ${q} (${a.vtype}) = ${shown}`],
    data: { current: { [q]: shown }, previous },
    diff: [{ path: `debconf ${a.name}`, before: lines(previous), after: lines({ [q]: shown }) }],
  }
}

/** Parse gather's results. */
export function parseDebconf(show: CommandResult, password?: CommandResult): DebconfState {
  if (show.rc !== 0) throw new ModuleFailure(show.stderr.trim() || `debconf-show exited with ${show.rc}`)
  const out: DebconfState = { selections: parseShow(show.stdout) }
  if (password) out.passwordSame = password.rc === 0 && password.stdout.trim() === 'same'
  return out
}

export default defineModule({
  name: 'debconf',
  summary: 'Pre-seed an answer in the debconf database',
  schema: Args,
  changedWhen: "the question's stored answer differs from `value` (or the question has none)",
  check: 'full',
  example: 'debconf: { name: tzdata, question: tzdata/Areas, vtype: select, value: Europe }',
  async gather(args: Args, _ctx, io): Promise<DebconfState> {
    const cmds: Command[] = [{ argv: ['debconf-show', args.name], describe: `debconf-show ${args.name}` }]
    if (args.vtype === 'password' && args.question !== undefined && args.value !== undefined)
      cmds.push({
        ...sh(SAME_PASSWORD, [args.question, PASSWORDS]),
        stdin: answer(args),
        secretStdin: true,
        describe: `compare the stored ${args.question}`,
      })
    const [show, password] = await io.batch(cmds)
    return parseDebconf(show, password)
  },
  plan: (state, args) => planDebconf(state, args),
})
