/**
 * The download step of `get_url`, run on the host with `curl`: into a temp file beside the destination, checked
 * against the expected checksum, then compared with the old file and moved over it only when the bytes differ
 * (mode/owner of an old file kept, a new one 0644), then `mode`/`owner`/`group` applied. The script is constant
 * text; the URL, paths and values are arguments, headers and credentials go to curl's config on stdin.
 *
 * @example
 * ```ts
 * downloadCommand({ url: 'https://x/a.tgz', dest: '/srv/a.tgz', timeout: 10, config: curlConfig({}) })
 * ```
 */
import { sh } from '../../engine/commands.js'
import type { Command } from '../../engine/types.js'
import { attributeWords, CHATTR_DEST } from './chattr.js'
import { CONTENT_HEADERS, DROP, KEEP, NEXT_HOP, SPLIT_CONFIGS } from './redirect.js'

/** What the download needs. */
export interface Download {
  url: string
  dest: string
  timeout: number
  /** curl config text (headers, credentials, flags) for stdin. */
  config: string
  /** Expected digest: algorithm (md5, sha1, sha256, …) and lowercase hex. */
  algorithm?: string
  checksum?: string
  mode?: string
  owner?: string
  group?: string
  backup?: boolean
  /** Folder for the temp file (default: the destination's). */
  tmpDir?: string
  /**
   * `dest` is a folder's default name: a `Content-Disposition: attachment; filename=…` answer names the file
   * instead (its base name), as Ansible's get_url does for a folder `dest`.
   */
  named?: boolean
  /** chattr flags (`attributes`), set last; a change to them is reported as `attrs=1`. */
  attributes?: string
  /** `config` holds the redirect's configs too (`redirectConfigs`): two hops (lib/redirect.ts). */
  twoHops?: boolean
}

