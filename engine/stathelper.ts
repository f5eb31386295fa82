/**
 * The stat helper: one small Perl process per persistent shell that answers `lstat` questions, so the file
 * modules' probe learns a path's metadata without starting `stat` for each task. A `stat` costs a fork and an
 * exec on the host (about 1.4 ms of CPU here, several times that on a Raspberry Pi); the helper costs one start
 * (`mkfifo` and `perl`, about 3.5 ms) and then a line written and a line read, both shell built-ins. Perl is
 * `perl-base`, which Debian and Raspberry Pi OS mark Essential; where it is missing the probe starts `stat` as
 * before.
 *
 * The persistent shell starts it once, with the definition of the first in-shell script that asks for it
 * (`inShellScript`'s `setup`), and only where its hello set up the scratch files in `/dev/shm`: two FIFOs are made
 * there (mode 0600), opened on the shell's fd 5 (requests, opened read-write so a write never raises SIGPIPE) and
 * fd 6 (answers), and removed by the helper as it starts, so nothing is left on the host. The helper ends when the
 * shell does (end of file on its input). Commands that run in a subshell get neither descriptor (frametext.ts).
 * A request is a path and a newline; the answer is one line in `LSTAT_FORMAT`'s shape, `-` when `lstat` failed
 * and `?` for a file type it does not name (the probe then runs `stat`, which says why). When the helper is gone
 * (killed with a command's process tree), the probe reads end of file, stops asking, and runs `stat`.
 *
 * @example
 * ```sh
 * printf '%s\n' "$p" >&5; IFS= read -r s <&6   # s: "5\tregular file\t644\t1000\t1000\tpi\tpi\t5\t…"
 * ```
 */
import { shQuote } from './quote.js'

/**
 * GNU `stat --printf` format of a path's own metadata (lstat), its size first: the fields the probe parses (the
 * last four: blocks, the preferred I/O size, a device's major and minor number in hex). The helper answers in the
 * same shape.
 */
export const LSTAT_FORMAT =
  '%s\\t%F\\t%a\\t%u\\t%g\\t%U\\t%G\\t%s\\t%.9Y\\t%.9X\\t%.9Z\\t%i\\t%d\\t%h\\t%b\\t%o\\t%t\\t%T\\n'

/**
 * The helper's program: GNU stat's words for the file types, `%a` as octal, names as `stat` prints them. Perl's
 * `lstat` gives whole seconds (nanoseconds need Time::HiRes, which is not in perl-base), so the times come from the
 * `statx` system call through Perl's `syscall`, by the architecture's call number (`struct statx` has the same
 * layout on every one: a time is 64-bit seconds and 32-bit nanoseconds at offset 64 (access), 96 (change) and 112
 * (modification)); on an architecture not listed, or a kernel without statx (before 4.11), whole seconds.
 */
const PERL = [
  'use Config; $| = 1; unlink @ARGV; print "ready\\n";',
  'my $sx = {x86_64 => 332, i386 => 383, i486 => 383, i586 => 383, i686 => 383, aarch64 => 291, riscv64 => 291,',
  '  arm => 397}->{(split /-/, $Config{archname})[0]};',
  // seconds above 32 bits (after 2106, or before 1970) keep lstat's whole seconds
  'sub tm { my ($lo, $hi, $ns) = unpack "V3", substr($_[0], $_[1], 12); $hi ? $_[2] : sprintf "%d.%09d", $lo, $ns }',
  'my %t = (0100000, "regular file", 0040000, "directory", 0120000, "symbolic link", 0010000, "fifo",',
  '  0140000, "socket", 0020000, "character special file", 0060000, "block special file");',
  'while (defined(my $p = <STDIN>)) {',
  '  chomp $p; my @s = lstat $p;',
  '  if (!@s) { print "-\\n"; next }',
  '  my $t = $t{$s[2] & 0170000};',
  '  if (!defined $t) { print "?\\n"; next }',
  '  $t = "regular empty file" if $t eq "regular file" && $s[7] == 0;',
  '  my $u = getpwuid($s[4]); my $g = getgrgid($s[5]); my @tm = @s[9, 8, 10]; my $sb = "\\0" x 256;',
  // statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW as lstat, STATX_BASIC_STATS, buffer)
  '  @tm = (tm($sb, 112, $s[9]), tm($sb, 64, $s[8]), tm($sb, 96, $s[10]))',
  '    if $sx && !syscall($sx, -100, $p, 0x100, 0x7ff, $sb);',
  // glibc's major() and minor() of st_rdev, in hex as stat's %t and %T
  '  my $r = $s[6]; my $ma = (($r >> 8) & 0xfff) | (($r >> 32) & ~0xfff);',
  '  my $mi = (($r & 0xff) | (($r >> 12) & ~0xff)) & 0xffffffff;',
  '  print join("\\t", $s[7], $t, sprintf("%o", $s[2] & 07777), $s[4], $s[5], $u // "UNKNOWN",',
  '    $g // "UNKNOWN", $s[7], @tm, @s[1, 0, 3, 12, 11], sprintf("%x", $ma), sprintf("%x", $mi)), "\\n";',
  '}',
].join('\n')

/**
 * Shell text the persistent shell runs once (outside any frame's subshell): start the helper when the shell has
 * its scratch files (`_tsp_e` is 1) and Perl, and set `_tsp_ph` to 1 when it answered; 0 otherwise.
 */
export const STAT_HELPER_SETUP = [
  'if [ -z "${_tsp_ph-}" ]; then _tsp_ph=0',
  '  if [ "${_tsp_e-}" = 1 ] && command -v perl >/dev/null 2>&1; then',
  '    _tsp_f=/dev/shm/.tsplay-$$-stat',
  '    if mkfifo -m 600 "${_tsp_f}q" "${_tsp_f}a" 2>/dev/null; then',
  '      exec 5<>"${_tsp_f}q"',
  `      perl -e ${shQuote(PERL)} "\${_tsp_f}q" "\${_tsp_f}a" <"\${_tsp_f}q" >"\${_tsp_f}a" ` +
    '2>/dev/null 3>&- 4>&- 5>&- &',
  '      exec 6<"${_tsp_f}a"',
  '      if IFS= read -r _tsp_s <&6 && [ "$_tsp_s" = ready ]; then _tsp_ph=1; else exec 5>&- 6<&-; fi',
  '    fi',
  '    if [ -e "${_tsp_f}q" ] || [ -e "${_tsp_f}a" ]; then rm -f "${_tsp_f}q" "${_tsp_f}a"; fi',
  '    unset _tsp_f _tsp_s',
  '  fi',
  'fi 2>/dev/null',
].join('\n')

/**
 * Shell text for an in-shell script (see `inShellScript`, whose `setup` must be `STAT_HELPER_SETUP`): ask the
 * helper for `$pathVar`'s lstat line into `outVar` (empty when there is no helper, or it could not answer).
 * `nl` must hold a newline.
 *
 * @example
 * ```ts
 * askStatHelper('p', 's') // then: if [ -z "$s" ]; then s=$(stat --printf … -- "$p"); fi
 * ```
 */
export function askStatHelper(pathVar: string, outVar: string): string {
  return [
    `${outVar}=; if [ "\${_tsp_ph-}" = 1 ]; then case $${pathVar} in *"$nl"*) ;; *)`,
    `  if { printf '%s\\n' "$${pathVar}" >&5 && IFS= read -r ${outVar} <&6; } 2>/dev/null; then`,
    `    case $${outVar} in -|'?') ${outVar}= ;; esac`,
    `  else ${outVar}=; _tsp_ph=0; fi ;; esac`,
    'fi',
  ].join('\n')
}
