/**
 * `module_defaults` whose value for a module is a template: loaded with a warning (the task's arguments are checked
 * when it runs), rendered per host as the task runs (engine/run/modulename.ts) under the task's own arguments, also
 * for a backend (`systemd` for `service`) and a group; a template that gives no map fails that host, and a string
 * that is not one whole template is refused at load. `setup`'s and `gather_facts`' reach the play's fact gathering.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Task } from '../../engine/ast.js'
import { UserError, UserErrors } from '../../engine/errors.js'
import { loadPlaybook } from '../../engine/load/playbook.js'
import { renderedEntry } from '../../engine/load/templateddefaults.js'
import { resolveModule } from '../../engine/run/modulename.js'
import type { Vars } from '../../engine/types.js'
import { loadAllModules } from '../../modules/registry.js'
import { tree } from './helpers.js'

const modules = await loadAllModules()

/** Load a play with `module_defaults` and tasks; its tasks, warnings and errors. */
async function load(defaults: string, tasks: string[]) {
  const list = tasks.map((t) => `    - ${t}\n`).join('')
  const dir = tree({ 'playbook.yml': `- hosts: all\n  module_defaults:\n${defaults}\n  tasks:\n${list}` })
  const warnings: UserError[] = []
  try {
    const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules, warnings })
    return { dir, tasks: pb.plays[0].tasks as Task[], warnings: warnings.map((w) => w.message), errors: [] }
  } catch (e) {
    if (!(e instanceof UserErrors)) throw e
    return { dir, tasks: [], warnings: [], errors: e.errors.map((x) => x.message) }
  }
}

/** The task as it runs with `vars`. */
const onHost = (dir: string, task: Task, vars: Vars) =>
  resolveModule({ modules, playbook: { dir } } as never, task, vars)

describe('module_defaults given by a template', () => {
  it('loads with a warning and renders per host under the task arguments', async () => {
    const { dir, tasks, warnings, errors } = await load('    copy: "{{ d }}"', [
      'copy: { content: x, dest: /tmp/a }',
      'copy: { content: x, dest: /tmp/b, mode: "0644" }',
      'file: { path: /tmp/c, state: touch }',
    ])
    expect(errors).toEqual([])
    expect(warnings).toEqual([
      'the arguments of copy take module_defaults a template gives: they are read and checked on each host when ' +
        'the task runs',
      'the arguments of copy take module_defaults a template gives: they are read and checked on each host when ' +
        'the task runs',
    ])
    expect(tasks[2].moduleTemplate).toBeUndefined() // another module's task is read as before
    expect(onHost(dir, tasks[0], { d: { mode: '0600', backup: true } }).args).toMatchObject({
      dest: '/tmp/a',
      mode: '0600',
      backup: true,
    })
    expect(onHost(dir, tasks[1], { d: { mode: '0600' } }).args).toMatchObject({ mode: '0644' })
  })

  it("reaches a backend's and a group's modules", async () => {
    const backend = await load('    systemd: "{{ d }}"', ['service:'])
    expect(onHost(backend.dir, backend.tasks[0], { d: { name: 'app', enabled: true } }).args).toEqual({
      name: 'app',
      enabled: true,
    })
    const group = await load('    group/testgroup: "{{ d }}"', ['ping:'])
    expect(onHost(group.dir, group.tasks[0], { d: { data: 'pong2' } }).args).toEqual({ data: 'pong2' })
  })

  it('fails the host when the template gives no map, and checks the merged arguments', async () => {
    const { dir, tasks } = await load('    debug: "{{ d }}"', ['debug:'])
    expect(() => onHost(dir, tasks[0], { d: 'text' })).toThrow(UserErrors)
    expect(() => onHost(dir, tasks[0], { d: 'text' })).toThrow(
      /playbook\.yml:3:12: module_defaults for "debug" must be a map of arguments; \{\{ d \}\} gave /,
    )
    expect(() => onHost(dir, tasks[0], { d: { bogus: 1 } })).toThrow(/bogus/)
  })

  it('refuses a string that is not one whole template', async () => {
    expect((await load('    debug: "msg={{ d }}"', ['debug:'])).errors).toEqual([
      'module_defaults for "debug" must be a map of arguments',
    ])
  })

  it("reach the play's fact gathering whole, with no warning", async () => {
    const { dir, warnings } = await load('    setup: "{{ d }}"\n    gather_facts: { fact_path: /x }', ['debug:'])
    expect(warnings).toEqual([])
    const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules })
    const [setupLayer, factsLayer] = pb.plays[0].gatherArgs ?? []
    expect(setupLayer.from).toBe('setup')
    expect(renderedEntry('setup', setupLayer.args, { d: { filter: 'ansible_hostname' } })).toEqual({
      filter: 'ansible_hostname',
    })
    const bad = (() => {
      try {
        return renderedEntry('setup', setupLayer.args, { d: 3 })
      } catch (e) {
        return (e as UserError).format()
      }
    })()
    expect(bad).toMatch(/playbook\.yml:3:12: module_defaults for "setup" must be a map of arguments; \{\{ d \}\} gave /)
    expect(factsLayer).toEqual({ from: 'gather_facts', args: { fact_path: '/x' } })
  })
})
