/**
 * Where a delegated task connects (`taskTarget`), as Ansible resolves `delegate_to`: an inventory host, the
 * implicit localhost, the inventory host with that address, or a host of its own with the `all` group's variables
 * and the play's `remote_user`.
 */
import { describe, expect, it } from 'vitest'
import type { Task } from '../../engine/ast.js'
import { InventoryBuilder } from '../../engine/inventory/builder.js'
import { parseIni } from '../../engine/inventory/ini.js'
import { NO_INHERITED, type RunContext } from '../../engine/run/context.js'
import { taskTarget } from '../../engine/run/delegate.js'

function context(remoteUser?: string): RunContext {
  const b = new InventoryBuilder(['test.ini'])
  parseIni(
    `pi1 ansible_host=10.9.0.1
pi2 ansible_host=10.9.0.2 ansible_user=builder
[all:vars]
ansible_port=2222
site=lab
`,
    'test.ini',
    b,
  )
  return { inventory: b.finish(), play: { remoteUser } } as unknown as RunContext
}

const task = (delegateTo: string) => ({ delegateTo, pos: { file: 'x.yml', line: 1, col: 1 } }) as unknown as Task
const target = (rc: RunContext, to: string) => taskTarget(rc, task(to), NO_INHERITED, 'pi1', { mine: 1 })

describe('delegate_to targets', () => {
  it('an inventory host: its own variables, the play remote_user below them', () => {
    const t = target(context('admin'), 'pi2')
    expect(t).toMatchObject({ name: 'pi2', delegated: true })
    expect(t.vars).toMatchObject({ ansible_host: '10.9.0.2', ansible_user: 'builder', ansible_port: 2222 })
  })
  it("the inventory host whose address is named, with that host's variables", () => {
    const t = target(context(), '10.9.0.2')
    expect(t).toMatchObject({ name: 'pi2', delegated: true })
    expect(t.vars.ansible_user).toBe('builder')
  })
  it("the task's own host by its address is not a delegation: the task's variables stay", () => {
    expect(target(context(), '10.9.0.1')).toEqual({
      name: 'pi1',
      vars: { mine: 1 },
      keyword: undefined,
      delegated: false,
    })
  })
  it('localhost names are the implicit localhost, even when a host has that address', () => {
    expect(target(context(), '127.0.0.1').vars).toMatchObject({ ansible_connection: 'local', site: 'lab' })
  })
  it("a name no inventory has: reached at that name with the all group's variables and the play's remote_user", () => {
    const t = target(context('admin'), 'backup.example.test')
    expect(t).toMatchObject({ name: 'backup.example.test', delegated: true })
    expect(t.vars).toMatchObject({
      inventory_hostname: 'backup.example.test',
      ansible_port: 2222,
      site: 'lab',
      ansible_user: 'admin',
    })
    expect(t.vars.ansible_host).toBeUndefined()
  })
})
