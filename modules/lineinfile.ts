/**
 * `lineinfile`: make sure one line is in a file (or replace the line a regexp matches), or that matching lines
 * are absent. The new content is computed purely from the old (`lib/lines.ts`, Ansible's algorithm) and
 * written atomically; `--diff` shows the change.
 *
 * @example
 * ```yaml
 * - lineinfile:
 *     path: /etc/nix/nix.conf
 *     regexp: '^max-jobs ='
 *     line: "max-jobs = {{ facts.processor_count }}"
 *     create: true
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { argRules } from '../engine/argrules.js'
import { defineModule, type Plan } from '../engine/module.js'
import { attrArgs, backupArg, pathArgs } from './lib/args.js'
import { attributesArg } from './lib/chattr.js'
import { contextArgs } from './lib/contexts.js'
import { editLines, LineError, type LineEdit } from './lib/lines.js'
import { effective, isType } from './lib/probe.js'
import { gatherText, planText, planWrite, type TextFacts } from './lib/textedit.js'

const Args = Type.Object(
  {
    ...pathArgs('The file to edit.', ['dest', 'destfile', 'name']),
    state: Defaulted(
      Type.Union([Type.Literal('present'), Type.Literal('absent')], {
        default: 'present',
        description: 'Whether the line should be there.',
      }),
    ),
    line: Type.Optional(
      Type.String({
        description: 'The line to insert or replace with (required for state=present).',
        aliases: ['value'],
      }),
    ),
    regexp: Type.Optional(
      Type.String({
        description: 'Regular expression: the last matching line is replaced (present) or all are removed (absent).',
        aliases: ['regex'],
      }),
    ),
    search_string: Type.Optional(Type.String({ description: 'Literal text instead of `regexp`.' })),
    insertafter: Type.Optional(
      Type.String({ description: "Regexp of the line to insert after, or 'EOF' (the default) when nothing matches." }),
    ),
    insertbefore: Type.Optional(Type.String({ description: "Regexp of the line to insert before, or 'BOF'." })),
    create: Defaulted(
      Type.Boolean({ default: false, description: 'Create the file when missing (else state=present fails).' }),
    ),
    firstmatch: Defaulted(
      Type.Boolean({ default: false, description: 'Use the first matching line instead of the last.' }),
    ),
    backrefs: Defaulted(
      Type.Boolean({
        default: false,
        description: 'Expand \\1/\\g<name> in `line` from the regexp match; change nothing when it does not match.',
      }),
    ),
    validate: Type.Optional(
      Type.String({ description: 'Command to check the new file before it replaces the old one; `%s` is its path.' }),
    ),
    ...backupArg,
    ...attrArgs,
    ...attributesArg,
    ...contextArgs,
  },
  {
    additionalProperties: false,
    ...argRules({
      mutually_exclusive: [
        ['regexp', 'search_string'],
        ['insertafter', 'insertbefore'],
        ['backrefs', 'search_string'],
      ],
      required_if: [
        ['state', 'present', ['line']],
        ['state', 'absent', ['line', 'regexp', 'search_string'], true],
        ['backrefs', true, ['regexp']],
      ],
    }),
  },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

/** The edit the arguments ask for. */
export function editOf(a: Args): LineEdit {
  return {
    state: a.state,
    line: a.line,
    regexp: a.regexp,
    search_string: a.search_string,
    insertafter: a.insertafter,
    insertbefore: a.insertbefore,
    firstmatch: a.firstmatch,
    backrefs: a.backrefs,
  }
}

/** Decide. Pure. In check mode a missing file is assumed to be created by an earlier task (predicted, not failed). */
export function planLine(f: TextFacts, a: Args, checkMode = false): Plan {
  const node = effective(f.info)
  const fail = (msg: string): Plan => ({ commands: [], fail: msg })
  if (isType(node, 'directory')) return { ...fail(`Path ${f.path} is a directory !`), data: { rc: 256 } }
  const edit = editOf(a)
  if (!f.info.exists) {
    if (edit.state === 'absent') return { commands: [], msg: 'file not present', data: { found: 0 } }
    if (!a.create && !checkMode) return { ...fail(`Destination ${f.path} does not exist !`), data: { rc: 257 } }
  } else if (f.content === undefined) return fail(`cannot edit ${f.path}: it is not readable UTF-8 text`)
  let r
  try {
    r = editLines(f.content ?? '', edit)
  } catch (e) {
    if (e instanceof LineError) return fail(e.message)
    throw e
  }
  const data: Record<string, unknown> = { backup: '' }
  if (r.found !== undefined) data.found = r.found
  // Unchanged, the edit's message is empty: the shared plan adds only the attributes and their message.
  if (!r.changed) return planText(f, a, { msg: r.msg }, data)
  const { commands, attrChanges } = planWrite(f, a, r.content)
  const changes = [`${r.msg} in ${f.path}`, ...attrChanges]
  return { commands, changes, msg: r.msg, data, diff: [{ path: f.path, before: f.content ?? '', after: r.content }] }
}

export default defineModule({
  name: 'lineinfile',
  summary: 'Ensure a line is in a file (or replace/remove lines by regexp)',
  schema: Args,
  changedWhen: 'the file content or its mode/owner/group change',
  check: 'full',
  example: "lineinfile: { path: /etc/hosts, line: '127.0.1.1 pi1' }",
  gather: (args: Args, _ctx, io): Promise<TextFacts> => gatherText(args.path, io, args.attributes !== undefined),
  plan: (state, args, ctx) => planLine(state, args, ctx.checkMode),
})
