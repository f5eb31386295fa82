/**
 * `slurp`: read a file from the host and register its bytes as base64 (`content`, `encoding: base64`, `source`),
 * as Ansible's `slurp`; binary safe. Read-only: never changed, the same in check mode. A missing path, a folder
 * or an unreadable file fails the task with Ansible's message.
 *
 * @example
 * ```yaml
 * - slurp: { src: /etc/hostname }
 *   register: h
 * - debug: { msg: "{{ h.content | b64decode }}" }
 * ```
 */
import { Type, type Static } from '@sinclair/typebox'
import { sh } from '../engine/commands.js'
import { defineModule, ModuleFailure, type Plan } from '../engine/module.js'
import type { Command, CommandResult } from '../engine/types.js'
import { ALL_CODES } from './lib/run.js'

const Args = Type.Object(
  {
    src: Type.String({ description: 'The file on the host to read.', aliases: ['path'] }),
  },
  { additionalProperties: false },
)
type Args = Static<typeof Args>

/** Exit 3: missing, 4: a folder, 5: not readable; else the file as one base64 line. */
const READ = '[ -e "$1" ] || exit 3; [ -d "$1" ] && exit 4; [ -r "$1" ] || exit 5; base64 -w0 -- "$1"'

/** The read-only command that reads `src`. */
export function slurpCommand(src: string): Command {
  return sh(READ, [src], { okCodes: ALL_CODES, describe: `read ${src}` })
}

/** The registered result, or Ansible's failure message for exit codes 3–5. Pure. */
export function slurpResult(src: string, r: CommandResult): Record<string, unknown> {
  if (r.rc === 3) throw new ModuleFailure(`file not found: ${src}`)
  if (r.rc === 4) throw new ModuleFailure(`source is a directory and must be a file: ${src}`)
  if (r.rc === 5) throw new ModuleFailure(`file is not readable: ${src}`)
  if (r.rc !== 0) throw new ModuleFailure(`cannot read ${src} (rc ${r.rc}): ${r.stderr.trim()}`)
  return { content: r.stdout.trim(), encoding: 'base64', source: src }
}

export default defineModule({
  name: 'slurp',
  summary: 'Read a file from the host into a variable (base64)',
  schema: Args,
  changedWhen: 'never',
  check: 'full',
  example: 'slurp: { src: /etc/hostname }',
  gather: async (args: Args, _ctx, io) => slurpResult(args.src, await io.run(slurpCommand(args.src))),
  plan: (data): Plan => ({ commands: [], changed: false, data }),
})