const SCRIPT = [
  'cfg=$(cat)',
  'url=$1; dest=$2; timeout=$3; algo=$4; sum=$5; mode=$6; owner=$7; group=$8; backup=$9; shift 9',
  'tmpdir=$1; named=$2; two=$3; aop=$4; afl=$5',
  'command -v curl >/dev/null || { echo "get_url needs curl on the host" >&2; exit 127; }',
  'case $dest in */*) dir=${dest%/*}; dir=${dir:-/} ;; *) dir=. ;; esac',
  '[ -d "$dir" ] || { echo "Destination $dir does not exist" >&2; exit 4; }',
  'tmp=$(mktemp "${tmpdir:-$dir}/.tsplay-get.XXXXXXXX") || exit 4',
  'jar=; hdr=/dev/null',
  'trap \'rm -f -- "$tmp" ${jar:+"$jar"}; [ "$hdr" = /dev/null ] || rm -f -- "$hdr"\' EXIT HUP INT TERM',
  '[ -z "$named" ] || hdr=$(mktemp "${tmpdir:-$dir}/.tsplay-hdr.XXXXXXXX") || exit 4',
  SPLIT_CONFIGS,
  // two hops share a cookie jar: what the first answer sets goes with the redirect, as in one hop
  '[ -z "$two" ] || jar=$(mktemp) || exit 4',
  'get() { curl -sS --fail --max-time "$timeout" -K - -D "$hdr" -o "$tmp" ${jar:+-b "$jar" -c "$jar"} "$@"; }',
  'if [ -z "$two" ]; then code=$(printf "%s\\n" "$c1" | get -L -w "%{http_code}" -- "$url"); rc=$?',
  'else',
  // the first hop alone, with every header; a redirect's Location then without the unredirected ones
  '  w=$(printf "%s\\n" "$c1" | get -w "%{http_code}R%{redirect_url}" -- "$url"); rc=$?',
  '  code=${w%%R*}; loc=${w#*R}; method=GET',
  NEXT_HOP,
  '  if [ "$rc" = 0 ] && [ -n "$hop" ] && [ -n "$loc" ]; then',
  '    code=$(printf "%s\\n" "$c2" | get -L -w "%{http_code}" -- "$loc"); rc=$?',
  '  fi',
  'fi',
  'if [ -n "$named" ]; then',
  // the last answer's `Content-Disposition: attachment; filename=NAME` (Ansible's pattern), its base name
  '  n=$(tr -d "\\r" < "$hdr" | awk \'/^HTTP\\// { n = "" } tolower($0) ~ /^content-disposition:/ { v = $0',
  '    sub(/^[^:]*: */, "", v); if (match(v, /^attachment; ?filename="?[^"]+/)) {',
  '      v = substr(v, RSTART, RLENGTH); sub(/^attachment; ?filename="?/, "", v); n = v } } END { print n }\')',
  '  n=${n##*/}; case $n in ""|.|..) ;; *) dest=${dest%/*}/$n ;; esac; echo "dest=$dest"',
  'fi',
  'echo "status=$code"',
  'if [ $rc -ne 0 ]; then echo "Request failed (curl exit $rc, HTTP $code)" >&2; exit 5; fi',
  'echo "size=$(wc -c < "$tmp")"; echo "checksum_src=$(sha1sum < "$tmp" | cut -d" " -f1)"',
  'if [ -n "$sum" ]; then got=$("${algo}sum" < "$tmp" | cut -d" " -f1)',
  '  if [ "$got" != "$sum" ]; then echo "The checksum for $dest did not match $sum; it was $got." >&2; exit 6; fi; fi',
  'before=; if [ -e "$dest" ]; then before=$(stat -c %a:%u:%g -- "$dest")',
  '  echo "checksum_dest=$(sha1sum < "$dest" | cut -d" " -f1)"; fi',
  'if [ -f "$dest" ] && cmp -s -- "$tmp" "$dest"; then echo changed=0; else',
  '  if [ -e "$dest" ]; then chmod --reference="$dest" -- "$tmp"; chown --reference="$dest" -- "$tmp" 2>/dev/null || :',
  '  else chmod 0644 -- "$tmp"; fi',
  '  if [ -n "$backup" ] && [ -e "$dest" ]; then b="$dest.$(date +%Y%m%d%H%M%S)~"; cp -p -- "$dest" "$b"',
  '    echo "backup_file=$b"; fi',
  '  mv -f -- "$tmp" "$dest"; echo changed=1; fi',
  'trap - EXIT HUP INT TERM; rm -f -- "$tmp" ${jar:+"$jar"}; [ "$hdr" = /dev/null ] || rm -f -- "$hdr"',
  'if [ -n "$mode" ]; then chmod -- "$mode" "$dest"; fi',
  'if [ -n "$owner$group" ]; then chown -- "$owner${group:+:$group}" "$dest"; fi',
  'if [ -n "$before" ] && [ "$before" != "$(stat -c %a:%u:%g -- "$dest")" ]; then echo attrs=1; fi',
  'report="echo attrs=1"',
  CHATTR_DEST,
  'echo "md5sum=$(md5sum < "$dest" | cut -d" " -f1)"',
].join('\n')

/** The command. `okCodes` is 0 only: every failure says why on stderr. */
export function downloadCommand(d: Download): Command {
  return {
    ...sh(SCRIPT, [
      d.url,
      d.dest,
      String(d.timeout),
      d.algorithm ?? '',
      d.checksum ?? '',
      d.mode ?? '',
      d.owner ?? '',
      d.group ?? '',
      d.backup ? '1' : '',
      d.tmpDir ?? '',
      d.named ? '1' : '',
      d.twoHops ? '1' : '',
      ...attributeWords(d.attributes),
    ]),
    stdin: d.config,
    secretStdin: true,
    describe: `download ${d.url} to ${d.dest}`,
  }
}

/** The `key=value` lines the script printed. */
export function parseDownload(stdout: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=')
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1)
  }
  return out
}

const curlEscape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')

/** A value quoted for a curl config file. Throws on a line break (it would end the setting). */
export function curlQuote(v: string): string {
  if (/[\r\n\0]/.test(v)) throw new Error('a header or credential may not contain a line break')
  return `"${curlEscape(v)}"`
}

