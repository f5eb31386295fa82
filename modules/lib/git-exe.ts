/**
 * The git module's `executable`: every git the module starts is that program instead of the `git` on PATH. A
 * command whose program is `git` gets the path in its place; a script (`sh -c`) gets a `git` function in front
 * that runs `$TSPLAY_GIT` (the path travels as data in the environment); a wrapper that ends in `exec "$@"` (the
 * ssh settings, umask) has the command it wraps rewritten the same way.
 *
 * @example
 * ```ts
 * withGitExecutable({ argv: ['git', '-C', '/opt/app', 'rev-parse', 'HEAD'] }, '/opt/git/bin/git')
 * // → { argv: ['/opt/git/bin/git', '-C', '/opt/app', 'rev-parse', 'HEAD'], env: { TSPLAY_GIT: '/opt/git/bin/git' } }
 * ```
 */
import type { Command } from '../../engine/types.js'

// `command` keeps the function from calling itself
const GIT_FN = 'git() { command "$TSPLAY_GIT" "$@"; }\n'

function rewrite(argv: readonly string[], exe: string): string[] {
  if (argv[0] === 'git') return [exe, ...argv.slice(1)]
  if (argv[0] !== 'sh' || argv[1] !== '-c' || argv.length < 3) return [...argv]
  const script = argv[2]
  if (script.endsWith('exec "$@"')) return [...argv.slice(0, 4), ...rewrite(argv.slice(4), exe)]
  return ['sh', '-c', GIT_FN + script, ...argv.slice(3)]
}

/** `cmd` with its git calls made to `exe` (unchanged when `exe` is undefined). */
export function withGitExecutable(cmd: Command, exe: string | undefined): Command {
  if (exe === undefined) return cmd
  return { ...cmd, argv: rewrite(cmd.argv, exe), env: { ...cmd.env, TSPLAY_GIT: exe } }
}
