/**
 * `become_method`, `become_flags` and `become_exe` on plays, blocks, tasks and role references. tsplay becomes
 * other users with sudo (the default, always as `sudo -H -n`, or `-A` with a become password) or with su
 * (`become_method: su`: `su FLAGS USER -c …`, the password answered on su's stdin, engine/ssh/su.ts) or with doas
 * (`doas -n -u USER …`: a `nopass` rule, as doas reads a password only from a terminal). For sudo,
 * flags among `-H`, `-S`, `-n` that change nothing there are accepted, and `-E`/`--preserve-env[=NAMES]`,
 * `-P`/`--preserve-groups`, `-i`/`--login` and `-s`/`--shell` are passed on (with the last two, sudo runs the
 * command through a shell of the target's, and tsplay writes it so that shell expands nothing: `dollarFree`); for
 * su, flags are passed on as words, except those that would replace the command; for doas, `-n`. Anything else
 * is refused before any host is contacted (or, when the method and the flags are set on different levels, fails
 * the task), since running it differently from what was asked would be worse.
 *
 * @example
 * ```yaml
 * - hosts: all
 *   become: true
 *   become_method: su     # or sudo (the default), or doas
 *   become_user: app
 *   become_flags: -l      # su's login shell
 * ```
 */
import type { BecomeMethod } from '../connector.js'
import { UserError } from '../errors.js'
import type { SourcePos } from '../types.js'
import { report, type LoadContext } from './context.js'
import { at, readString } from './keywords.js'

/** Flags of Ansible's default sudo line (`-H -S -n`): tsplay's sudo behaves the same with or without them. */
const SAME_AS_TSPLAY = new Set(['-H', '-S', '-n', '--set-home', '--stdin', '--non-interactive'])

/** sudo flags passed on as they are: the environment and the groups kept, the target's login shell or a shell. */
const SUDO_PASSED =
  /^(-E|--preserve-env(=[A-Za-z_][A-Za-z0-9_]*(,[A-Za-z_][A-Za-z0-9_]*)*)?|-P|--preserve-groups|-i|--login|-s|--shell)$/

/** su options that take or replace the command tsplay gives su: never passed on. */
const SU_COMMAND = /^(-c|-C|--command(=.*)?|--session-command(=.*)?)$/

/** The methods tsplay has. */
export type MethodName = 'sudo' | 'su' | 'doas'

/**
 * The method a `become_method` value names (its FQCN too: `ansible.builtin.su`, `community.general.doas`), or
 * undefined for one tsplay does not have.
 */
export function methodName(value: string): MethodName | undefined {
  const m = value.trim().replace(/^(ansible\.(builtin|legacy)\.(?=sudo$|su$)|community\.general\.(?=doas$))/, '')
  return m === 'sudo' || m === 'su' || m === 'doas' ? m : undefined
}

/** doas flags that change nothing in tsplay's `doas -n -u USER` line. */
const DOAS_SAME = new Set(['-n'])

/** su options whose value is the next word (`-s /bin/sh`). */
const SU_WITH_VALUE = new Set(['-s', '--shell', '-g', '--group', '-G', '--supp-group', '-w', '--whitelist-environment'])

/** Why a `become_flags` word cannot be used with `method` (undefined: it can); `prev` is the word before it. */
export function flagProblem(method: MethodName, flag: string, prev?: string): string | undefined {
  if (method === 'doas')
    return DOAS_SAME.has(flag)
      ? undefined
      : '(tsplay runs doas as "doas -n -u USER COMMAND": -n changes nothing there; -s, -u, -C and -L would ' +
          'replace the command or the user)'
  if (method === 'sudo') {
    return SAME_AS_TSPLAY.has(flag) || SUDO_PASSED.test(flag)
      ? undefined
      : '(tsplay runs sudo as "sudo -H -n -u USER": -H, -S and -n change nothing there, and -E, ' +
          '--preserve-env[=NAMES], -P, --preserve-groups, -i, --login, -s and --shell are passed on)'
  }
  if (!flag.startsWith('-') && !(prev !== undefined && SU_WITH_VALUE.has(prev)))
    return '(su flags are options: a word that is not one would be taken as the user)'
  return SU_COMMAND.test(flag) ? '(tsplay gives su the command to run; -c and --command cannot be set)' : undefined
}

