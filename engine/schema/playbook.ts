/**
 * The editor schemas (draft-07, what yaml-language-server reads) for playbooks, task files and variable files,
 * built from the module registry and the loader's keyword lists — nothing is written twice.
 *
 * A task is a map of task keywords plus one module key (any accepted spelling: `apt`, `ansible.builtin.apt`,
 * aliases); the module's value is its argument map (checked against the module's own schema, so a typo'd
 * argument is an error in the editor), or a string (`k=v` pairs, or the free-form command).
 *
 * @example
 * ```yaml
 * # yaml-language-server: $schema=../schemas/playbook.json
 * - hosts: all
 *   tasks:
 *     - apt: { name: git, state: present }   # `state` completes to present/absent/latest
 * ```
 */
import type { ModuleDef } from '../module.js'
import {
  BLOCK_KEYWORDS,
  INCLUDE_KEYWORDS,
  ROLE_INCLUDE_KEYWORDS,
  LOOP_CONTROL_KEYWORDS,
  PLAY_KEYWORDS,
  ROLE_KEYWORDS,
  TASK_KEYWORDS,
} from '../load/keywords.js'
import { editorArgs } from './editorize.js'
import { conditions, DRAFT_07, has, stringOrList, varsMap, type JsonSchema } from './json.js'
import { keywordProperties } from './keywords.js'

type Modules = ReadonlyMap<string, ModuleDef>

/** Every spelling of a module: its name, `ansible.builtin.<name>`, and its aliases (as modules/registry.ts). */
export function spellingsOf(def: ModuleDef): string[] {
  return [...new Set([def.name, `ansible.builtin.${def.name}`, ...(def.aliases ?? [])])]
}

/** The value under a module key: its argument map, a `k=v`/free-form string, or nothing. */
function moduleValue(def: ModuleDef): JsonSchema {
  const str = def.freeForm ? `the command as a string (${def.freeForm})` : '`key=value` pairs'
  return {
    description:
      `${def.summary}. Arguments as a map, or ${str}. Check mode: ${def.check}. Changed when: ` + `${def.changedWhen}.`,
    anyOf: [{ $ref: `#/definitions/module.${def.name}` }, { type: 'string' }, { type: 'null' }],
  }
}

