/**
 * `cron`: manage a named job (or an environment variable) in a user's crontab or in a file under /etc/cron.d, as
 * Ansible's `cron` does: each job is marked by a `#Ansible: NAME` line above it. The crontab is read with
 * `crontab -l` (or the file read), edited purely (`lib/crontab.ts`) and installed with `crontab -` (or the file
 * written atomically); `--diff` shows the change.
 *
 * @example
 * ```yaml
 * - cron: { name: nix-gc, special_time: daily, job: "nix-collect-garbage --delete-older-than 14d" }
 * - cron: { name: MAILTO, env: true, job: "", cron_file: hydra, user: root }
 * ```
 */
import { Type, type Static } from '@sinclair/typebox'
import { argRules } from '../engine/argrules.js'
import { sh, writeFile } from '../engine/commands.js'
import { defineModule, ModuleFailure, type Plan } from '../engine/module.js'
import type { Command, CommandResult } from '../engine/types.js'
import { Crontab, stripHeader } from './lib/crontab.js'

const field = (description: string, aliases?: string[]) =>
  Type.Optional(Type.String({ default: '*', description, ...(aliases ? { aliases } : {}) }))
const SPECIAL = ['reboot', 'yearly', 'annually', 'monthly', 'weekly', 'daily', 'hourly'] as const

const Args = Type.Object(
  {
    name: Type.String({ description: 'The job\'s name (its "#Ansible: NAME" line), or the variable\'s with `env`.' }),
    user: Type.Optional(Type.String({ description: "Whose crontab (default: the task's user)." })),
    job: Type.Optional(
      Type.String({ description: "The command (or the variable's value with `env`).", aliases: ['value'] }),
    ),
    cron_file: Type.Optional(
      Type.String({ description: 'A file in /etc/cron.d (a name) or an absolute path, instead of a crontab.' }),
    ),
    state: Type.Optional(
      Type.Union([Type.Literal('present'), Type.Literal('absent')], {
        default: 'present',
        description: 'Whether the job (or variable) should be there.',
      }),
    ),
    backup: Type.Optional(
      Type.Boolean({ default: false, description: 'Save the old crontab to a temporary file (`backup_file`).' }),
    ),
    minute: field('Minute field.'),
    hour: field('Hour field.'),
    day: field('Day-of-month field.', ['dom']),
    month: field('Month field.'),
    weekday: field('Day-of-week field.', ['dow']),
    special_time: Type.Optional(
      Type.Union(
        SPECIAL.map((s) => Type.Literal(s)),
        { description: '`@reboot`, `@daily`, … instead of the time fields.' },
      ),
    ),
    disabled: Type.Optional(Type.Boolean({ default: false, description: 'Keep the job, commented out.' })),
    env: Type.Optional(
      Type.Boolean({ default: false, description: 'Manage an environment variable line instead of a job.' }),
    ),
    insertafter: Type.Optional(Type.String({ description: 'With `env`: put a new variable after this one.' })),
    insertbefore: Type.Optional(Type.String({ description: 'With `env`: put a new variable before this one.' })),
  },
  { additionalProperties: false, ...argRules({ mutually_exclusive: [['insertafter', 'insertbefore']] }) },
)
type Args = Static<typeof Args>

/** What the crontab holds now. */
export interface CronFacts {
  /** The crontab's text without `crontab -l`'s header ('' when none). */
  existing: string
  lines: string[]
  /** For `cron_file`: whether the file exists. */
  fileExists: boolean
}

/** The file a `cron_file` names. */
export const cronPath = (f: string): string => (f.startsWith('/') ? f : `/etc/cron.d/${f}`)

const READ_USER = 'u=$1; if [ -n "$u" ] && [ "$(id -un)" != "$u" ]; then exec crontab -u "$u" -l; fi; exec crontab -l'
const WRITE_USER = 'u=$1; if [ -n "$u" ] && [ "$(id -un)" != "$u" ]; then exec crontab -u "$u" -; fi; exec crontab -'
const BACKUP = 'f=$(mktemp "${TMPDIR:-/tmp}/crontabXXXXXXXX") && cat > "$f" && printf %s "$f"'
const READ_FILE = 'if [ -f "$1" ]; then echo yes; cat -- "$1"; else echo no; fi'

/** The job line Ansible writes. */
export function jobLine(a: Args): string {
  const job = (a.job ?? '').replace(/^[\r\n]+|[\r\n]+$/g, '')
  const off = a.disabled ? '#' : ''
  const who = a.cron_file ? ` ${a.user}` : ''
  if (a.special_time) return `${off}@${a.special_time}${who} ${job}`
  const f = (v: string | undefined) => v ?? '*'
  return `${off}${f(a.minute)} ${f(a.hour)} ${f(a.day)} ${f(a.month)} ${f(a.weekday)}${who} ${job}`
}

