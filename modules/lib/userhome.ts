/**
 * The home folder Ansible's `user` makes for an existing user whose home is missing (its "missing home" step, with
 * `create_home`, the default): a copy of the skeleton (`skeleton`, else /etc/skel; a plain folder without one), its
 * mode from /etc/login.defs (`HOME_MODE`, else from `UMASK`, else 0755), everything in it owned by the user.
 * `HOMES` is the read-only check gather runs for it.
 *
 * @example
 * ```ts
 * makeHome('/home/al', undefined, 'al') // sh -c MAKE_HOME sh /home/al /etc/skel al
 * ```
 */
import { sh } from '../../engine/commands.js'
import type { Command } from '../../engine/types.js'

/** Read-only: which of the user's current home (from passwd) and `$2` exist, one `exists PATH` line each. */
export const HOMES = [
  'e=$(getent passwd "$1"); h=${e%:*}; h=${h##*:}',
  'for p in "$h" "$2"; do [ -n "$p" ] && [ -e "$p" ] && printf "exists %s\\n" "$p"; done',
  ':',
].join('\n')

const MAKE_HOME = [
  'p=$1; sk=$2; n=$3',
  'if [ -e "$sk" ] && [ "$sk" != /dev/null ]; then',
  '  mkdir -p -- "${p%/*}" && cp -a -- "$sk" "$p" || exit 1',
  'else mkdir -p -- "$p" || exit 1; fi',
  'if [ -e /etc/login.defs ]; then',
  '  m=755',
  '  while read -r k v rest; do',
  '    case $v in "" | *[!0-9]*) continue ;; esac',
  '    [ -n "$rest" ] && continue',
  '    case $k in HOME_MODE) m=$v; break ;; UMASK) m=$(printf %o $((0777 & ~0$v))) ;; esac',
  '  done < /etc/login.defs',
  '  chmod "$m" -- "$p" || exit 1',
  'fi',
  'chown -R -- "$(id -u -- "$n"):$(id -g -- "$n")" "$p"',
].join('\n')

/** Make user `name`'s missing home `path` as Ansible does. */
export function makeHome(path: string, skeleton: string | undefined, name: string): Command {
  return sh(MAKE_HOME, [path, skeleton ?? '/etc/skel', name], { describe: `create the home folder ${path}` })
}

/** Parse HOMES: the paths that exist. */
export const parseHomes = (stdout: string): string[] =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('exists '))
    .map((l) => l.slice(7))
