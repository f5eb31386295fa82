/**
 * The request step of `uri`, run on the host with `curl` (as `get_url`'s download): every header, credential and
 * the body go to curl's config on stdin, never into argv. The script prints what Ansible registers: status, final
 * URL, the last response's headers, and the body when it is wanted; with `dest` it writes the body there (in a temp
 * file beside it, moved over it only when the bytes differ) when the status is one of the accepted ones.
 *
 * @example
 * ```ts
 * requestCommand({ url: 'http://127.0.0.1:8080/x', method: 'GET', timeout: 30, follow: true,
 *   okCodes: [200], config: curlConfig({}), showBody: false })
 * ```
 */
import { sh } from '../../engine/commands.js'
import type { Command } from '../../engine/types.js'
import { attributeWords, CHATTR_DEST } from './chattr.js'
import { NEXT_HOP, SPLIT_CONFIGS } from './redirect.js'

/** What one request needs. */
export interface Request {
  url: string
  method: string
  timeout: number
  /** Follow redirects (`-L`). */
  follow: boolean
  /**
   * `config` holds the redirect's configs too (`redirectConfigs`, for `unredirected_headers`): the request runs in
   * two hops (lib/redirect.ts).
   */
  twoHops?: boolean
  okCodes: readonly number[]
  /** curl config text (headers, credentials, body) for stdin. */
  config: string
  /** Print the body even when it is neither JSON nor an error (`return_content`). */
  showBody: boolean
  dest?: string
  mode?: string
  owner?: string
  group?: string
  /** chattr flags for `dest` (`attributes`). */
  attributes?: string
}

const SCRIPT = [
  'cfg=$(cat)',
  'url=$1; method=$2; timeout=$3; follow=$4; ok=" $5 "; show=$6; dest=$7; mode=$8; owner=$9',
  'shift 8; group=$2; two=$3; aop=$4; afl=$5',
  'command -v curl >/dev/null || { echo "uri needs curl on the host" >&2; exit 127; }',
  'hdr=$(mktemp) && body=$(mktemp) && err=$(mktemp) || exit 4',
  'h2=; jar=; trap \'rm -f -- "$hdr" "$body" "$err" ${h2:+"$h2"} ${jar:+"$jar"}\' EXIT HUP INT TERM',
  // two hops: the second's headers, and a cookie jar (what the first answer sets goes with the redirect)
  'if [ -n "$two" ]; then h2=$(mktemp) && jar=$(mktemp) || exit 4; fi',
  SPLIT_CONFIGS,
  'ims=; if [ -n "$dest" ] && [ -f "$dest" ]; then',
  '  ims=$(LC_ALL=C date -u -r "$dest" \'+%a, %d %b %Y %H:%M:%S GMT\'); fi',
  // the redirect's target last, after `R` (a line that is never empty)
  "fmt='%{http_code}\\n%{url_effective}\\n%{content_type}\\n%{time_total}\\nR%{redirect_url}'",
  "NL='",
  "'",
  // one request: $1 method, $2 URL, $3 follow, $4 its header file; the config on stdin
  'req() {',
  '  u=$2; set -- "$1" -sS --max-time "$timeout" -K - -D "$4" -o "$body" ${3:+-L} ${jar:+-b "$jar" -c "$jar"}',
  '  if [ "$1" = HEAD ]; then set -- "$@" -I; else set -- "$@" -X "$1"; fi; shift',
  '  if [ -n "$ims" ]; then set -- "$@" -H "If-Modified-Since: $ims"; fi',
  '  curl "$@" -w "$fmt" -- "$u" 2>"$err"',
  '}',
  'if [ -z "$two" ]; then w=$(printf \'%s\\n\' "$c1" | req "$method" "$url" "$follow" "$hdr"); rc=$?',
  'else',
  // the first hop alone, with every header; a redirect's Location then without the unredirected ones
  '  w=$(printf \'%s\\n\' "$c1" | req "$method" "$url" "" "$hdr"); rc=$?',
  '  code=${w%%"$NL"*}; loc=${w##*"${NL}R"}',
  NEXT_HOP,
  '  if [ "$rc" = 0 ] && [ -n "$hop" ] && [ -n "$loc" ]; then',
  '    w=$(printf \'%s\\n\' "$c2" | req "$m" "$loc" 1 "$h2"); rc=$?; cat "$h2" >> "$hdr"',
  '  fi',
  'fi',
  'echo "rc=$rc"; printf \'%s\\n\' "$w"',
  'code=$(printf \'%s\\n\' "$w" | sed -n 1p); ctype=$(printf \'%s\\n\' "$w" | sed -n 3p)',
  'echo "--error"; cat "$err"; echo "--headers"; cat "$hdr"',
  'case $ok in *" $code "*) good=1 ;; *) good= ;; esac',
  'case $ctype in *json*|*javascript*) show=1 ;; esac',
  'if [ -n "$dest" ] && [ -n "$good" ] && [ "$code" != 304 ] && [ "$rc" = 0 ]; then',
  '  if [ -d "$dest" ]; then',
  '    name=$(sed -n \'s/^[Cc]ontent-[Dd]isposition:.*filename="\\{0,1\\}\\([^";]*\\).*/\\1/p\' "$hdr" | tail -n 1)',
  '    eff=$(printf \'%s\\n\' "$w" | sed -n 2p); p=${eff#*://}; p=${p%%[?#]*}',
  '    case $p in */*) p=${p#*/}; p=${p%/}; p=${p##*/} ;; *) p= ;; esac',
  '    dest="${dest%/}/${name:-${p:-index.html}}"',
  '  fi',
  '  echo "--path"; echo "$dest"',
  '  if ! cmp -s -- "$body" "$dest"; then',
  '    case $dest in */*) dir=${dest%/*}; dir=${dir:-/} ;; *) dir=. ;; esac',
  '    t=$(mktemp "$dir/.tsplay-uri.XXXXXXXX") || exit 4',
  '    if [ -e "$dest" ]; then chmod --reference="$dest" -- "$t"; chown --reference="$dest" -- "$t" 2>/dev/null',
  '    else chmod 0644 -- "$t"; fi',
  '    cat -- "$body" > "$t" && mv -f -- "$t" "$dest" || { rm -f -- "$t"; exit 4; }',
  '  fi',
  '  if [ -n "$mode" ]; then chmod -- "$mode" "$dest" || exit 4; fi',
  '  if [ -n "$owner$group" ]; then chown -- "$owner${group:+:$group}" "$dest" || exit 4; fi',
  '  report=:',
  CHATTR_DEST,
  'fi',
  'if [ -n "$show" ] || [ -z "$good" ]; then echo "--body"; cat "$body"; fi',
].join('\n')

