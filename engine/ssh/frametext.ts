/**
 * The text a persistent shell is sent: its hello (`renderHello`) and one frame per command (`renderFrame`). Each
 * frame ends with end markers carrying the sequence number and exit code (read by frames.ts). The markers hold a
 * random per-session nonce, so command output cannot fake them.
 *
 * Where the host has `/dev/shm` on tmpfs, the hello opens a file there on the shell's fd 3 and removes its name at
 * once (nothing is left on the host, whatever happens later: the kernel frees it when the shell exits); each
 * command's stderr then goes to that file (in memory, never to a disk or SD card), and the frame sends it, framed,
 * only when the command wrote any. A command that writes nothing to stderr (most) is answered by one end marker on
 * stdout instead of one on each stream: one SSH packet less for sshd to send and the controller to read. A second
 * such file, on fd 4, is the scratch file of the engine's in-shell scripts (`inShellScript`): a program's output
 * written there and read back with `read` costs no fork, where `$(program)` costs one. Commands in subshells get
 * neither descriptor. An in-shell script that ends with `joinedOutput` hands its answer to the frame, which prints
 * it together with stdout's end marker: one write of the shell, so one SSH packet, where there were two.
 *
 * @example
 * ```ts
 * renderHello(nonce, token)                        // the shell answers its pid; stderr's marker says 1: file mode
 * renderFrame(nonce, 7, "'uname' '-m'", undefined, '', true)
 * // → { ( 'uname' '-m' ) </dev/null 2>/proc/$$/fd/3 3>&-
 * //   r=$?; if [ -s /proc/$$/fd/3 ]; then …both markers…; else printf '\036TSP<nonce>:7:%d:n\n' "$r"; fi
 * //   }
 * ```
 */

import { JOIN_FLAG } from '../commands.js'

/** The stderr file as the shell names it (fd 3 of the persistent shell, opened anew to truncate it). */
const ERR_FILE = '/proc/$$/fd/3'

/** The flag of a stdout end marker that says the command wrote nothing to stderr (no stderr marker follows). */
export const NO_STDERR_FLAG = 'n'

/**
 * The text one persistent-shell command is sent as. The command runs in a subshell (so `cd`, `exit` or `set`
 * cannot change the session), its stdin is `/dev/null` or the given bytes in a quoted here-doc: as they are when
 * they are text a here-doc carries unchanged (`hereDocText`), else base64 decoded on the host (binary safe); never
 * in argv. Then an end marker carrying the sequence number and exit code is written to stdout and to stderr; with
 * `errFile` (the shell's hello set up its stderr file), stderr goes to that file, and when the command wrote
 * nothing there, stdout's marker carries the flag `n` and stderr gets no marker. The frame is one compound command:
 * all of it arrives, or none of it runs. `prelude` is shell text the persistent shell itself runs first, outside
 * the subshell (the definitions of `scriptFunction`s the command calls). `inShell`: the command is a call of an
 * `inShellScript`'s function, run by the persistent shell itself in a `{ …; }` group (one fork less on the host);
 * with stdin that needs decoding it still runs in the pipeline's subshell.
 */
export function renderFrame(
  nonce: string,
  seq: number,
  text: string,
  stdin?: Uint8Array,
  prelude = '',
  errFile = false,
  inShell = false,
): string {
  // stdin as it is, in a here-doc (no base64 process on the host), when it is text that a here-doc carries
  const plain = stdin === undefined ? undefined : hereDocText(stdin, `_TSPLAY_${nonce}`)
  // an in-shell script run by the shell itself (not in base64's pipeline) may leave its last output in `_tsp_o` (see
  // `joinedOutput`): stdout's marker then carries it, one write of the shell where there were two
  const joined = inShell && (stdin === undefined || plain !== undefined)
  const mark = (flag = '', out = false) =>
    out && joined
      ? `printf '%s\\036TSP${nonce}:${seq}:%d${flag}\\n' "$_tsp_o" "$r"`
      : `printf '\\036TSP${nonce}:${seq}:%d${flag}\\n' "$r"`
  const status = joined ? `r=$?; unset ${JOIN_FLAG}` : 'r=$?'
  const after = joined ? '; unset _tsp_o' : ''
  const end = errFile
    ? `${status}; if [ -s ${ERR_FILE} ]; then cat ${ERR_FILE} >&2; ${mark()} >&2; ${mark('', true)}; ` +
      `else ${mark(`:${NO_STDERR_FLAG}`, true)}; fi${after}\n}\n`
    : `${status}; ${mark('', true)}; ${mark()} >&2${after}\n}\n`
  // the command's stderr to the file; fd 3 itself is closed for the command (nothing it starts keeps it), and so are
  // the scratch file on fd 4 and the stat helper's fds 5 and 6 (stathelper.ts: a daemon a command starts must not
  // keep the helper alive), except for an in-shell script (which may use them)
  const errTo = errFile ? ` 2>${ERR_FILE} 3>&-${inShell ? '' : ' 4>&- 5>&- 6>&-'}` : ''
  // `{ … }`: sh parses the whole frame before running any of it, so a frame cut short by a dropped connection
  // is a syntax error and runs nothing (a bare here-doc cut short would run with the truncated stdin)
  const start = (prelude ? `{ ${prelude}\n` : '{ ') + (joined ? `${JOIN_FLAG}=1 _tsp_o=; ` : '')
  const group = inShell ? `{ ${text}; }` : `( ${text} )`
  if (stdin === undefined) return `${start}${group} </dev/null${errTo}\n${end}`
  // anything but text in base64, decoded on the host
  if (plain !== undefined) return `${start}${group}${errTo} <<'_TSPLAY_${nonce}'\n${plain}_TSPLAY_${nonce}\n${end}`
  const b64 = Buffer.from(stdin)
    .toString('base64')
    .replace(/.{1,76}/g, '$&\n')
  const decode = `base64 -d <<'_TSPLAY_${nonce}' | ( ${text} )`
  return `${start}${errFile ? `{ ${decode}; }${errTo}` : decode}\n${b64}_TSPLAY_${nonce}\n${end}`
}

