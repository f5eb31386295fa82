/**
 * `template`: render a template from the controller with the host's variables and put the result on the host
 * atomically: Jinja exactly as Ansible renders it (`.j2` and any other name), handlebars for `.hbs` files.
 * Changed only when the rendered content (SHA-1) or mode/owner/group differ. Jinja's `trim_blocks`/`lstrip_blocks`,
 * the line ending and the output encoding are arguments, as in Ansible.
 *
 * @example
 * ```yaml
 * - name: hydra's configuration
 *   template: { src: hydra.conf.hbs, dest: /var/lib/hydra/hydra.conf, owner: hydra, mode: '0640' }
 * - template: { src: nginx.conf.j2, dest: /etc/nginx/sites-enabled/site.conf }
 * ```
 */
import { readFileSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import { Type, type TOptional, type TString } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { defineModule, ModuleFailure } from '../engine/module.js'
import { attrArgs, backupArg } from './lib/args.js'
import { attributesArg } from './lib/chattr.js'
import { contextArgs } from './lib/contexts.js'
import { EncodeError, encodeText } from './lib/encodings.js'
import { findSource } from './lib/files.js'
import { gatherPut, planPut, type PutState } from './lib/put.js'
import { decryptIfVaulted } from '../engine/vault/keyring.js'
import { jinjaOptionsOf } from '../engine/template.js'
import { addPathInfo } from './lib/pathinfo.js'

/** One of Jinja's delimiter arguments (`variable_start_string`, …): optional, Jinja's own by default. */
function delimiter<K extends string>(name: K, jinja: string, what: string) {
  const end = name.endsWith('_end_string')
  const description = `What ${end ? 'ends' : 'starts'} ${what} in the template (default \`${jinja}\`)`
  return { [name]: Type.Optional(Type.String({ minLength: 1, description })) } as Record<K, TOptional<TString>>
}

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
    ...attributesArg,
    ...contextArgs,
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
    follow: Defaulted(
      Type.Boolean({
        default: false,
        description: 'A symlink at `dest`: write to the file it points to (false: replace the link with a file).',
      }),
    ),
    trim_blocks: Defaulted(
      Type.Boolean({
        default: true,
        description: 'Drop the first newline after a block tag (a `#jinja2:` line wins).',
      }),
    ),
    lstrip_blocks: Defaulted(
      Type.Boolean({
        default: false,
        description: 'Strip spaces and tabs before a block tag alone on its line (a `#jinja2:` line wins).',
      }),
    ),
    ...delimiter('variable_start_string', '{{', 'a value'),
    ...delimiter('variable_end_string', '}}', 'a value'),
    ...delimiter('block_start_string', '{%', 'a block'),
    ...delimiter('block_end_string', '%}', 'a block'),
    ...delimiter('comment_start_string', '{#', 'a comment'),
    ...delimiter('comment_end_string', '#}', 'a comment'),
    newline_sequence: Defaulted(
      Type.Union(
        [
          Type.Literal('\n'),
          Type.Literal('\r'),
          Type.Literal('\r\n'),
          Type.Literal('\\n'),
          Type.Literal('\\r'),
          Type.Literal('\\r\\n'),
        ],
        {
          default: '\n',
          description:
            "The line ending written (the rendered text's newlines become this); written escaped (`'\\r\\n'` " +
            'in single quotes) it means the same, as in Ansible.',
        },
      ),
    ),
    output_encoding: Defaulted(
      Type.String({
        default: 'utf-8',
        description:
          'The encoding the file is written in, a Python codec name: utf-8, utf-8-sig, utf-16 and utf-32 (with ' +
          'their -le/-be), ascii, latin-1, iso-8859-2…16, cp1250–cp1258, koi8-r, koi8-u, cp866, cp874, mac-roman.',
      }),
    ),
  },
  { additionalProperties: false },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

/** The rendered text in `encoding` (a Python codec name); fails, as Python's codecs, on a name or character. */
export function encodeOutput(text: string, encoding: string): Buffer {
  try {
    return encodeText(text, encoding)
  } catch (e) {
    if (e instanceof EncodeError) throw new ModuleFailure(e.message)
    throw e
  }
}

export default defineModule({
  name: 'template',
  summary: 'Render a Jinja (or .hbs handlebars) template with the host variables and write it to the host',
  schema: Args,
  changedWhen: 'the rendered content (SHA-1) or mode/owner/group differ',
  check: 'full',
  example: 'template: { src: motd.j2, dest: /etc/motd }',
  pathInfo: addPathInfo,
  async gather(args: Args, ctx, io): Promise<PutState> {
    const file = await findSource(args.src, ctx.searchPaths, 'templates')
    // a small local file, read for every host: synchronous reads cost far less CPU than a trip through the thread pool
    const text = decryptIfVaulted(readFileSync(file), file).toString('utf8')
    const jinja = jinjaOptionsOf(args, true)
    const newline = args.newline_sequence.replace(/\\r/g, '\r').replace(/\\n/g, '\n')
    const rendered = ctx.render(text, file, jinja, args.dest).replace(/\n/g, newline)
    const content = encodeOutput(rendered, args.output_encoding)
    const srcMode = statSync(file).mode
    const attributes = args.attributes !== undefined
    return gatherPut(io, ctx, {
      dest: args.dest,
      content,
      basename: basename(file),
      srcMode,
      follow: args.follow,
      attributes,
    })
  },
  plan(state, args, ctx) {
    return planPut(state, args, ctx.checkMode)
  },
})
