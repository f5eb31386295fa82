/**
 * The editor schemas and the generated module reference:
 * - the committed schemas/*.json and docs/modules.md equal what the generator produces now (stale → run `npm run
 * docs`);
 * - the schemas compile under ajv's strict mode;
 * - every shipped YAML file under playbooks/ and inventory/ starts with the right `# yaml-language-server: $schema=…`
 *   line and validates against that committed schema;
 * - a table of playbooks: the schema accepts what the loader accepts and rejects what it rejects (typo'd module
 *   argument, wrong choice, unknown keyword, task without a module, …), checked against the real loader.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv, type ValidateFunction } from 'ajv'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { UserError, UserErrors } from '../../engine/errors.js'
import { loadPlaybook } from '../../engine/load/playbook.js'
import type { ModuleDef } from '../../engine/module.js'
import { generatedFiles, SCHEMA_KINDS, type SchemaKind } from '../../engine/schema/generate.js'
import { schemaKindFor, schemaLine, SHIPPED_YAML_DIRS, withSchemaLine } from '../../engine/schema/lines.js'
import { loadAllModules } from '../../modules/registry.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

function compile(kind: SchemaKind): ValidateFunction {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', `${kind}.json`), 'utf8'))
  return new Ajv({ strict: true, allErrors: true }).compile(schema)
}

function shippedYaml(): string[] {
  return SHIPPED_YAML_DIRS.flatMap((d) =>
    readdirSync(join(ROOT, d), { recursive: true })
      .map(String)
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => `${d}/${f}`),
  ).sort()
}

describe('generated files', () => {
  it("schemas/*.json, docs/modules.md and the README's module index are up to date (else: npm run docs)", async () => {
    const files = await generatedFiles(ROOT)
    expect(Object.keys(files).sort()).toEqual(
      [...SCHEMA_KINDS.map((k) => `schemas/${k}.json`), 'docs/modules.md', 'README.md'].sort(),
    )
    expect(files['README.md']).toContain('| [`apt`](docs/modules.md#apt) |')
    for (const [path, text] of Object.entries(files)) {
      let committed = ''
      try {
        committed = readFileSync(join(ROOT, path), 'utf8')
      } catch {
        /* missing counts as stale */
      }
      expect(committed === text, `${path} is stale: run \`npm run docs\` and commit the result`).toBe(true)
    }
  })

  it('compile under ajv strict mode', () => {
    for (const kind of SCHEMA_KINDS) expect(() => compile(kind), kind).not.toThrow()
  })

  it('list every module spelling and every argument with a description', async () => {
    const modules = await loadAllModules()
    const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'playbook.json'), 'utf8'))
    const taskProps = schema.definitions.task.properties as Record<string, unknown>
    for (const def of modules.values()) {
      for (const s of [def.name, `ansible.builtin.${def.name}`, ...(def.aliases ?? [])])
        expect(taskProps, s).toHaveProperty([s])
      const args = schema.definitions[`module.${def.name}`].properties as Record<string, { description?: string }>
      const props = ((def.schema as { properties?: object }).properties ?? {}) as Record<string, { aliases?: string[] }>
      const declared = Object.entries(props).flatMap(([k, p]) => [k, ...(p.aliases ?? [])]) // aliases are accepted too
      expect(Object.keys(args ?? {}).sort(), def.name).toEqual(declared.sort())
      for (const [name, a] of Object.entries(args ?? {}))
        expect(a.description, `${def.name}.${name} has no description`).toBeTruthy()
    }
  })
})

