/**
 * `copy`: put a file on the host from inline `content` or a controller `src`, atomically, with mode/owner/group.
 * Changed only when the content (SHA-1) or an attribute differs. Folder `src` is not supported (copy each file).
 *
 * @example
 * ```yaml
 * - name: a message of the day
 *   copy: { content: "Welcome to {{ inventory_hostname }}\n", dest: /etc/motd, mode: '0644' }
 * - copy: { src: hydra.conf, dest: /etc/hydra/, owner: hydra, backup: true }
 * ```
 */
import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { argRules } from '../engine/argrules.js'
import { defineModule, ModuleFailure } from '../engine/module.js'
import { attrArgs, backupArg } from './lib/args.js'
import { findSource } from './lib/files.js'
import { gatherPut, planPut, type PutState } from './lib/put.js'

const Args = Type.Object(
  {
    content: Type.Optional(Type.String({ description: 'The file content, written as given (use instead of `src`).' })),
    src: Type.Optional(
      Type.String({
        description:
          "File on the controller: absolute, or looked up in the role's files/ folder, then the playbook's folder.",
      }),
    ),
    dest: Type.String({
      description:
        "Path on the host. Ending in `/` (or naming an existing folder): the file goes into it under `src`'s name.",
    }),
    force: Defaulted(
      Type.Boolean({
        default: true,
        description: 'Replace the file when its content differs; false: only write it when absent.',
      }),
    ),
    ...attrArgs,
    mode: Type.Optional(
      Type.Union([Type.String(), Type.Integer()], {
        description: "Permissions: octal ('0644'), symbolic ('u=rw,g=r,o=r'), or 'preserve' (the mode of `src`).",
      }),
    ),
    ...backupArg,
    validate: Type.Optional(
      Type.String({
        description:
          'Command to check the new file before it replaces the old one; `%s` is its path (e.g. `visudo -cf %s`).',
      }),
    ),
  },
  {
    additionalProperties: false,
    ...argRules({ required_one_of: [['content', 'src']], mutually_exclusive: [['content', 'src']] }),
  },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

export default defineModule({
  name: 'copy',
  summary: 'Copy inline content or a controller file to the host (atomic, checksum-compared)',
  schema: Args,
  changedWhen: 'the content (SHA-1) or mode/owner/group differ',
  check: 'full',
  example: 'copy: { content: "hello\\n", dest: /etc/motd, mode: "0644" }',
  async gather(args: Args, ctx, io): Promise<PutState> {
    let content: Buffer
    let name: string | undefined
    let srcMode: number | undefined
    if (args.src !== undefined) {
      const file = await findSource(args.src, ctx.searchPaths, 'files')
      content = await readFile(file)
      srcMode = (await stat(file)).mode
      name = basename(file)
    } else {
      if (args.dest.endsWith('/')) throw new ModuleFailure('can not use content with a folder as dest: name the file')
      content = Buffer.from(args.content ?? '', 'utf8')
    }
    return gatherPut(io, ctx, { dest: args.dest, content, basename: name, srcMode })
  },
  plan(state, args, ctx) {
    const plan = planPut(state, args, ctx.checkMode)
    if (args.src !== undefined) plan.data = { ...plan.data, src: args.src }
    return plan
  },
})
