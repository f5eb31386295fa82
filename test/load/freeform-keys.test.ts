/**
 * A free-form string's `key=value` word that names the module's own free-form argument: `include_vars: file=x.yml`
 * sets `file` (Ansible reads every `k=v` word of include_vars as an argument), while a command line keeps it as text
 * (`command: cmd=x` runs a program named `cmd=x`, as Ansible's command does).
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Task } from '../../engine/ast.js'
import { loadPlaybook } from '../../engine/load/playbook.js'
import { loadAllModules } from '../../modules/registry.js'
import { tree } from './helpers.js'

async function argsOf(taskText: string): Promise<Record<string, unknown>> {
  const dir = tree({ 'playbook.yml': `- hosts: all\n  tasks:\n    - ${taskText}\n` })
  const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules: await loadAllModules() })
  return (pb.plays[0].tasks[0] as Task).args
}

describe('a free-form k=v word naming the free-form argument', () => {
  it.each([
    ['include_vars: file=vars.yml', { file: 'vars.yml' }],
    ['include_vars: file=vars.yml name=loaded', { file: 'vars.yml', name: 'loaded' }],
    ['include_vars: vars.yml name=loaded', { file: 'vars.yml', name: 'loaded' }],
    ['command: cmd=x chdir=/tmp', { cmd: 'cmd=x', chdir: '/tmp' }],
    ['shell: cmd=x', { cmd: 'cmd=x' }],
  ])('%s', async (text, want) => {
    expect(await argsOf(text)).toMatchObject(want)
  })
})
