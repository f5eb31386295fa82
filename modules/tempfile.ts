/**
 * `tempfile`: create a new temporary file (mode 0600) or folder (0700) on the host with `mktemp`, named
 * PREFIX + 8 random characters + SUFFIX, and register its `path`. Always changed, as in Ansible; in check mode
 * nothing is created and no path is registered.
 *
 * @example
 * ```yaml
 * - tempfile: { state: directory, suffix: build }
 *   register: work
 * - command: make -C "{{ work.path }}"
 * ```
 */
import { Type, type Static } from '@sinclair/typebox'
import { defineModule, type Plan } from '../engine/module.js'
import type { Command } from '../engine/types.js'
import { parsePathProbe, pathProbe } from './lib/probe.js'
import { octal } from './lib/mode.js'
import { addPathInfo } from './lib/pathinfo.js'

const Args = Type.Object(
  {
    state: Type.Optional(
      Type.Union([Type.Literal('file'), Type.Literal('directory')], {
        default: 'file',
        description: 'Create a file or a folder.',
      }),
    ),
    path: Type.Optional(
      Type.String({ minLength: 1, description: 'Folder to create it in (default: $TMPDIR or /tmp on the host).' }),
    ),
    prefix: Type.Optional(Type.String({ default: 'ansible.', description: 'Start of the name.' })),
    suffix: Type.Optional(Type.String({ default: '', description: 'End of the name.' })),
  },
  { additionalProperties: false },
)
type Args = Static<typeof Args>

/** The `mktemp` command. Pure. */
export function mktempCommand(a: Args): Command {
  const state = a.state ?? 'file'
  return {
    argv: [
      'mktemp',
      ...(state === 'directory' ? ['-d'] : []),
      a.path !== undefined ? `--tmpdir=${a.path}` : '--tmpdir',
      `--suffix=${a.suffix ?? ''}`,
      '--',
      `${a.prefix ?? 'ansible.'}XXXXXXXX`,
    ],
    describe: `create a temporary ${state}`,
  }
}

/** Decide. Pure: always one `mktemp`. */
export function planTempfile(a: Args): Plan {
  if ((a.prefix ?? '').includes('/') || (a.suffix ?? '').includes('/'))
    return { commands: [], fail: 'prefix and suffix may not contain "/"' }
  const cmd = mktempCommand(a)
  return { commands: [cmd], changes: [`${cmd.describe} in ${a.path ?? '$TMPDIR'}`] }
}

export default defineModule({
  name: 'tempfile',
  summary: 'Create a temporary file or folder and register its path',
  schema: Args,
  changedWhen: 'always (a new file or folder each time)',
  check: 'partial',
  example: 'tempfile: { state: directory, suffix: build }',
  pathInfo: addPathInfo,
  gather: async () => undefined,
  plan: (_facts, args) => planTempfile(args),
  async after(_facts, args, results, _ctx, io) {
    const r = results[0]
    if (!r || r.rc !== 0) return { fail: (r?.stderr || 'mktemp failed').trim() }
    const path = r.stdout.trim()
    const info = parsePathProbe((await io.run(pathProbe(path))).stdout)
    const data: Record<string, unknown> = { path, state: args.state ?? 'file' }
    if (info.exists) {
      Object.assign(data, {
        uid: info.self.uid,
        gid: info.self.gid,
        owner: info.self.owner,
        group: info.self.group,
        mode: octal(info.self.mode),
        size: info.self.size,
      })
    }
    return { data }
  },
})
