/**
 * `get_url`: download a file from HTTP, HTTPS, FTP or a `file://` URL to the host, as Ansible's `get_url` does:
 * downloaded on the host (with `curl`) into a temp file, checked against `checksum` (`sha256:HEX`, or the line
 * for the file in a checksum file's URL), and moved over `dest` only when the bytes differ. With a `checksum` that
 * the existing file already has (and no `force`), nothing is downloaded. A folder `dest` gets the name a
 * `Content-Disposition: attachment` answer gives, else the URL's file name (and is always downloaded, as Ansible's).
 *
 * @example
 * ```yaml
 * - get_url:
 *     url: https://releases.nixos.org/nix/nix-2.24.9/install
 *     dest: /tmp/nix-install
 *     checksum: sha256:https://releases.nixos.org/nix/nix-2.24.9/install.sha256
 *     mode: "0755"
 * ```
 */
import { posix } from 'node:path'
import { Type, type Static } from '@sinclair/typebox'
import { sh } from '../engine/commands.js'
import { defineModule, ModuleFailure, type Plan } from '../engine/module.js'
import { attrArgs, backupArg, tlsArgs } from './lib/args.js'
import { planAttrs } from './lib/attrs.js'
import { attributesArg, lsattrProbe, parseLsattr, planChattr } from './lib/chattr.js'
import { contextArgs } from './lib/contexts.js'
import { curlConfig, type CurlOptions, downloadCommand, parseDownload, redirectConfigs } from './lib/download.js'
import {
  CHECKSUM_ALGORITHMS,
  effective,
  isType,
  completeChecksum,
  parsePathProbe,
  pathProbe,
  type ChecksumAlgorithm,
  type PathInfo,
} from './lib/probe.js'
import { addPathInfo } from './lib/pathinfo.js'

const Args = Type.Object(
  {
    url: Type.String({ minLength: 1, description: 'HTTP, HTTPS, FTP or file:// URL.' }),
    dest: Type.String({
      minLength: 1,
      description:
        "File to write, or a folder (the file takes the name a Content-Disposition answer gives, else the URL's).",
    }),
    force: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'Download even when `dest` has the wanted `checksum` already.',
        aliases: ['thirsty'],
      }),
    ),
    checksum: Type.Optional(
      Type.String({
        default: '',
        description: 'ALGORITHM:HEX (`sha256:…`), or ALGORITHM:URL of a checksum file listing the file by name.',
      }),
    ),
    timeout: Type.Optional(Type.Integer({ default: 10, minimum: 1, description: 'Seconds for the request.' })),
    headers: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Request headers.' })),
    url_username: Type.Optional(Type.String({ description: 'User for HTTP basic auth.', aliases: ['username'] })),
    url_password: Type.Optional(
      Type.String({ description: 'Password for HTTP basic auth.', aliases: ['password'], secret: true }),
    ),
    force_basic_auth: Type.Optional(
      Type.Boolean({ default: false, description: 'Accepted; curl sends basic auth with the first request.' }),
    ),
    validate_certs: Type.Optional(Type.Boolean({ default: true, description: 'Check the TLS certificate.' })),
    use_proxy: Type.Optional(Type.Boolean({ default: true, description: 'Use the proxy the environment names.' })),
    http_agent: Type.Optional(Type.String({ default: 'ansible-httpget', description: 'User-Agent header.' })),
    unredirected_headers: Type.Optional(
      Type.Array(Type.String(), {
        description: 'Headers (any case) sent with the first request only, not with the redirects it is answered by.',
      }),
    ),
    decompress: Type.Optional(
      Type.Boolean({ default: true, description: 'Ask for a compressed response and decompress it.' }),
    ),
    tmp_dest: Type.Optional(Type.String({ description: "Folder for the temp file (default: the destination's)." })),
    ...tlsArgs,
    ...backupArg,
    ...attrArgs,
    ...attributesArg,
    ...contextArgs,
  },
  { additionalProperties: false },
)
type Args = Static<typeof Args>

/** What planning needs. */
export interface GetUrlFacts {
  info: PathInfo
  /** The wanted digest (from the argument or the checksum file), lowercase hex, and its algorithm. */
  algorithm?: ChecksumAlgorithm
  checksum?: string
  /** The file's chattr flags (read when `attributes` is given). */
  attrFlags?: string
}

/** `algo:value` split and checked; the value may still be a URL. */
export function splitChecksum(spec: string): { algorithm: ChecksumAlgorithm; value: string } | string {
  const i = spec.indexOf(':')
  if (i < 0) return 'The checksum parameter has to be in format <algorithm>:<checksum>'
  const name = spec.slice(0, i).toLowerCase()
  const algorithm = CHECKSUM_ALGORITHMS.find((a) => a === name)
  if (!algorithm) return `unsupported checksum algorithm ${name}`
  return { algorithm, value: spec.slice(i + 1) }
}

/** The file name a URL names (Ansible's `url_filename`: its path's last part, else index.html). */
export function urlFilename(url: string): string {
  const path = url.replace(/^[a-z]+:\/\/[^/]*/i, '').replace(/[?#].*$/, '')
  return decodeURIComponent(posix.basename(path)) || 'index.html'
}

/** The digest for `filename` in a checksum file (one bare digest, or `DIGEST  NAME` lines). */
export function checksumFromList(text: string, filename: string): string | undefined {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''))
  if (lines.filter(Boolean).length === 1 && lines[0].trim().split(/\s+/).length === 1) return lines[0].trim()
  for (const line of lines) {
    const sp = line.indexOf(' ')
    if (sp < 0) continue
    let name = line.slice(sp + 1)
    if (name.startsWith(' ') || name.startsWith('*')) name = name.slice(1)
    if (name.replace(/^[./]+/, '') === filename) return line.slice(0, sp)
  }
}