/**
 * `bytes` as text a quoted here-doc carries unchanged, or undefined when it cannot: not valid UTF-8, a NUL byte,
 * no final newline (a here-doc always ends with one), or a line equal to the delimiter.
 */
export function hereDocText(bytes: Uint8Array, delimiter: string): string | undefined {
  if (bytes.length === 0 || bytes[bytes.length - 1] !== 0x0a || bytes.includes(0)) return undefined
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch {
    return undefined
  }
  return text.startsWith(`${delimiter}\n`) || text.includes(`\n${delimiter}\n`) ? undefined : text
}

/**
 * The stderr file's setup (see the header), run by the persistent shell itself: create `/dev/shm/.tsplay-TOKEN`
 * and the scratch file `/dev/shm/.tsplay-TOKENo` (mode 0600, refused if anything has either name; the first is
 * removed again when only the second is refused), open them on fd 3 and fd 4, remove the names (`find` checks they
 * are on tmpfs and deletes them: one program; `rm` when find could not), and check that the shell can empty and
 * write fd 3 through /proc. `_tsp_e` is 1 when all of that worked; otherwise both are closed again and frames use
 * both markers (and in-shell scripts capture with `$(…)`).
 */
function errFileSetup(token: string): string {
  const f = `/dev/shm/.tsplay-${token}`
  const o = `${f}o`
  return [
    '_tsp_e=0',
    // `command :`: a failed redirection of plain `:` (a special built-in) would end the subshell before the `rm`
    `if (umask 077; set -C; : >${f} && { command : >${o} || { rm -f ${f}; false; }; }) 2>/dev/null &&`,
    `  command exec 3>>${f} 4>>${o}; then`,
    `  [ "$(find ${f} ${o} -maxdepth 0 \\( -fstype tmpfs -printf 1 -o -true \\) -delete 2>/dev/null)" = 11 ] &&`,
    `    printf x >${ERR_FILE} && [ -s ${ERR_FILE} ] && printf '' >${ERR_FILE} && ! [ -s ${ERR_FILE} ] && _tsp_e=1`,
    `  if [ -e ${f} ]; then rm -f ${f}; fi`,
    `  if [ -e ${o} ]; then rm -f ${o}; fi`,
    '  [ $_tsp_e = 1 ] || exec 3>&- 4>&-',
    'fi 2>/dev/null',
  ].join('\n')
}

/**
 * The first frame a new shell answers: its pid as the "exit code" of frame 0 on stdout. With `errFileToken` (hex),
 * the shell first tries to set up its stderr file; stderr's marker of frame 0 then says whether it did (1) or
 * not (0): frames are rendered with `errFile` only after a 1.
 */
export function renderHello(nonce: string, errFileToken?: string): string {
  const hello = `printf '\\036TSP${nonce}:0:%d\\n' "$$"; printf '\\036TSP${nonce}:0:%d\\n'`
  if (errFileToken === undefined) return `${hello} 0 >&2\n`
  if (!/^[0-9a-f]+$/.test(errFileToken)) throw new Error('the stderr file token must be hex')
  return `{ ${errFileSetup(errFileToken)}\n${hello} "$_tsp_e" >&2\n}\n`
}
