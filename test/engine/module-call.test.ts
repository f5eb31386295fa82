/**
 * The one module call (engine/run/module-call.ts) that the runner and the module tests share: arguments resolved
 * once (aliases, coercion, defaults, typed as `ModuleArgs`), then gather → plan → apply → after, with commands
 * really run on this machine.
 */
import { Type, type Static } from '@sinclair/typebox'
import { describe, expect, expectTypeOf, test } from 'vitest'
import { Defaulted, type ModuleArgs } from '../../engine/argtypes.js'
import { UserError } from '../../engine/errors.js'
import { defineModule } from '../../engine/module.js'
import { moduleArgs, runModule } from '../../engine/run/module-call.js'
import type { CommandResult } from '../../engine/types.js'
import { localIO, playbookArgs, testCtx } from '../helpers/module-ctx.js'

const Args = Type.Object(
  {
    words: Type.Array(Type.String(), { description: 'Words to print, one command each', aliases: ['say'] }),
    fail_at: Type.Optional(Type.Integer({ description: 'Index of the word whose command fails' })),
    loud: Defaulted(Type.Boolean({ description: 'Upper-case', default: false })),
    prefix: Defaulted(Type.String({ description: 'Put before each word', default: '> ' })),
  },
  { additionalProperties: false },
)

/** A module that prints words, one command per word; `after` counts what ran. */
const echo = defineModule({
  name: 'echo_words',
  summary: 'Print words',
  schema: Args,
  changedWhen: 'always when it runs',
  check: 'full',
  example: '- echo_words: { words: [a, b] }',
  gather: async (args) => ({ seen: args }),
  plan: (_facts, args) => ({
    commands: args.words.map((w, i) => ({
      argv: ['sh', '-c', i === args.fail_at ? 'exit 3' : 'printf "%s%s" "$1" "$2"', 'sh', args.prefix, w],
    })),
    data: { planned: args.words.length },
  }),
  after: (_facts, args, results: CommandResult[]) => ({
    data: { ran: results.length, out: results.map((r) => (args.loud ? r.stdout.toUpperCase() : r.stdout)) },
  }),
})

describe('moduleArgs: the one resolution', () => {
  test('defaults filled, aliases resolved, values coerced', () => {
    expect(playbookArgs(echo, { say: ['a'], loud: 'yes' })).toEqual({ words: ['a'], loud: true, prefix: '> ' })
    expect(moduleArgs(echo, { words: ['a'] })).toEqual({ words: ['a'], loud: false, prefix: '> ' })
  })
  test('what a playbook writes vs what the module receives, as types', () => {
    expectTypeOf<Static<typeof Args>['loud']>().toEqualTypeOf<boolean | undefined>()
    expectTypeOf<ModuleArgs<typeof Args>['loud']>().toEqualTypeOf<boolean>()
    expectTypeOf<ModuleArgs<typeof Args>['prefix']>().toEqualTypeOf<string>()
    expectTypeOf<ModuleArgs<typeof Args>['fail_at']>().toEqualTypeOf<number | undefined>()
  })
  test('a wrong argument is a UserError before anything runs', () => {
    expect(() => moduleArgs(echo, { words: ['a'], lodu: true })).toThrow(UserError)
    expect(() => moduleArgs(echo, { words: ['a'], lodu: true })).toThrow(
      /unknown argument "lodu" for module echo_words/,
    )
  })
  test('Defaulted refuses a schema without a default', () => {
    expect(() => Defaulted(Type.String())).toThrow(/has no default/)
  })
})

describe('runModule: gather → plan → apply → after', () => {
  test('runs the commands in order and hands their results to after', async () => {
    const r = await runModule(echo, moduleArgs(echo, { words: ['a', 'b'], loud: true }), testCtx(), localIO())
    expect(r.state.seen.prefix).toBe('> ')
    expect(r.results.map((x) => x.stdout)).toEqual(['> a', '> b'])
    expect(r).toMatchObject({ changed: true, failed: undefined, data: { planned: 2, ran: 2, out: ['> A', '> B'] } })
  })
  test('stops at the first failing command and says which', async () => {
    const r = await runModule(echo, moduleArgs(echo, { words: ['a', 'b', 'c'], fail_at: 1 }), testCtx(), localIO())
    expect(r.results.map((x) => x.rc)).toEqual([0, 3])
    expect(r.failed).toMatch(/^sh failed \(rc 3\)/)
    expect(r.data.ran).toBe(2)
    expect(r.changed).toBe(true) // a change was made before the failure
  })
  test('a failing first change (after only the folders made for it) reports no change, as Ansible does', async () => {
    const first = await runModule(echo, moduleArgs(echo, { words: ['a', 'b'], fail_at: 0 }), testCtx(), localIO())
    expect(first).toMatchObject({ changed: false, failed: expect.stringMatching(/rc 3/) })
    const prepared = {
      ...echo,
      plan: (f: never, a: never) => {
        const p = echo.plan(f, a, testCtx())
        return { ...p, commands: p.commands.map((c, i) => (i === 0 ? { ...c, prepares: true } : c)) }
      },
    }
    const second = await runModule(prepared, moduleArgs(echo, { words: ['a', 'b'], fail_at: 1 }), testCtx(), localIO())
    expect(second).toMatchObject({ changed: false, failed: expect.stringMatching(/rc 3/) })
    const third = await runModule(
      prepared,
      moduleArgs(echo, { words: ['a', 'b', 'c'], fail_at: 2 }),
      testCtx(),
      localIO(),
    )
    expect(third.changed).toBe(true)
  })
  test("a write that made a backup gives the result's backup_file; other output never does", async () => {
    const said = (reportsBackup: boolean) => ({
      ...echo,
      plan: () => ({
        commands: [{ argv: ['sh', '-c', 'echo backup_file=/etc/x.1~'], ...(reportsBackup ? { reportsBackup } : {}) }],
      }),
    })
    const args = moduleArgs(echo, { words: ['a'] })
    expect((await runModule(said(true), args, testCtx(), localIO())).data.backup_file).toBe('/etc/x.1~')
    expect((await runModule(said(false), args, testCtx(), localIO())).data.backup_file).toBeUndefined()
    // lineinfile's result names it `backup` (it has that field, empty, from its plan), as Ansible's lineinfile
    const own = { ...said(true), plan: () => ({ ...said(true).plan(), data: { backup: '' } }) }
    expect((await runModule(own, args, testCtx(), localIO())).data).toMatchObject({ backup: '/etc/x.1~' })
  })
  test('check mode plans and runs nothing', async () => {
    const r = await runModule(echo, moduleArgs(echo, { words: ['a'] }), testCtx({ checkMode: true }), localIO())
    expect(r.plan.commands.length).toBe(1)
    expect(r.results).toEqual([])
    expect(r.data).toEqual({ planned: 1 })
  })
  test('the runner may run each command its own way (async jobs)', async () => {
    const ran: string[] = []
    const io = localIO()
    const r = await runModule(echo, moduleArgs(echo, { words: ['x'] }), testCtx(), io, (cmd) => {
      ran.push(cmd.argv.at(-1) ?? '')
      return io.run(cmd)
    })
    expect(ran).toEqual(['x'])
    expect(r.data.out).toEqual(['> x'])
  })
})