/** Decide. Pure. */
export function planGetUrl(f: GetUrlFacts, a: Args): Plan {
  const node = effective(f.info)
  const isDir = isType(node, 'directory')
  const dest = isDir ? posix.join(a.dest, urlFilename(a.url)) : a.dest
  const data: Record<string, unknown> = { url: a.url, dest, checksum_dest: null, checksum_src: null, elapsed: 0 }
  if (!isDir && f.info.exists && !a.force && f.checksum && f.info.checksum === f.checksum) {
    const plan = planAttrs(dest, node, a, { isDir: false })
    const flags = planChattr(dest, f.attrFlags ?? '', a.attributes)
    const attrs = { commands: [...plan.commands, ...flags.commands], changes: [...plan.changes, ...flags.changes] }
    const msg = attrs.commands.length ? 'file already exists but file attributes changed' : 'file already exists'
    return { commands: attrs.commands, changes: attrs.changes, msg, data }
  }
  let config: string
  let redirect: string | undefined
  try {
    const opts: CurlOptions = {
      headers: a.headers,
      username: a.url_username,
      password: a.url_password,
      validateCerts: a.validate_certs,
      useProxy: a.use_proxy,
      agent: a.http_agent ?? 'ansible-httpget',
      decompress: a.decompress,
      caPath: a.ca_path,
      clientCert: a.client_cert,
      clientKey: a.client_key,
      netrc: a.use_netrc && a.url_username === undefined,
      ciphers: a.ciphers,
    }
    config = curlConfig(opts)
    redirect = redirectConfigs(opts, a.unredirected_headers ?? [])
  } catch (e) {
    return { commands: [], fail: (e as Error).message, data }
  }
  const cmd = downloadCommand({
    url: a.url,
    dest,
    timeout: a.timeout ?? 10,
    config: config + (redirect ?? ''),
    twoHops: redirect !== undefined,
    algorithm: f.checksum ? f.algorithm : undefined,
    checksum: f.checksum,
    mode: a.mode === undefined ? undefined : String(a.mode),
    owner: a.owner,
    group: a.group,
    backup: a.backup,
    tmpDir: a.tmp_dest,
    named: isDir,
    attributes: a.attributes,
  })
  return { commands: [cmd], changes: [`download ${a.url} to ${dest} (changed if its content differs)`], data }
}

const FETCH_SUMS = 'exec curl -sS -L --fail --max-time "$2" -- "$1"'

export default defineModule({
  name: 'get_url',
  summary: 'Download a file from a URL to the host (checksum-verified, atomic)',
  schema: Args,
  changedWhen: 'the downloaded bytes differ from the file (or mode/owner/group change)',
  check: 'full',
  example: 'get_url: { url: "https://example.org/a.tar.gz", dest: /srv/a.tar.gz, checksum: "sha256:9f86d0…" }',
  pathInfo: addPathInfo,
  async gather(args: Args, _ctx, io): Promise<GetUrlFacts> {
    let algorithm: ChecksumAlgorithm | undefined
    let checksum: string | undefined
    if (args.checksum) {
      const c = splitChecksum(args.checksum)
      if (typeof c === 'string') throw new ModuleFailure(c)
      algorithm = c.algorithm
      checksum = c.value
      if (/^[a-z]+:\/\//i.test(checksum)) {
        const [r] = await io.batch([sh(FETCH_SUMS, [checksum, String(args.timeout ?? 10)])])
        if (r.rc !== 0) throw new ModuleFailure(`could not fetch ${checksum}: ${r.stderr.trim()}`)
        const found = checksumFromList(r.stdout, urlFilename(args.url))
        if (found === undefined)
          throw new ModuleFailure(`Unable to find a checksum for file '${urlFilename(args.url)}' in '${checksum}'`)
        checksum = found
      }
      checksum = checksum.replace(/\W+/g, '').toLowerCase()
      if (!/^[0-9a-f]+$/.test(checksum)) throw new ModuleFailure('The checksum format is invalid')
    }
    const withFlags = args.attributes !== undefined
    const [probe, lsattr] = await io.batch([
      pathProbe(args.dest, { checksum: algorithm }),
      ...(withFlags ? [lsattrProbe(args.dest, true)] : []),
    ])
    const info = await completeChecksum(io, args.dest, parsePathProbe(probe.stdout))
    return { info, algorithm, checksum, attrFlags: lsattr && parseLsattr(lsattr.stdout) }
  },
  plan: (facts, args) => planGetUrl(facts, args),
  after(_facts, _args, results) {
    const r = results.find((x) => /^status=/m.test(x.stdout)) ?? results.find((x) => x.rc !== 0)
    if (!r) return {}
    const kv = parseDownload(r.stdout)
    const data: Record<string, unknown> = { status_code: Number(kv.status) || kv.status }
    // as Ansible counts it: a checksum mismatch is reported changed (its module had moved the file in), other
    // failures are not
    if (r.rc !== 0) return { data, changed: r.rc === 6, fail: r.stderr.trim() || `download failed (rc ${r.rc})` }
    Object.assign(data, {
      checksum_src: kv.checksum_src,
      checksum_dest: kv.checksum_dest ?? null,
      md5sum: kv.md5sum,
      ...(kv.backup_file ? { backup_file: kv.backup_file } : {}),
      ...(kv.dest ? { dest: kv.dest } : {}),
    })
    return { data, changed: kv.changed === '1' || kv.attrs === '1', msg: `OK (${kv.size} bytes)` }
  },
})
