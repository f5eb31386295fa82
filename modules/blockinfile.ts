/**
 * `blockinfile`: make sure a block of lines, between two marker lines, is in a file (replaced in place when the
 * markers are there, else inserted after/before a matching line or at EOF/BOF), or removed with its markers.
 * The new content is computed purely from the old (`lib/block.ts`, Ansible's algorithm) and written atomically;
 * `--diff` shows the change.
 *
 * @example
 * ```yaml
 * - blockinfile:
 *     path: /etc/ssh/sshd_config
 *     marker: "# {mark} tsplay: build users"
 *     block: |
 *       Match User hydra-queue-runner
 *         PasswordAuthentication no
 * ```
 */
import { Type, type Static } from '@sinclair/typebox'
import { argRules } from '../engine/argrules.js'
import { defineModule, type Plan } from '../engine/module.js'
import { attrArgs, backupArg, pathArgs } from './lib/args.js'
import { attributesArg } from './lib/chattr.js'
import { contextArgs } from './lib/contexts.js'
import { editBlock, LineError, type BlockEdit } from './lib/block.js'
import { effective, isType } from './lib/probe.js'
import { gatherText, planText, type TextFacts } from './lib/textedit.js'

const Args = Type.Object(
  {
    ...pathArgs('The file to edit.', ['dest', 'destfile', 'name']),
    state: Type.Optional(
      Type.Union([Type.Literal('present'), Type.Literal('absent')], {
        default: 'present',
        description: 'Whether the block should be there.',
      }),
    ),
    block: Type.Optional(
      Type.String({
        default: '',
        description: 'The lines between the markers; empty (or state=absent) removes the block.',
        aliases: ['content'],
      }),
    ),
    marker: Type.Optional(
      Type.String({
        default: '# {mark} ANSIBLE MANAGED BLOCK',
        description: 'The marker line; `{mark}` becomes `marker_begin` or `marker_end`. Use one per block.',
      }),
    ),
    marker_begin: Type.Optional(Type.String({ default: 'BEGIN', description: '`{mark}` in the first marker.' })),
    marker_end: Type.Optional(Type.String({ default: 'END', description: '`{mark}` in the last marker.' })),
    insertafter: Type.Optional(
      Type.String({
        description: "Without markers yet: insert after the last line this regexp matches, or 'EOF' (the default).",
      }),
    ),
    insertbefore: Type.Optional(
      Type.String({ description: "Without markers yet: insert before the last line this regexp matches, or 'BOF'." }),
    ),
    create: Type.Optional(
      Type.Boolean({ default: false, description: 'Create the file when missing (else the task fails).' }),
    ),
    validate: Type.Optional(
      Type.String({ description: 'Command to check the new file before it replaces the old one; `%s` is its path.' }),
    ),
    ...backupArg,
    ...attrArgs,
    ...attributesArg,
    ...contextArgs,
  },
  { additionalProperties: false, ...argRules({ mutually_exclusive: [['insertbefore', 'insertafter']] }) },
)
type Args = Static<typeof Args>

/** The edit the arguments ask for (defaults as Ansible's). */
export function blockOf(a: Args): BlockEdit {
  return {
    state: a.state,
    block: a.block ?? '',
    marker: a.marker ?? '# {mark} ANSIBLE MANAGED BLOCK',
    markerBegin: a.marker_begin ?? 'BEGIN',
    markerEnd: a.marker_end ?? 'END',
    insertafter: a.insertafter,
    insertbefore: a.insertbefore,
  }
}

/** Decide. Pure. In check mode a missing file is assumed to be created by an earlier task (predicted, not failed). */
export function planBlock(f: TextFacts, a: Args, checkMode = false): Plan {
  const fail = (msg: string): Plan => ({ commands: [], fail: msg })
  if (isType(effective(f.info), 'directory')) return { ...fail(`Path ${f.path} is a directory !`), data: { rc: 256 } }
  // as in Ansible, a missing file fails without `create` whatever the state (check mode: predicted instead)
  if (!f.info.exists && !a.create && !checkMode)
    return { ...fail(`Path ${f.path} does not exist !`), data: { rc: 257 } }
  if (f.info.exists && f.content === undefined) return fail(`cannot edit ${f.path}: it is not readable UTF-8 text`)
  try {
    const edit = editBlock(f.info.exists ? f.content : undefined, blockOf(a))
    if (!f.info.exists && edit.msg === 'File not present') return { commands: [], msg: `File ${f.path} not present` }
    return planText(f, a, edit)
  } catch (e) {
    if (e instanceof LineError) return fail(e.message)
    throw e
  }
}

export default defineModule({
  name: 'blockinfile',
  summary: 'Insert, update or remove a block of lines between marker lines',
  schema: Args,
  changedWhen: 'the file content or its mode/owner/group change',
  check: 'full',
  example: 'blockinfile: { path: /etc/hosts, block: "10.0.0.2 pi2\\n10.0.0.3 pi3" }',
  gather: (args: Args, _ctx, io): Promise<TextFacts> => gatherText(args.path, io, args.attributes !== undefined),
  plan: (facts, args, ctx) => planBlock(facts, args, ctx.checkMode),
})
