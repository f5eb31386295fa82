/**
 * `template`: render a template from the controller with the host's variables and put the result on the host
 * atomically: Jinja exactly as Ansible renders it (`.j2` and any other name), handlebars for `.hbs` files.
 * Changed only when the rendered content (SHA-1) or mode/owner/group differ.
 *
 * @example
 * ```yaml
 * - name: hydra's configuration
 *   template: { src: hydra.conf.hbs, dest: /var/lib/hydra/hydra.conf, owner: hydra, mode: '0640' }
 * - template: { src: nginx.conf.j2, dest: /etc/nginx/sites-enabled/site.conf }
 * ```
 */
import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { defineModule } from '../engine/module.js'
import { attrArgs, backupArg } from './lib/args.js'
import { findSource } from './lib/files.js'
import { gatherPut, planPut, type PutState } from './lib/put.js'
import { decryptIfVaulted } from '../engine/vault/keyring.js'

const Args = Type.Object(
  {
    src: Type.String({
      description:
        'Template on the controller: absolute, or looked up as Ansible does in the role, then the folder of ' +
        "the task's file, then the playbook's folder (each one's templates/ first).",
    }),
    dest: Type.String({ description: "Path on the host (ending in `/`: into that folder under `src`'s name)." }),
    force: Defaulted(
      Type.Boolean({
        default: true,
        description: 'Replace the file when its content differs; false: only write it when absent.',
      }),
    ),
    ...attrArgs,
    mode: Type.Optional(
      Type.Union([Type.String(), Type.Integer()], {
        description:
          "Permissions: octal ('0644'), symbolic ('u=rw,g=r,o=r'), or 'preserve' (the template file's mode).",
      }),
    ),
    ...backupArg,
    validate: Type.Optional(
      Type.String({ description: 'Command to check the new file before it replaces the old one; `%s` is its path.' }),
    ),
  },
  { additionalProperties: false },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

export default defineModule({
  name: 'template',
  summary: 'Render a Jinja (or .hbs handlebars) template with the host variables and write it to the host',
  schema: Args,
  changedWhen: 'the rendered content (SHA-1) or mode/owner/group differ',
  check: 'full',
  example: 'template: { src: motd.j2, dest: /etc/motd }',
  async gather(args: Args, ctx, io): Promise<PutState> {
    const file = await findSource(args.src, ctx.searchPaths, 'templates')
    const text = decryptIfVaulted(await readFile(file), file).toString('utf8')
    const content = Buffer.from(ctx.render(text, file), 'utf8')
    const srcMode = (await stat(file)).mode
    return gatherPut(io, ctx, { dest: args.dest, content, basename: basename(file), srcMode })
  },
  plan(state, args, ctx) {
    const plan = planPut(state, args, ctx.checkMode)
    plan.data = { ...plan.data, src: args.src }
    return plan
  },
})
