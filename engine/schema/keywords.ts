/**
 * What each play, block, task, include and role keyword means and accepts, for the editor schema and the docs.
 * The keyword LISTS come from engine/load/keywords.ts (what the loader accepts); this file only describes them.
 * A keyword the loader accepts without a description here makes `keywordProperties` throw, so the schema
 * generator (and its test) fails instead of silently dropping it.
 *
 * @example
 * ```ts
 * keywordProperties(TASK_KEYWORDS, 'task').register
 * // { description: 'Save the result in this variable …', type: 'string', pattern: '^[A-Za-z_]…' }
 * ```
 */
import { boolish, boolOrTemplate, conditions, doc, intish, stringOrList, varsMap, type JsonSchema } from './json.js'

/** One module's `module_defaults`: a map of arguments, or a template that gives one when the task runs. */
const DEFAULTS_ENTRY = { anyOf: [{ type: 'object' }, { type: 'string', pattern: '^\\s*\\{\\{[\\s\\S]*\\}\\}\\s*$' }] }

const TASKS_REF = (description: string): JsonSchema => ({ description, $ref: '#/definitions/taskList' })
const NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$'

/** Description and value schema of every keyword, by keyword. */
const KEYWORDS: Record<string, JsonSchema> = {
  name: doc('A name for this play/task/block, shown in the output (and used by --start-at-task and notify).', {
    type: 'string',
  }),
  when: conditions('Run only when this condition (an expression, without {{ }}) is true; a list means all must hold.'),
  tags: stringOrList(
    'Tags for --tags/--skip-tags (a list, or a comma-separated string). `always` and `never` are special.',
  ),
  become: boolOrTemplate(
    'Run commands as another user (sudo); see become_user. A template is rendered per host.',
    false,
  ),
  become_user: doc(
    'The user to become with `become` (a template is rendered before the play).',
    { type: 'string' },
    'root',
  ),
  environment: doc('Environment variables for the commands this runs.', {
    anyOf: [
      {
        type: 'object',
        additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
      },
      { type: 'string' },
    ],
  }),
  vars: varsMap('Variables for this play/block/task (templated when used).'),
  no_log: boolOrTemplate(
    "Hide this task's arguments and output from the output and logs; a template is rendered per host.",
    false,
  ),
  ignore_errors: boolOrTemplate(
    'Keep going when this task fails (the failure is counted as ignored); a template is rendered per host.',
    false,
  ),
  become_method: doc(
    "How to become another user: `sudo` (the default), `su` (the become password is the target user's, answered " +
      "on su's prompt) or `doas` (as `doas -n`: the user needs a `nopass` rule in the host's doas.conf).",
    {
      enum: ['sudo', 'su', 'doas', 'ansible.builtin.sudo', 'ansible.builtin.su', 'community.general.doas'],
    },
  ),
  become_flags: doc(
    "Flags for sudo or su: tsplay's sudo always runs as `sudo -H -n`; `-H`, `-S` and `-n` change nothing, and " +
      '`-E`, `--preserve-env[=NAMES]`, `-P`, `--preserve-groups`, `-i`, `--login`, `-s`, `--shell` are added to it. ' +
      "su's options (`-l`, `-m`, `-s SHELL`…) are passed on, except `-c`/`--command`; doas takes `-n`.",
    { type: 'string' },
  ),
  become_exe: doc('The su or doas program to run (default `su`, `doas`); sudo is always `sudo`.', {
    type: 'string',
  }),
  debugger: doc(
    "Ansible's interactive task debugger: tsplay has none. Accepted, and the task runs as with `never` (a value " +
      'other than `never` brings one warning).',
    { enum: ['always', 'never', 'on_failed', 'on_unreachable', 'on_skipped'] },
  ),
  order: doc(
    'The order the play runs its hosts in.',
    { enum: ['inventory', 'reverse_inventory', 'sorted', 'reverse_sorted', 'shuffle'] },
    'inventory',
  ),
  collections: stringOrList(
    'Collections to search for short module names (accepted; tsplay finds its modules by ' +
      'short and FQCN names either way).',
  ),
  module_defaults: doc(
    'Default arguments per module (any spelling, e.g. `ansible.builtin.command: {chdir: /tmp}`), or a list of ' +
      'such maps; on a play, block, include or task; the innermost entry for a module replaces those around it ' +
      "(`debug: {}` drops them), a task's own arguments win over all. " +
      "`systemd`'s also fill `service`'s and `apt`'s fill `package`'s (the module each runs as), under its own. " +
      "`group/NAME` gives a group's modules defaults under their own: ansible-core's groups (`aws`, `docker`, " +
      "…, whose modules are collections' and reach none of tsplay's; `testgroup` holds `ping`); another " +
      'collection\'s group is a warning. A module\'s value may be one template (`debug: "{{ my_defaults }}"`), ' +
      'rendered on each host when the task runs.',
    {
      anyOf: [
        { type: 'object', additionalProperties: DEFAULTS_ENTRY },
        { type: 'array', items: { type: 'object', additionalProperties: DEFAULTS_ENTRY } },
      ],
    },
  ),
  gather_subset: stringOrList(
    "Which of Ansible's fact collectors the gathering runs, as setup's gather_subset (`min`, `!hardware`, " +
      '`network`, …): only their facts are read and set; a name Ansible does not know fails the gathering.',
  ),
  gather_timeout: intish(
    'Seconds fact gathering may take (accepted; tsplay gathers in one round trip; a template is rendered before ' +
      'the play).',
    1,
    undefined,
    true,
  ),
  fact_path: doc('Folder of local facts (`*.fact` files, read into `ansible_local`).', { type: 'string' }),
  port: intish(
    "The SSH port for this play's hosts, where the inventory sets no ansible_port (a template is rendered with the " +
      "host's variables when its connection is opened).",
    1,
    undefined,
    true,
  ),
  throttle: intish(
    'At most this many hosts run the task at once (on a play: the default of every task; on a task a template is ' +
      "rendered with the host's variables).",
    0,
    undefined,
    true,
  ),
  ignore_unreachable: boolOrTemplate(
    'An unreachable host does not stop: the result is counted ok and ignored, and later tasks try the host again.',
    false,
  ),
  hosts: stringOrList('Which hosts this play targets: a host pattern (all, a group, a:b, a:&b, a:!b, globs).'),
  vars_files: stringOrList('YAML files of variables to load for this play (paths relative to the playbook).'),
  vars_prompt: doc(
    'Questions asked on the terminal before the run; each answer is a play variable (skipped when -e gives it; ' +
      'without a terminal the default is used).',
    {
      type: 'array',
      items: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          name: { description: 'The variable the answer sets.', type: 'string', pattern: NAME_PATTERN },
          prompt: { description: 'The question shown.', type: 'string' },
          default: { description: 'The answer used when the answer is empty or there is no terminal.' },
          private: { description: 'Do not echo the answer (default true).', type: 'boolean' },
          confirm: { description: 'Ask twice; ask again until both answers match.', type: 'boolean' },
          unsafe: { description: 'The answer is never templated.', type: 'boolean' },
          encrypt: {
            description: 'Store a crypt(3) hash of the answer instead.',
            enum: ['md5_crypt', 'sha256_crypt', 'sha512_crypt', 'bcrypt'],
          },
          salt: { description: 'The salt for `encrypt` (default: random).', type: 'string' },
          salt_size: { description: 'Length of the random salt for `encrypt`.', type: 'integer', minimum: 1 },
        },
      },
    },
  ),
  gather_facts: boolOrTemplate(
    'Gather facts (architecture, distribution, memory, …) before the tasks. A template is rendered before the play.',
    true,
  ),
  tasks: TASKS_REF('The tasks of this play, run in order on every host.'),
  pre_tasks: TASKS_REF('Tasks run before the roles.'),
  post_tasks: TASKS_REF('Tasks run after the tasks.'),
  handlers: TASKS_REF(
    'Tasks run once at the end of a play section (pre_tasks, roles+tasks, post_tasks) or at `meta: ' +
      'flush_handlers` when a task notified them (by name or listen).',
  ),
  roles: doc('Roles to apply: a name, or a map with `role` and its keywords.', {
    type: 'array',
    items: { $ref: '#/definitions/roleRef' },
  }),
  strategy: doc(
    'linear: every host finishes a task before the next task; free: each host goes at its own pace.',
    { anyOf: [{ enum: ['linear', 'free'] }, { type: 'string', pattern: '\\{\\{' }] },
    'linear',
  ),
  serial: doc(
    'Work through the hosts in batches of this many: a number, a percentage of the play\'s hosts ("30%"), or a list ' +
      'of them (the last repeats); 0: all at once.',
    {
      anyOf: [
        { type: 'integer' },
        { type: 'string', pattern: '^\\s*-?\\d+\\s*%?\\s*$' },
        { type: 'string', pattern: '\\{\\{' },
        {
          type: 'array',
          items: {
            anyOf: [
              { type: 'integer' },
              { type: 'string', pattern: '^\\s*-?\\d+\\s*%?\\s*$' },
              { type: 'string', pattern: '\\{\\{' },
            ],
          },
        },
      ],
    },
  ),
  any_errors_fatal: boolOrTemplate(
    'End the whole run (this play and all later ones) when a task fails on any host. A template counts as true ' +
      'whatever it gives, as in Ansible 2.14 (which reads it unrendered).',
    false,
  ),
  force_handlers: boolish('Run notified handlers on a host even after it failed (as --force-handlers).', false),
  max_fail_percentage: doc('Stop the play when more than this percentage of the hosts failed.', {
    anyOf: [{ type: 'number', minimum: 0, maximum: 100 }, { type: 'string' }],
  }),
  loop: doc(
    'Run the task once per item (the item is in `item`, or loop_control.loop_var): a list, or a template giving one.',
    {
      anyOf: [{ type: 'array' }, { type: 'string' }],
    },
  ),
  with_items: doc("Ansible's older spelling of `loop`.", { anyOf: [{ type: 'array' }, { type: 'string' }] }),
  with_list: doc("Ansible's older spelling of `loop`.", { anyOf: [{ type: 'array' }, { type: 'string' }] }),
  with_dict: doc('Loop over a map: each item is `{key, value}`.', { anyOf: [{ type: 'object' }, { type: 'string' }] }),
  with_indexed_items: doc('Loop over a list: each item is `[index, value]`.', {
    anyOf: [{ type: 'array' }, { type: 'string' }],
  }),
  with_together: doc('Loop over several lists side by side: item N is `[a[N], b[N], …]`.', {
    anyOf: [{ type: 'array' }, { type: 'string' }],
  }),
  with_nested: doc('Loop over every combination of the lists (cartesian product).', {
    anyOf: [{ type: 'array' }, { type: 'string' }],
  }),
  with_cartesian: doc('Same as with_nested.', { anyOf: [{ type: 'array' }, { type: 'string' }] }),
  with_sequence: doc('Loop over numbers as strings: `start=1 end=5 stride=1 format=%d`, `count=3`, or `1-5`.', {
    anyOf: [{ type: 'string' }, { type: 'array' }],
  }),
  with_subelements: doc('`[list of maps, "key"]`: each item is `[element, one of element.key]`.', {
    anyOf: [{ type: 'array' }, { type: 'string' }],
  }),
  with_fileglob: doc(
    "Loop over the controller's files matching a pattern (relative: in files/ of the role or playbook).",
    { anyOf: [{ type: 'array' }, { type: 'string' }] },
  ),
  with_lines: doc('Loop over the output lines of a command run on the controller (by /bin/sh).', {
    anyOf: [{ type: 'array' }, { type: 'string' }],
  }),
  with_inventory_hostnames: doc('Loop over the inventory hosts a host pattern selects.', {
    anyOf: [{ type: 'array' }, { type: 'string' }],
  }),
  with_env: doc("Loop over the values of the controller's environment variables named.", {
    anyOf: [{ type: 'array' }, { type: 'string' }],
  }),
  with_random_choice: doc('One item picked at random from the list.', {
    anyOf: [{ type: 'array' }, { type: 'string' }],
  }),
  with_file: doc("Loop over the texts of the controller's files named (searched as the `file` lookup does).", {
    anyOf: [{ type: 'array' }, { type: 'string' }],
  }),
  with_unvault: doc("Loop over the texts of the controller's files named, as they are (the `unvault` lookup).", {
    anyOf: [{ type: 'array' }, { type: 'string' }],
  }),
  with_template: doc('Loop over Jinja templates rendered on the controller (as the `template` lookup).', {
    anyOf: [{ type: 'array' }, { type: 'string' }],
  }),
  with_vars: doc('Loop over the values of the variables named.', { anyOf: [{ type: 'array' }, { type: 'string' }] }),
  with_pipe: doc('Loop over the outputs of commands run on the controller (by /bin/sh).', {
    anyOf: [{ type: 'array' }, { type: 'string' }],
  }),
  with_first_found: doc('The first existing file of a list (or `{files, paths}`), as one item.', {
    anyOf: [{ type: 'array' }, { type: 'string' }, { type: 'object' }],
  }),
  index_var: doc("A variable holding the item's index (from 0).", { type: 'string', pattern: NAME_PATTERN }),
  extended: boolish('Set `ansible_loop` (index, first, last, length, previtem, nextitem, …) per item.', false),
  extended_allitems: boolish('Accepted for Ansible compatibility (`ansible_loop.allitems` is always set).', true),
  pause: doc('Seconds to wait between items (decimals allowed).', {
    anyOf: [{ type: 'number', minimum: 0 }, { type: 'string' }],
  }),
  loop_control: doc('How the loop names its item.', { $ref: '#/definitions/loopControl' }),
  loop_var: doc('The variable that holds the current item.', { type: 'string', pattern: NAME_PATTERN }, 'item'),
  label: doc('What the output shows for each item (a template).', { type: 'string' }),
  register: doc("Save the task's result (status, rc, stdout, …) in this variable for later tasks.", {
    type: 'string',
    pattern: NAME_PATTERN,
  }),
  notify: stringOrList('Handlers to run at the end of the section when this task changed something.'),
  changed_when: conditions('Decide "changed" with this condition instead of the module (`false`: never changed).'),
  failed_when: conditions('Decide "failed" with this condition instead of the module.'),
  run_once: boolOrTemplate(
    'Run on the first host of the batch only; the result is shared with the others (a template: rendered with the ' +
      "first host's variables).",
    false,
  ),
  delegate_to: doc(
    'Run this task on another inventory host, or on the controller (`localhost`, `127.0.0.1`: no SSH), instead.',
    { type: 'string' },
  ),
  delegate_facts: boolOrTemplate(
    'With delegate_to: facts this task sets go to the delegated host, not this one.',
    false,
  ),
  connection: doc(
    "`ssh` (the default) or `local` (commands run on the controller); a host's `ansible_connection` wins.",
    { type: 'string' },
    'ssh',
  ),
  async: intish(
    'Run the task in the background for at most this many seconds (0: not in the background).',
    0,
    undefined,
    true,
  ),
  poll: intish('With async: check every this many seconds (0: fire and forget).', 0, 5, true),
  timeout: intish(
    "Kill the task's commands after this many seconds: the task fails, not changed, as in Ansible (on a play or " +
      "block: the default of its tasks; on a task a template is rendered with the host's variables).",
    1,
    undefined,
    true,
  ),
  until: conditions('Retry the task until this condition holds (with retries and delay).'),
  retries: intish('How many times to retry with `until` (a template is rendered before the play).', 0, 3, true),
  delay: doc(
    'Seconds between retries (decimals allowed; a template is rendered before the play).',
    { anyOf: [{ type: 'number', minimum: 0 }, { type: 'string' }] },
    5,
  ),
  diff: boolish('Show file changes for this play/block/task (true) or hide them (false), whatever --diff says.'),
  check_mode: boolish('true: always run this task in check mode; false: run it for real even under --check.'),
  args: doc('More arguments for the module, merged under the ones written after its name.', { type: 'object' }),
  listen: stringOrList('Handlers only: more names this handler answers to in `notify`.'),
  block: TASKS_REF("Tasks run in order as a group, sharing this block's keywords."),
  rescue: TASKS_REF('Tasks run when a task of the block failed (the failure then counts as rescued).'),
  always: TASKS_REF('Tasks run after the block and rescue, whatever happened.'),
  import_tasks: doc(
    'Tasks from another file, inserted here when the playbook is loaded (path relative to this file).',
    {
      anyOf: [{ type: 'string' }, { type: 'object', properties: { file: { type: 'string' } }, required: ['file'] }],
    },
  ),
  include_tasks: doc(
    'Tasks from another file, run where the include runs: its when, tags and loop apply to the include ' +
      'alone (as in Ansible); vars and apply reach the included tasks.',
    {
      anyOf: [{ type: 'string' }, { type: 'object', properties: { file: { type: 'string' } }, required: ['file'] }],
    },
  ),
  file: doc('The task file of import_tasks/include_tasks.', { type: 'string' }),
  include_role: doc(
    "A role's tasks, run where the include runs: its when, tags and loop apply to the include alone (as in " +
      "Ansible); the role's defaults and vars stay private unless public: true.",
    { $ref: '#/definitions/roleArgs' },
  ),
  import_role: doc(
    "A role's tasks, inserted here when the playbook is loaded: when, tags and vars apply to each of them; the " +
      "role's defaults and vars join the play's.",
    { $ref: '#/definitions/roleArgs' },
  ),
  apply: doc('Keywords applied to every included task (Ansible compatibility).', { type: 'object' }),
  remote_user: doc(
    'The login user for this play/block/task, where no ansible_user variable (inventory, vars) names one; a task ' +
      'with another user than the play gets a connection of its own.',
    { type: 'string' },
  ),
  user: doc('Older spelling of remote_user.', { type: 'string' }),
  role: doc("The role's name (a folder under roles/ next to the playbook) or a path.", { type: 'string' }),
}

/** The schema `properties` for the keywords in `list`. Throws when one is not described here. */
export function keywordProperties(list: readonly string[], what: string): Record<string, JsonSchema> {
  const missing = list.filter((k) => !(k in KEYWORDS))
  if (missing.length)
    throw new Error(`engine/schema/keywords.ts: no description for ${what} keyword(s) ${missing.join(', ')}`)
  return Object.fromEntries(list.map((k) => [k, KEYWORDS[k]]))
}

/** The description of one keyword (for docs), if known. */
export function keywordDescription(keyword: string): string | undefined {
  return KEYWORDS[keyword]?.description as string | undefined
}
