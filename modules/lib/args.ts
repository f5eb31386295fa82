/**
 * Schema pieces shared by the file modules (Ansible's "files" argument fragment): `mode`, `owner`, `group`,
 * `backup`, and the `path`/`dest`/`name` aliases, normalised in one place.
 *
 * @example
 * ```ts
 * const Args = Type.Object({ ...pathArgs('Path of the file'), ...attrArgs }, { additionalProperties: false, ...onePath })
 * ```
 */
import { Type } from '@sinclair/typebox'
import { ModuleFailure } from '../../engine/module.js'

/** `mode`, `owner`, `group`: the attributes every file module can set. */
export const attrArgs = {
  mode: Type.Optional(
    Type.Union([Type.String(), Type.Integer()], {
      description:
        "Permissions: octal as a quoted string ('0644'), or symbolic ('u=rw,g=r,o=r', 'a+X'). An unquoted 0644 is read as the number 644 and treated as octal digits.",
    }),
  ),
  owner: Type.Optional(Type.String({ description: 'User that should own the file (name or uid); needs `become` to change.' })),
  group: Type.Optional(Type.String({ description: 'Group that should own the file (name or gid).' })),
}

/** `backup`: keep the old file as `PATH.<timestamp>~`. */
export const backupArg = {
  backup: Type.Optional(
    Type.Boolean({ default: false, description: 'Keep a copy of the old file as PATH.<timestamp>~ before changing it.' }),
  ),
}

/** `path` with Ansible's aliases `dest` and `name` (one of them is required: see `onePath`). */
export function pathArgs(description: string) {
  return {
    path: Type.Optional(Type.String({ description })),
    dest: Type.Optional(Type.String({ description: 'Alias of `path`.' })),
    name: Type.Optional(Type.String({ description: 'Alias of `path`.' })),
  }
}

/** Schema options requiring one of `path` and its aliases (ajv `anyOf` of `required`). */
export function onePath(aliases: readonly string[] = ['dest', 'name']) {
  return { anyOf: ['path', ...aliases].map((k) => ({ required: [k] })) }
}

/** The path given under `path` or one of its aliases (the one place aliases are resolved). */
export function pathOf(args: Record<string, unknown>, aliases: readonly string[] = ['dest', 'name']): string {
  const given = ['path', ...aliases].filter((k) => typeof args[k] === 'string')
  if (given.length === 0) throw new ModuleFailure('missing required argument: path')
  const values = new Set(given.map((k) => args[k] as string))
  if (values.size > 1) throw new ModuleFailure(`give the path once: ${given.join(' and ')} differ`)
  const path = args[given[0]] as string
  if (path === '') throw new ModuleFailure('path must not be empty')
  return path
}