/** The command. Exit 0 whatever the status (judged by `parseResponse`'s reader); 127 without curl. */
export function requestCommand(r: Request): Command {
  return {
    ...sh(SCRIPT, [
      r.url,
      r.method,
      String(r.timeout),
      r.follow ? '1' : '',
      r.okCodes.join(' '),
      r.showBody ? '1' : '',
      r.dest ?? '',
      r.mode ?? '',
      r.owner ?? '',
      r.group ?? '',
      r.twoHops ? '1' : '',
      ...attributeWords(r.attributes),
    ]),
    stdin: r.config,
    secretStdin: true,
    describe: `${r.method} ${r.url}`,
  }
}

/** What the request printed. */
export interface Response {
  /** curl's exit code (0: a response came). */
  rc: number
  status: number
  url: string
  /** Status line's reason phrase ("Not Found"). */
  reason: string
  /** The last response's headers, names lowercased; repeated headers joined with ", ". */
  headers: Record<string, string>
  /** Every response's header lines (redirects first), the status line first in each. */
  blocks: string[][]
  /** curl's error text when `rc` is not 0. */
  error: string
  /** Whole seconds the request took. */
  seconds: number
  /** Where the body was written (`dest`, or `dest/NAME` for a folder). */
  path?: string
  body?: string
}

/** Parse the script's output. Pure. */
export function parseResponse(stdout: string): Response {
  const cut = (text: string, mark: string): [string, string | undefined] => {
    const i = text.indexOf(`\n--${mark}\n`)
    return i < 0 ? [text, undefined] : [text.slice(0, i), text.slice(i + mark.length + 4)]
  }
  // a section marker may end the output (its newline trimmed with the output's last one)
  const text = /\n--(error|headers|path)$/.test(stdout) ? `${stdout}\n` : stdout
  const [beforeBody, body] = cut(text, 'body')
  const [beforePath, pathPart] = cut(beforeBody, 'path')
  const [beforeHeaders, headerText] = cut(beforePath, 'headers')
  const [top, errorText] = cut(beforeHeaders, 'error')
  const [rcLine, codeLine, url, , time] = top.split('\n')
  const rc = Number(/^rc=(\d+)/.exec(rcLine ?? '')?.[1] ?? 1)
  const code = Number(codeLine)
  const blocks = (headerText ?? '').split(/\r?\n\r?\n/).filter((b) => /^HTTP\//.test(b))
  const lines = blocks.map((b) => b.split(/\r?\n/))
  const [statusLine, ...hl] = lines.at(-1) ?? []
  const headers: Record<string, string> = {}
  for (const l of hl) {
    const c = l.indexOf(':')
    if (c <= 0) continue
    const k = l.slice(0, c).trim().toLowerCase()
    const v = l.slice(c + 1).trim()
    headers[k] = k in headers ? `${headers[k]}, ${v}` : v
  }
  return {
    rc,
    status: rc === 0 && code ? code : -1,
    url: url ?? '',
    reason: /^HTTP\/\S+ \d+ ?(.*)$/.exec(statusLine ?? '')?.[1]?.trim() ?? '',
    headers,
    blocks: lines,
    error: (errorText ?? '').trim(),
    seconds: Math.floor(Number(time) || 0),
    path: pathPart?.split('\n')[0],
    body,
  }
}