/** A value for a curl config file where line breaks are allowed (written as `\n`, `\r`, `\t` escapes). */
export function curlText(v: string): string {
  if (v.includes('\0')) throw new Error('a request body may not contain a NUL character')
  return `"${curlEscape(v).replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`
}

/** Options that become curl config lines. */
export interface CurlOptions {
  headers?: Record<string, string>
  username?: string
  password?: string
  /** With `username`: send the credentials at once (`basic`) or after the server asks (`any`, curl's anyauth). */
  auth?: 'basic' | 'any'
  validateCerts?: boolean
  useProxy?: boolean
  agent?: string
  decompress?: boolean
  /** The request body, sent as it is. */
  body?: string
  /** A file on the host curl sends as the body (instead of `body`). */
  bodyFile?: string
  /** Files on the host: a Unix socket to connect through, CA certificates, a client certificate and key. */
  unixSocket?: string
  caPath?: string
  clientCert?: string
  clientKey?: string
  /** Read credentials from ~/.netrc if there is one. */
  netrc?: boolean
  /** OpenSSL cipher names for TLS 1.2 and older (none: curl's default). */
  ciphers?: readonly string[]
}

/** curl config text for the options. Throws when a header or credential has a line break. */
export function curlConfig(o: CurlOptions): string {
  const lines: string[] = []
  for (const [k, v] of Object.entries(o.headers ?? {})) lines.push(`header = ${curlQuote(`${k}: ${v}`)}`)
  if (o.username !== undefined) lines.push(`user = ${curlQuote(`${o.username}:${o.password ?? ''}`)}`)
  if (o.validateCerts === false) lines.push('insecure')
  if (o.useProxy === false) lines.push('noproxy = "*"')
  if (o.agent) lines.push(`user-agent = ${curlQuote(o.agent)}`)
  if (o.decompress !== false) lines.push('compressed')
  if (o.username !== undefined && o.auth) lines.push(o.auth === 'basic' ? 'basic' : 'anyauth')
  if (o.body) lines.push(`data-binary = ${curlText(o.body)}`)
  if (o.bodyFile !== undefined) lines.push(`data-binary = ${curlText(`@${o.bodyFile}`)}`)
  const files: [string | undefined, string][] = [
    [o.unixSocket, 'unix-socket'],
    [o.caPath, 'cacert'],
    [o.clientCert, 'cert'],
    [o.clientKey, 'key'],
  ]
  for (const [v, key] of files) if (v) lines.push(`${key} = ${curlText(v)}`)
  if (o.netrc) lines.push('netrc-optional')
  if (o.ciphers?.length) lines.push(`ciphers = ${curlQuote(o.ciphers.join(':'))}`)
  // curl's cookie engine, empty: cookies an answer sets go with the redirects that follow, as with Ansible's cookie jar
  lines.push('cookie = ""')
  return lines.map((l) => `${l}\n`).join('')
}

/**
 * The configs of a redirected request for `unredirected_headers` (lib/redirect.ts), to append to the first
 * request's; undefined when no header is named.
 */
export function redirectConfigs(base: CurlOptions, names: readonly string[]): string | undefined {
  const gone = new Set(names.map((n) => n.toLowerCase()))
  if (gone.size === 0) return undefined
  const headers = Object.entries(base.headers ?? {}).filter(([k]) => !gone.has(k.toLowerCase()))
  // credentials become an Authorization header: named, they stay with the first request too
  const auth = gone.has('authorization') ? { username: undefined, password: undefined, netrc: false } : {}
  const keep = curlConfig({ ...base, ...auth, headers: Object.fromEntries(headers) })
  const bare = Object.fromEntries(headers.filter(([k]) => !CONTENT_HEADERS.has(k.toLowerCase())))
  const drop = curlConfig({ ...base, ...auth, headers: bare, body: undefined, bodyFile: undefined })
  return `${KEEP}\n${keep}${DROP}\n${drop}`
}
