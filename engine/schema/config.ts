/**
 * The schema of the project config file `tsplay.yml`: the settings it accepts, their types and defaults. Kept
 * here, below the CLI, so the schema generator and the docs can use it; engine/cli/config.ts reads the file.
 *
 * @example
 * ```ts
 * Value.Check(ConfigSchema, { forks: 10 }) // true
 * ```
 */
import { Type } from '@sinclair/typebox'

/** The settings `tsplay.yml` accepts (snake_case, like the flags' long names). */
export const ConfigSchema = Type.Object(
  {
    inventory: Type.Optional(
      Type.Union([Type.String(), Type.Array(Type.String())], { description: 'Inventory file(s) or folder(s), as -i.' }),
    ),
    forks: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Hosts worked on in parallel, as --forks.', default: 25 }),
    ),
    known_hosts: Type.Optional(
      Type.String({
        description: 'known_hosts file for host key checks, as --known-hosts.',
        default: '~/.ssh/known_hosts',
      }),
    ),
    trust_new_host_keys: Type.Optional(
      Type.Boolean({ description: 'Accept and record unknown host keys, as --trust-new-host-keys.', default: false }),
    ),
    task_timeout: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Default timeout per task in seconds, as --task-timeout.' }),
    ),
    retries: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: 'Retries of a task whose connection dropped, as --retries.',
        default: 0,
      }),
    ),
    reconnect_timeout: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: 'Seconds to wait for a dropped host, as --reconnect-timeout.',
        default: 300,
      }),
    ),
    output: Type.Optional(
      Type.Union([Type.Literal('auto'), Type.Literal('live'), Type.Literal('plain'), Type.Literal('json')], {
        description: 'Reporter, as --output.',
        default: 'auto',
      }),
    ),
    verbose: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 4,
        description: 'Verbosity level, as -v (1), -vv (2), -vvv (3).',
        default: 0,
      }),
    ),
    diff: Type.Optional(Type.Boolean({ description: 'Show file changes as diffs, as --diff.', default: false })),
    ask_become_pass: Type.Optional(Type.Boolean({ description: 'Ask for the sudo password, as -K.', default: false })),
  },
  { additionalProperties: false, description: 'tsplay.yml: defaults for tsplay run (command-line flags win).' },
)
