/**
 * The git module's arguments (ansible-core 2.14's `git`) and the checks Ansible makes on them before it touches
 * anything.
 *
 * @example
 * ```ts
 * checkGitArgs({ ...args, accept_hostkey: true, accept_newhostkey: true }) // throws: mutually exclusive
 * ```
 */
import { Type } from '@sinclair/typebox'
import { argRules } from '../../engine/argrules.js'
import { Defaulted, type ModuleArgs } from '../../engine/argtypes.js'
import { ModuleFailure } from '../../engine/module.js'
import { archiveFormat } from './git-steps.js'
import { umaskArg } from './umask.js'

const flag = (description: string, def = false) => Defaulted(Type.Boolean({ description, default: def }))
const path = (description: string) => Type.Optional(Type.String({ minLength: 1, description }))

export const GitArgs = Type.Object(
  {
    repo: Type.String({ minLength: 1, description: 'Repository URL or path (git clone syntax)' }),
    dest: path('Folder to clone into (needed unless `clone: false`)'),
    clone: flag(
      'Clone when `dest` holds no repository; false: only read the commit `version` names on the remote (changed, ' +
        'as Ansible reports it), `dest` then optional',
      true,
    ),
    version: Defaulted(
      Type.String({ minLength: 1, description: 'Branch, tag, full commit id or HEAD', default: 'HEAD' }),
    ),
    depth: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Shallow clone with this many commits (default: full history)' }),
    ),
    force: flag('Discard local modifications of tracked files'),
    update: flag('Move an existing clone to the wanted version', true),
    remote: Defaulted(
      Type.String({ pattern: '^[A-Za-z0-9._][A-Za-z0-9._-]*$', description: 'Name of the remote', default: 'origin' }),
    ),
    refspec: Type.Optional(
      Type.String({ minLength: 1, description: 'An extra refspec to fetch (e.g. `refs/meta/config`)' }),
    ),
    single_branch: flag('Clone only the history of the wanted branch or tag (`--single-branch`)'),
    recursive: flag('Initialise and update submodules (`git submodule update --init --recursive`)', true),
    track_submodules: flag(
      'Move submodules to the tip of their branch (`submodule update --remote`); not a local modification then',
    ),
    separate_git_dir: path('Keep the repository here instead of `dest/.git` (an existing one is moved)'),
    accept_hostkey: flag('Pass `-o StrictHostKeyChecking=no` to ssh (disables a protection against MITM)'),
    accept_newhostkey: flag('Pass `-o StrictHostKeyChecking=accept-new` to ssh'),
    ssh_opts: Type.Optional(
      Type.String({ description: 'Options for ssh, as shell words (`GIT_SSH_COMMAND`); `BatchMode=yes` is added' }),
    ),
    key_file: path('Private key on the host for ssh (adds `-i KEY -o IdentitiesOnly=yes`)'),
    verify_commit: flag(
      'Fail unless `version` carries a good GPG signature (`git verify-commit`/`verify-tag`; needs gpg on the host)',
    ),
    gpg_whitelist: Defaulted(
      Type.Union([Type.String(), Type.Array(Type.String())], {
        description: 'With verify_commit: the fingerprints trusted to sign (default: any key in the keyring)',
        default: [],
      }),
    ),
    reference: path('A local repository whose objects a first clone borrows (`git clone --reference`)'),
    umask: umaskArg('every git command that changes something'),
    archive: path('Also write the tree of `version` to this file (.zip, .tar, .tar.gz or .tgz)'),
    archive_prefix: Type.Optional(Type.String({ description: 'Prefix of every path in the archive' })),
    bare: flag(
      'Keep a bare repository at `dest` (no work tree): cloned with `--bare`, later runs fetch every branch and tag',
    ),
    executable: path('The git program to run (default: `git` on PATH)'),
  },
  { additionalProperties: false, ...argRules({ required_if: [['clone', true, ['dest']]] }) },
)
/** The arguments as the module receives them (defaults filled in). */
export type GitArgs = ModuleArgs<typeof GitArgs>
/** The arguments of a call that works on a folder (every call but a `clone: false` one without `dest`). */
export type GitDestArgs = GitArgs & { dest: string }

/** `gpg_whitelist` as a list (Ansible also takes a comma-separated string). */
export function whitelist(a: GitArgs): string[] {
  const w = a.gpg_whitelist
  return (typeof w === 'string' ? w.split(',') : w).map((s) => s.trim()).filter(Boolean)
}

/** The checks Ansible makes before it starts; throws with its wording. */
export function checkGitArgs(a: GitArgs): void {
  if (a.accept_hostkey && a.accept_newhostkey)
    throw new ModuleFailure('parameters are mutually exclusive: accept_hostkey|accept_newhostkey')
  if (a.bare && a.separate_git_dir !== undefined)
    throw new ModuleFailure('parameters are mutually exclusive: separate_git_dir|bare')
  if (a.archive_prefix !== undefined && a.archive === undefined)
    throw new ModuleFailure("missing parameter(s) required by 'archive_prefix': archive")
  if (a.archive !== undefined && !archiveFormat(a.archive))
    throw new ModuleFailure(
      `Unable to get file extension from archive file name : ${a.archive} (it must end in .tar, .tar.gz, .zip or .tgz)`,
    )
}