/** What `become_method`/`become_flags`/`become_exe` of one play, block, task or role reference say. */
export interface BecomeExtras {
  becomeMethod?: MethodName
  becomeFlags?: string
  becomeExe?: string
}

/** `become_method`/`become_flags`/`become_exe` of `raw`, reported in place when tsplay cannot take them. */
export function readBecomeExtras(ctx: LoadContext, raw: Record<string, unknown>, pos: SourcePos): BecomeExtras {
  const out: BecomeExtras = {}
  const value = readString(ctx, raw, 'become_method', pos)
  const method = value === undefined ? undefined : methodName(value)
  if (method) out.becomeMethod = method
  else if (value !== undefined) {
    report(
      ctx,
      `become_method "${String(raw.become_method)}" is not supported by tsplay`,
      at(raw, 'become_method', pos),
      '(tsplay becomes other users through sudo, su or doas; write one of them, or leave it out)',
    )
  }
  const flags = readString(ctx, raw, 'become_flags', pos)
  if (flags !== undefined) {
    out.becomeFlags = flags
    const methods: MethodName[] = out.becomeMethod ? [out.becomeMethod] : ['sudo', 'su', 'doas']
    const bad = words(flags).filter((f, i, all) => methods.every((m) => flagProblem(m, f, all[i - 1]) !== undefined))
    if (bad.length)
      report(
        ctx,
        `become_flags ${bad.map((f) => `"${f}"`).join(', ')} not supported by tsplay`,
        at(raw, 'become_flags', pos),
        flagProblem(methods[0], bad[0]),
      )
  }
  const exe = readString(ctx, raw, 'become_exe', pos)
  if (exe !== undefined) {
    out.becomeExe = exe
    if (!exe.trim() || /\s/.test(exe.trim()) || (out.becomeMethod === 'sudo' && exe.trim() !== 'sudo'))
      report(
        ctx,
        `become_exe "${exe}" not supported by tsplay`,
        at(raw, 'become_exe', pos),
        '(a program name or path for su or doas; sudo is always run as "sudo")',
      )
  }
  return out
}

function words(s: string): string[] {
  return s.split(/\s+/).filter(Boolean)
}

/**
 * The method a task becomes its user with, from the effective `become_method`/`become_flags`/`become_exe` (each
 * inherited on its own, as in Ansible). Throws `UserError` for flags or a program the method cannot take.
 *
 * @example
 * ```ts
 * becomeMethodOf('su', '-l', undefined) // { method: 'su', flags: ['-l'] }
 * ```
 */
export function becomeMethodOf(method?: MethodName, flags?: string, exe?: string): BecomeMethod {
  const m = method ?? 'sudo'
  const list = words(flags ?? '')
  for (const [i, f] of list.entries()) {
    const why = flagProblem(m, f, list[i - 1])
    if (why) throw new UserError(`become_flags "${f}" cannot be used with become_method ${m} ${why}`)
  }
  const program = exe?.trim()
  if (m === 'sudo') {
    if (program && program !== 'sudo')
      throw new UserError(`become_exe "${program}" cannot be used with become_method sudo (tsplay always runs "sudo")`)
    const passed = list.filter((f) => !SAME_AS_TSPLAY.has(f))
    return passed.length ? { method: 'sudo', flags: passed } : { method: 'sudo' }
  }
  const kept = m === 'doas' ? list.filter((f) => !DOAS_SAME.has(f)) : list
  return { method: m, ...(program ? { exe: program } : {}), ...(kept.length ? { flags: kept } : {}) }
}
