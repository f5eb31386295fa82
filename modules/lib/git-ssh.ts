/**
 * The git module's ssh settings, as Ansible's: `ssh_opts`, `accept_hostkey`/`accept_newhostkey` and `key_file`
 * become the options git passes to ssh through `GIT_SSH_COMMAND`, always with `BatchMode=yes` (no prompt). The
 * options travel as data in the environment (`TSPLAY_GIT_SSH_OPTS`), each word shell-quoted here, in one place; a
 * constant wrapper prefixes them with the ssh command the task's environment names (`GIT_SSH`, else
 * `GIT_SSH_COMMAND`, else `ssh`) and `GIT_SSH_OPTS`, as Ansible does.
 *
 * @example
 * ```ts
 * gitSshOptions({ accept_hostkey: true, key_file: '/k/id' })
 * // → "'-o' 'StrictHostKeyChecking=no' '-o' 'BatchMode=yes' '-i' '/k/id' '-o' 'IdentitiesOnly=yes'"
 * ```
 */
import { ModuleFailure } from '../../engine/module.js'
import { shQuote } from '../../engine/quote.js'
import { splitArgs } from '../../engine/source/split.js'
import type { Command } from '../../engine/types.js'

/** The arguments that shape the ssh command. */
export interface SshArgs {
  ssh_opts?: string
  accept_hostkey?: boolean
  accept_newhostkey?: boolean
  key_file?: string
}

const NO = 'StrictHostKeyChecking=no'
const NEW = 'StrictHostKeyChecking=accept-new'

/** `key_file` quoted for sh, keeping a leading `~/` expandable (Ansible's `path` type expands it on the host). */
function quotePath(p: string): string {
  return p.startsWith('~/') ? `~/${shQuote(p.slice(2))}` : shQuote(p)
}

/**
 * The ssh options (shell text, every word quoted) for the arguments; undefined when none of the ssh arguments is
 * given (git then runs with the environment's own ssh settings).
 */
export function gitSshOptions(a: SshArgs): string | undefined {
  if (a.ssh_opts === undefined && !a.accept_hostkey && !a.accept_newhostkey && !a.key_file) return undefined
  const given = a.ssh_opts ?? ''
  let words: string[]
  try {
    words = splitArgs(given).map(shQuote)
  } catch (e) {
    throw new ModuleFailure(`ssh_opts ${JSON.stringify(given)} are not shell words: ${(e as Error).message}`)
  }
  const has = (s: string) => given.includes(s)
  const hostKeySet = has(`-o ${NO}`) || has(`-o ${NEW}`)
  if (a.accept_hostkey && !hostKeySet) words.push("'-o'", shQuote(NO))
  else if (a.accept_newhostkey && !hostKeySet) words.push("'-o'", shQuote(NEW))
  if (!has('BatchMode=yes')) words.push("'-o'", shQuote('BatchMode=yes'))
  if (a.key_file) {
    if (!has(`-i ${a.key_file}`)) words.push("'-i'", quotePath(a.key_file))
    if (!has('IdentitiesOnly=yes')) words.push("'-o'", shQuote('IdentitiesOnly=yes'))
  }
  return words.join(' ')
}

/** Constant: sets GIT_SSH_COMMAND from the environment's ssh command and the options, then runs the command. */
const WRAP =
  'GIT_SSH_COMMAND="${GIT_SSH:-${GIT_SSH_COMMAND:-ssh}}${GIT_SSH_OPTS:+ $GIT_SSH_OPTS} $TSPLAY_GIT_SSH_OPTS"; ' +
  'export GIT_SSH_COMMAND; exec "$@"'

/** `cmd` run with the ssh options (unchanged when there are none). */
export function withSsh(cmd: Command, opts: string | undefined): Command {
  if (opts === undefined) return cmd
  return {
    ...cmd,
    argv: ['sh', '-c', WRAP, 'sh', ...cmd.argv],
    env: { ...cmd.env, TSPLAY_GIT_SSH_OPTS: opts },
    describe: cmd.describe ?? cmd.argv.join(' '),
  }
}
