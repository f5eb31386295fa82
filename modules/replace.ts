/**
 * `replace`: replace every match of a (Python-style, multiline) regular expression in a file, optionally only in
 * the part after `after` and/or before `before`. Computed purely from the old content, written atomically;
 * `--diff` shows the change. Idempotence is the pattern's: it must not match its own replacement.
 *
 * @example
 * ```yaml
 * - replace:
 *     path: /etc/ssh/sshd_config
 *     regexp: '^#?PasswordAuthentication .*$'
 *     replace: 'PasswordAuthentication no'
 * ```
 */
import { Type, type Static } from '@sinclair/typebox'
import { defineModule, type Plan } from '../engine/module.js'
import { attrArgs, backupArg, pathArgs } from './lib/args.js'
import { attributesArg } from './lib/chattr.js'
import { contextArgs } from './lib/contexts.js'
import { LineError } from './lib/lines.js'
import { effective, isType } from './lib/probe.js'
import { pyRegExp, pySubn } from './lib/pyre.js'
import { gatherText, planText, type TextFacts } from './lib/textedit.js'

const Args = Type.Object(
  {
    ...pathArgs('The file to edit.', ['dest', 'destfile', 'name']),
    regexp: Type.String({
      description: 'Python regular expression, multiline (`^`/`$` match at every line); `.` does not match newlines.',
    }),
    replace: Type.Optional(
      Type.String({
        default: '',
        description: 'The replacement; `\\1`, `\\g<1>`, `\\g<name>` are the groups. Empty removes the matches.',
      }),
    ),
    after: Type.Optional(
      Type.String({ description: 'Only replace after the first match of this regexp (`.` matches newlines).' }),
    ),
    before: Type.Optional(
      Type.String({ description: 'Only replace before the last match of this regexp (`.` matches newlines).' }),
    ),
    encoding: Type.Optional(
      Type.String({ default: 'utf-8', description: 'Character encoding of the file (only utf-8 is supported).' }),
    ),
    validate: Type.Optional(
      Type.String({ description: 'Command to check the new file before it replaces the old one; `%s` is its path.' }),
    ),
    ...backupArg,
    ...attrArgs,
    ...attributesArg,
    ...contextArgs,
  },
  { additionalProperties: false },
)
type Args = Static<typeof Args>

/** What the substitution gave: new text (undefined when the section was not found), count and message. */
export interface ReplaceResult {
  content?: string
  count: number
  msg: string
}

/** Ansible's replace on `text`. Pure; a bad regexp throws `LineError`. */
export function replaceIn(text: string, a: Pick<Args, 'regexp' | 'replace' | 'after' | 'before'>): ReplaceResult {
  // Ansible's own composition: re.compile(after + '(?P<subsection>.*?)' + before, re.DOTALL)
  let pattern = ''
  if (a.after && a.before) pattern = `${a.after}(?P<subsection>.*?)${a.before}`
  else if (a.after) pattern = `${a.after}(?P<subsection>.*)`
  else if (a.before) pattern = `(?P<subsection>.*)${a.before}`
  let start = 0
  let end = text.length
  if (pattern) {
    const section = pyRegExp(pattern, 'sd')
    const m = section.exec(text)
    const at = m?.indices?.groups?.subsection
    if (!at) return { count: 0, msg: `Pattern for before/after params did not match the given file: ${pattern}` }
    ;[start, end] = at
  }
  const part = text.slice(start, end)
  const r = pySubn(pyRegExp(a.regexp, 'gm'), a.replace ?? '', part)
  if (r.count === 0 || r.text === part) return { content: text, count: 0, msg: '' }
  return {
    content: text.slice(0, start) + r.text + text.slice(end),
    count: r.count,
    msg: `${r.count} replacements made`,
  }
}

/** Decide. Pure. In check mode a missing file is assumed to come from an earlier task (nothing to predict). */
export function planReplace(f: TextFacts, a: Args, checkMode = false): Plan {
  const fail = (msg: string): Plan => ({ commands: [], fail: msg })
  if (isType(effective(f.info), 'directory')) return { ...fail(`Path ${f.path} is a directory !`), data: { rc: 256 } }
  if (!/^utf-?8$/i.test(a.encoding ?? 'utf-8')) return fail(`encoding ${a.encoding}: only utf-8 is supported`)
  if (!f.info.exists) {
    if (checkMode) return { commands: [], msg: `Path ${f.path} does not exist yet (check mode)`, data: { rc: 0 } }
    return { ...fail(`Path ${f.path} does not exist !`), data: { rc: 257 } } // Ansible's code for it
  }
  if (f.content === undefined) return fail(`Unable to read the contents of ${f.path}: not UTF-8 text`)
  try {
    const r = replaceIn(f.content, a)
    if (r.content === undefined) return { commands: [], msg: r.msg, data: { rc: 0 } }
    return planText(f, a, { content: r.content, msg: r.msg }, { rc: 0 })
  } catch (e) {
    if (e instanceof LineError) return fail(e.message)
    throw e
  }
}

export default defineModule({
  name: 'replace',
  summary: 'Replace every match of a regular expression in a file',
  schema: Args,
  changedWhen: 'a match was replaced by different text, or mode/owner/group change',
  check: 'full',
  example: "replace: { path: /etc/hosts, regexp: '^127\\.0\\.1\\.1\\s.*$', replace: '127.0.1.1 pi1' }",
  gather: (args: Args, _ctx, io): Promise<TextFacts> => gatherText(args.path, io, args.attributes !== undefined),
  plan: (facts, args, ctx) => planReplace(facts, args, ctx.checkMode),
})