describe('shipped YAML files', () => {
  const files = shippedYaml()
  const validators = Object.fromEntries(SCHEMA_KINDS.map((k) => [k, compile(k)])) as Record<
    SchemaKind,
    ValidateFunction
  >

  it('exist', () => expect(files).toContain('playbooks/hydra-pi.yml'))

  it.each(files)('%s starts with its yaml-language-server line and validates', (rel) => {
    const text = readFileSync(join(ROOT, rel), 'utf8')
    const kind = schemaKindFor(rel)
    expect(text.split('\n')[0], `${rel}: first line (node scripts/schema-lines.mjs adds it)`).toBe(schemaLine(rel))
    const validate = validators[kind]
    const ok = validate(parse(text) ?? null)
    expect(ok, `${rel}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true)
  })
})

/** Playbook snippets: does the loader accept them? The schema must agree. */
const CASES: Array<[string, boolean, string]> = [
  [
    'apt with known arguments',
    true,
    '- hosts: all\n  tasks:\n    - apt: { name: [git, make], state: latest, update_cache: true }',
  ],
  ['typo in a module argument', false, '- hosts: all\n  tasks:\n    - apt: { nmae: git }'],
  ['wrong choice', false, '- hosts: all\n  tasks:\n    - apt: { name: git, state: presnt }'],
  [
    'Ansible booleans and digit strings',
    true,
    '- hosts: all\n  tasks:\n    - apt: { name: git, update_cache: yes, cache_valid_time: "3600" }',
  ],
  [
    'templates where a boolean, number and choice are expected',
    true,
    '- hosts: all\n  tasks:\n    - apt: { name: git, update_cache: "{{ u }}", cache_valid_time: "{{ t }}", ' +
      'state: "{{ s }}" }',
  ],
  [
    'a word where a boolean is expected',
    false,
    '- hosts: all\n  tasks:\n    - apt: { name: git, update_cache: maybe }',
  ],
  [
    'free-form command and key=value string',
    true,
    '- hosts: all\n  tasks:\n    - command: make chdir=/src\n    - apt: name=git state=present',
  ],
  [
    'ansible.builtin spelling and alias',
    true,
    '- hosts: all\n  tasks:\n    - ansible.builtin.file: { path: /x, state: directory }\n    - ' +
      'postgresql_db: { name: hydra }',
  ],
  ['file without a path', false, '- hosts: all\n  tasks:\n    - file: { state: directory }'],
  ['unknown task keyword', false, '- hosts: all\n  tasks:\n    - apt: { name: git }\n      regster: r'],
  ['task without a module', false, '- hosts: all\n  tasks:\n    - name: nothing to do'],
  ['unknown module', false, '- hosts: all\n  tasks:\n    - aptt: { name: git }'],
  ['play without hosts', false, '- tasks:\n    - debug: { msg: hi }'],
  ['unknown play keyword', false, '- hosts: all\n  taks: []'],
  [
    'blocks, includes of nothing and handlers',
    true,
    '- hosts: all\n  tasks:\n    - block:\n        - debug: { msg: hi }\n      rescue:\n        - debug: { ' +
      'var: x }\n      when: x is defined\n  handlers:\n    - name: h\n      command: /bin/true',
  ],
  [
    'loop with loop_control',
    true,
    '- hosts: all\n  tasks:\n    - debug: { msg: "{{ i }}" }\n      loop: [1, 2]\n      loop_control: { loop_var: i }',
  ],
  [
    'bad loop_control key',
    false,
    '- hosts: all\n  tasks:\n    - debug: { msg: hi }\n      loop: [1]\n      loop_control: { loopvar: i }',
  ],
  ['strategy choice', false, '- hosts: all\n  strategy: fast\n  tasks: []'],
  ['register must be a name', false, '- hosts: all\n  tasks:\n    - debug: { msg: hi }\n      register: "my result"'],
  [
    'retries must be a number',
    false,
    '- hosts: all\n  tasks:\n    - debug: { msg: hi }\n      until: true\n      retries: many',
  ],
  ['a secret argument', true, '- hosts: all\n  tasks:\n    - postgres_user: { name: hydra, password: "{{ pw }}" }'],
  ['a typo inside a nested map', false, '- hosts: all\n  tasks:\n    - wait_for: { port: 22, stat: started }'],
]

describe('the playbook schema agrees with the loader', () => {
  let modules: Map<string, ModuleDef>
  let dir: string
  let validate: ValidateFunction
  beforeAll(async () => {
    modules = await loadAllModules()
    dir = mkdtempSync(join(tmpdir(), 'tsplay-schema-'))
    validate = compile('playbook')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it.each(CASES)('%s', async (_name, valid, yaml) => {
    const file = join(dir, `${_name.replace(/\W+/g, '-')}.yml`)
    writeFileSync(file, `${yaml}\n`)
    let loaderErrors: string[] = []
    try {
      await loadPlaybook(file, { modules })
    } catch (e) {
      if (!(e instanceof UserErrors || e instanceof UserError)) throw e
      loaderErrors = e instanceof UserErrors ? e.errors.map((x) => x.format()) : [e.format()]
    }
    expect(loaderErrors.length === 0, `loader: ${loaderErrors.join('; ')}`).toBe(valid)
    const ok = validate(parse(yaml))
    expect(ok, `schema: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(valid)
  })
})

describe('schema lines', () => {
  it.each([
    ['playbooks/hydra-pi.yml', '../schemas/playbook.json'],
    ['playbooks/roles/nix/tasks/main.yml', '../../../../schemas/tasks.json'],
    ['playbooks/roles/nix/handlers/main.yml', '../../../../schemas/tasks.json'],
    ['playbooks/roles/nix/defaults/main.yml', '../../../../schemas/vars.json'],
    ['inventory/group_vars/all.yml', '../../schemas/vars.json'],
    ['inventory/host_vars/pi1.yml', '../../schemas/vars.json'],
    ['inventory/hosts.yml', '../schemas/inventory.json'],
  ])('%s → %s', (rel, target) => expect(schemaLine(rel)).toBe(`# yaml-language-server: $schema=${target}`))

  it('are added once, and an old one is replaced', () => {
    const rel = 'playbooks/site.yml'
    const once = withSchemaLine(rel, '- hosts: all\n')
    expect(once).toBe('# yaml-language-server: $schema=../schemas/playbook.json\n- hosts: all\n')
    expect(withSchemaLine(rel, once)).toBe(once)
    expect(withSchemaLine(rel, '# yaml-language-server: $schema=old.json\n- hosts: all\n')).toBe(once)
  })
})
