/**
 * Schema pieces shared by the file modules (Ansible's "files" argument fragment): `mode`, `owner`, `group`,
 * `backup`, and `path` with its `dest`/`name` aliases (resolved by the engine before a module sees its arguments).
 *
 * @example
 * ```ts
 * const Args = Type.Object({ ...pathArgs('Path of the file'), ...attrArgs }, { additionalProperties: false })
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted } from '../../engine/argtypes.js'

/** `mode`, `owner`, `group`: the attributes every file module can set. */
export const attrArgs = {
  mode: Type.Optional(
    Type.Union([Type.String(), Type.Integer()], {
      description:
        "Permissions: octal as a quoted string ('0644'), or symbolic ('u=rw,g=r,o=r', 'a+X'). An unquoted " +
        '0644 is read as the number 644 and treated as octal digits.',
    }),
  ),
  owner: Type.Optional(
    Type.String({ description: 'User that should own the file (name or uid); needs `become` to change.' }),
  ),
  group: Type.Optional(Type.String({ description: 'Group that should own the file (name or gid).' })),
}

/** `backup`: keep the old file as `PATH.PID.DATE@TIME~`, named as Ansible names it. */
export const backupArg = {
  backup: Defaulted(
    Type.Boolean({
      default: false,
      description:
        'Keep a copy of the old file first (PATH.PID.DATE@TIME~; registered as `backup_file`, by lineinfile as ' +
        '`backup`).',
    }),
  ),
}

/**
 * `path` (required, never empty) with Ansible's aliases (`dest` and `name` unless told otherwise); modules read
 * `args.path`.
 */
export function pathArgs(description: string, aliases: readonly string[] = ['dest', 'name']) {
  return { path: Type.String({ minLength: 1, description, aliases: [...aliases] }) }
}

/**
 * A CA file, a client certificate and key (files on the host), ~/.netrc and the TLS ciphers: how `uri` and `get_url`
 * reach a server.
 */
export const tlsArgs = {
  ca_path: Type.Optional(Type.String({ description: 'CA certificates file on the host to verify the server with.' })),
  client_cert: Type.Optional(Type.String({ description: 'Client certificate file (PEM) on the host.' })),
  client_key: Type.Optional(Type.String({ description: 'Client key file (PEM) on the host.' })),
  use_netrc: Defaulted(
    Type.Boolean({ default: true, description: "Read credentials from the login user's ~/.netrc if there is one." }),
  ),
  ciphers: Type.Optional(
    Type.Array(Type.String(), {
      description:
        'OpenSSL cipher names (a list, or one string split at commas; joined with `:`) for TLS 1.2 and older, as ' +
        "Python's `set_ciphers` (TLS 1.3's suites stay); none in common with the server fails the request.",
    }),
  ),
}
