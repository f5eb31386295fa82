/**
 * `unredirected_headers` of `uri` and `get_url`, as Ansible's urllib handler treats them: the named headers go
 * with the first request only. curl has no such setting, so such a request runs in two hops: the first without
 * following redirects, with every header; when it answers a redirect, the second starts at its `Location` with a
 * config that lacks those headers (and the credentials, when `Authorization` is one of them) and follows the rest
 * itself. Ansible's rules for the redirected request apply at that hop: a 307 or 308 keeps the method and the body;
 * any other drops the body and the `Content-Type`/`Content-Length`/`Transfer-Encoding` headers, and turns a 302
 * or 303 (but a HEAD) and a POST answered by 301 into a GET.
 *
 * The three configs go on curl's stdin one after the other, split by comment lines (`#…`, which curl ignores).
 *
 * @example
 * ```ts
 * const config = curlConfig(opts) + (redirectConfigs(opts, ['Authorization']) ?? '') // download.ts
 * ```
 */
/** The comment lines that split the three configs. */
export const KEEP = '#tsplay-redirect-keep'
export const DROP = '#tsplay-redirect-drop'

/** What the body-less redirect leaves out, as Ansible's handler. */
export const CONTENT_HEADERS: ReadonlySet<string> = new Set(['content-type', 'content-length', 'transfer-encoding'])

/**
 * Shell lines: with `$two` set, split `$cfg` into the first request's config `$c1`, the redirect's with its body
 * `$ck` and without it `$cb`; without, `$c1` is all of it.
 */
export const SPLIT_CONFIGS = [
  'c1=$cfg',
  `if [ -n "$two" ]; then c1=\${cfg%%"${KEEP}"*}; r=\${cfg#*"${KEEP}"}; ck=\${r%%"${DROP}"*}; cb=\${r#*"${DROP}"}; fi`,
].join('\n')

/**
 * Shell lines: after the first hop answered `$code` with the redirect `$loc`, set `$m` (the redirect's method, from
 * `$method`) and `$c2` (its config), and take any `user:password@` out of `$loc`; `$hop` is 1 when `$code` is a
 * redirect curl would follow.
 */
export const NEXT_HOP = [
  // curl writes the credentials it was given into the redirect's URL: they must not reach the next hop that way
  'r=${loc#*://}; h=${r%%[/?#]*}; case $h in *@*) loc=${loc%%://*}://${h##*@}${r#"$h"} ;; esac',
  'hop=; m=$method; c2=$cb',
  'case $code in 301|302|303|307|308) hop=1 ;; esac',
  'case $code in 307|308) c2=$ck ;; 302|303) [ "$method" = HEAD ] || m=GET ;;',
  '  301) [ "$method" != POST ] || m=GET ;; esac',
].join('\n')