function argError(a: Args): string | undefined {
  if (a.cron_file === '/etc/crontab') return 'Will not manage /etc/crontab via cron_file, see documentation.'
  const timeSet = [a.minute, a.hour, a.day, a.month, a.weekday].some((x) => x !== undefined && x !== '*')
  if (a.special_time && timeSet) return 'You must specify time and date fields or special time.'
  if ((a.state ?? 'present') === 'present') {
    if (a.cron_file && !a.user) return 'To use cron_file=... parameter you must specify user=... as well'
    if (a.job === undefined) return "You must specify 'job' to install a new cron job or variable"
    if ((a.insertafter || a.insertbefore) && !a.env)
      return 'Insertafter and insertbefore parameters are valid only with env=yes'
  }
  if (a.env && a.name.includes(' ')) return 'Invalid name for environment variable'
}

/** Decide. Pure. */
export function planCron(f: CronFacts, a: Args): Plan {
  const bad = argError(a)
  if (bad) return { commands: [], fail: bad }
  const present = (a.state ?? 'present') === 'present'
  const tab = new Crontab([...f.lines])
  const warnings: string[] = []
  let changed: boolean
  if (a.env) {
    const decl = `${a.name}="${a.job ?? ''}"`
    try {
      changed = present ? tab.setEnv(a.name, decl, a.insertafter, a.insertbefore) : tab.removeEnv(a.name)
    } catch (e) {
      return { commands: [], fail: (e as Error).message }
    }
  } else if (present) {
    if (/[\r\n]/.test((a.job ?? '').replace(/^[\r\n]+|[\r\n]+$/g, '')))
      warnings.push('Job should not contain line breaks')
    changed = tab.setJob(a.name, jobLine(a))
  } else {
    changed = tab.removeJob(a.name)
    if (changed && a.cron_file && tab.isEmpty()) {
      const path = cronPath(a.cron_file)
      const data = { cron_file: a.cron_file, state: 'absent' }
      if (!f.fileExists) return { commands: [], data }
      return {
        commands: [{ argv: ['rm', '-f', '--', path], describe: `remove ${path}` }],
        changes: [`remove ${path} (its last job)`],
        data,
        diff: [{ path, before: f.existing, after: '' }],
      }
    }
  }
  if (!changed && f.existing !== '' && !/[\r\n]$/.test(f.existing)) changed = true
  // as Ansible's modules: `warnings` only when there are some
  const data: Record<string, unknown> = {
    jobs: tab.jobNames(),
    envs: tab.envNames(),
    ...(warnings.length ? { warnings } : {}),
  }
  if (a.cron_file) data.cron_file = a.cron_file
  if (!changed) return { commands: [], data }
  const text = tab.render()
  const where = a.cron_file ? cronPath(a.cron_file) : `crontab for user "${a.user ?? ''}"`
  const commands: Command[] = []
  if (a.backup) commands.push({ ...sh(BACKUP), stdin: f.existing, describe: 'back up the crontab' })
  commands.push(
    a.cron_file
      ? writeFile(cronPath(a.cron_file), text)
      : { ...sh(WRITE_USER, [a.user ?? '']), stdin: text, describe: `install ${where}` },
  )
  return {
    commands,
    changes: [`${a.name}: update ${where}`],
    data,
    diff: [{ path: where, before: f.existing, after: text }],
  }
}

/** Parse what the read command printed. */
export function parseCron(a: Args, r: CommandResult): CronFacts {
  if (a.cron_file) {
    const exists = r.stdout.startsWith('yes\n')
    const text = exists ? r.stdout.slice(4) : ''
    const lines = text.split(/\r?\n/)
    if (lines.at(-1) === '') lines.pop()
    return { existing: text, lines, fileExists: exists }
  }
  return { ...stripHeader(r.rc === 0 ? r.stdout : ''), fileExists: false }
}

export default defineModule({
  name: 'cron',
  summary: "Manage a named cron job or variable in a user's crontab or an /etc/cron.d file",
  schema: Args,
  changedWhen: 'the crontab (or cron file) content changes',
  check: 'full',
  example: 'cron: { name: nix-gc, special_time: daily, job: "nix-collect-garbage -d" }',
  async gather(args: Args, _ctx, io): Promise<CronFacts> {
    const cmd = args.cron_file
      ? sh(READ_FILE, [cronPath(args.cron_file)], { describe: `read ${cronPath(args.cron_file)}` })
      : { ...sh(READ_USER, [args.user ?? '']), okCodes: [0, 1], describe: 'crontab -l' }
    const [r] = await io.batch([cmd])
    // rc 1 with "no crontab for USER" is an empty crontab; anything else (no crontab command, no such user) fails
    if (!args.cron_file && r.rc !== 0 && !(r.rc === 1 && /no crontab/i.test(r.stderr)))
      throw new ModuleFailure(`Unable to read crontab: ${r.stderr.trim() || `crontab -l exited with ${r.rc}`}`)
    return parseCron(args, r)
  },
  plan: (facts, args) => planCron(facts, args),
  after(_facts, args, results) {
    if (!args.backup || !results[0]) return {}
    return { data: { backup_file: results[0].stdout.trim() } }
  },
})