/** Shared definitions: tasks, blocks, includes, roles, plays, and one argument schema per module. */
function definitions(modules: Modules): Record<string, JsonSchema> {
  const sorted = [...modules.values()].sort((a, b) => a.name.localeCompare(b.name))
  const moduleKeys: Record<string, JsonSchema> = {}
  for (const def of sorted) for (const s of spellingsOf(def)) moduleKeys[s] = moduleValue(def)
  const taskKeywords = keywordProperties(TASK_KEYWORDS, 'task')
  const blockKeywords = keywordProperties(BLOCK_KEYWORDS, 'block')
  const includeKeywords = keywordProperties(INCLUDE_KEYWORDS, 'import_tasks')
  const roleKeywords = keywordProperties(ROLE_INCLUDE_KEYWORDS, 'include_role')
  const defs: Record<string, JsonSchema> = {
    taskList: { type: 'array', items: { $ref: '#/definitions/taskItem' } },
    taskItem: {
      type: 'object',
      if: has('block'),
      then: { $ref: '#/definitions/block' },
      else: {
        if: { anyOf: [has('import_tasks'), has('include_tasks')] },
        then: { $ref: '#/definitions/include' },
        else: {
          if: { anyOf: [has('import_role'), has('include_role')] },
          then: { $ref: '#/definitions/roleInclude' },
          else: { $ref: '#/definitions/task' },
        },
      },
    },
    task: {
      description: 'A task: task keywords and exactly one module.',
      type: 'object',
      // block/import_tasks/include_tasks are listed for completion only: with them, the item is a block or include.
      properties: {
        ...taskKeywords,
        block: blockKeywords.block,
        import_tasks: includeKeywords.import_tasks,
        include_tasks: includeKeywords.include_tasks,
        include_role: roleKeywords.include_role,
        import_role: roleKeywords.import_role,
        ...moduleKeys,
      },
      additionalProperties: false,
      anyOf: Object.keys(moduleKeys).map(has),
    },
    block: {
      description: 'A block: tasks grouped under shared keywords.',
      type: 'object',
      properties: blockKeywords,
      additionalProperties: false,
    },
    include: {
      description: 'Tasks from another file.',
      type: 'object',
      properties: includeKeywords,
      additionalProperties: false,
    },
    roleInclude: {
      description: "A role's tasks (include_role or import_role).",
      type: 'object',
      properties: roleKeywords,
      additionalProperties: false,
    },
    roleArgs: {
      type: 'object',
      properties: {
        name: {
          description: "The role's name (a folder under roles/ next to the playbook) or a path.",
          type: 'string',
        },
        tasks_from: { description: 'The file of tasks/ to run instead of main.yml.', type: 'string' },
        vars_from: { description: 'The file of vars/ to load instead of main.yml.', type: 'string' },
        defaults_from: { description: 'The file of defaults/ to load instead of main.yml.', type: 'string' },
        handlers_from: { description: 'The file of handlers/ to load instead of main.yml.', type: 'string' },
        apply: { description: 'Keywords applied to every task of the role (include_role).', type: 'object' },
        public: { description: "include_role: the role's defaults and vars join the play's.", type: 'boolean' },
        allow_duplicates: { description: 'Accepted for Ansible compatibility.', type: 'boolean' },
        rolespec_validate: { description: 'Accepted for Ansible compatibility.', type: 'boolean' },
      },
      required: ['name'],
      additionalProperties: false,
    },
    loopControl: {
      type: 'object',
      properties: keywordProperties(LOOP_CONTROL_KEYWORDS, 'loop_control'),
      additionalProperties: false,
    },
    roleRef: {
      anyOf: [
        { type: 'string', description: "The role's name." },
        {
          type: 'object',
          properties: {
            ...keywordProperties(ROLE_KEYWORDS, 'role'),
            name: { description: 'Same as `role`.', type: 'string' },
          },
          additionalProperties: {
            description: "A role parameter: a variable of the role's tasks, above set_fact (as in Ansible).",
          },
          anyOf: [has('role'), has('name')],
        },
      ],
    },
    play: {
      description: 'A play: which hosts, and what to run on them.',
      type: 'object',
      properties: keywordProperties(PLAY_KEYWORDS, 'play'),
      additionalProperties: false,
      required: ['hosts'],
    },
    importPlaybook: {
      type: 'object',
      properties: {
        import_playbook: {
          description: 'Another playbook file whose plays run here (path relative to this file).',
          type: 'string',
        },
        name: { description: 'A name for this import.', type: 'string' },
        vars: {
          description: "Variables for the imported plays (over each play's own vars).",
          type: 'object',
        },
        tags: stringOrList('Tags every imported play gets as its own (a list, or names separated by commas).'),
        when: conditions("Conditions put before every imported task's own (and the fact gathering's), per host."),
      },
      additionalProperties: false,
      required: ['import_playbook'],
    },
  }
  for (const def of sorted) defs[`module.${def.name}`] = { description: def.summary, ...editorArgs(def.schema) }
  return defs
}

/** The schema of a playbook file: a list of plays (or `import_playbook` entries). */
export function playbookSchema(modules: Modules): JsonSchema {
  return {
    $schema: DRAFT_07,
    title: 'tsplay playbook',
    description: "A list of plays. Generated from tsplay's module registry (tsplay schema playbook).",
    type: 'array',
    items: {
      type: 'object',
      if: has('import_playbook'),
      then: { $ref: '#/definitions/importPlaybook' },
      else: { $ref: '#/definitions/play' },
    },
    definitions: definitions(modules),
  }
}

/** The schema of a task file (role `tasks/`/`handlers/`, `import_tasks` files): a list of tasks. */
export function tasksSchema(modules: Modules): JsonSchema {
  return {
    $schema: DRAFT_07,
    title: 'tsplay task file',
    description: 'A list of tasks (role tasks/ and handlers/, import_tasks files). Generated by tsplay schema tasks.',
    anyOf: [{ $ref: '#/definitions/taskList' }, { type: 'null', description: 'An empty file (comments only).' }],
    definitions: definitions(modules),
  }
}

/** The schema of a variables file (role `defaults/`/`vars/`, `group_vars/`, `host_vars/`, `vars_files`). */
export function varsSchema(): JsonSchema {
  return {
    $schema: DRAFT_07,
    title: 'tsplay variables file',
    description: 'Variable names and their values (role defaults/ and vars/, group_vars/, host_vars/, vars_files).',
    anyOf: [varsMap('The variables.'), { type: 'null', description: 'An empty file (comments only).' }],
  }
}
