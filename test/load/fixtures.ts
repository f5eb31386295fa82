/**
 * Small module definitions for loader tests: real TypeBox schemas shaped like the real modules' (free-form
 * `command`, `apt` with enums and unions, `copy` with a required `dest` and a secret-free `content`), so the
 * loader's validation can be tested without the module files. They never run (no host is involved).
 */
import { Type } from '@sinclair/typebox'
import { defineModule, type ModuleDef } from '../../engine/module.js'

const never = {
  changedWhen: 'never runs',
  check: 'full' as const,
  example: '',
  gather: async () => undefined,
  plan: () => ({ commands: [] }),
}

export const command = defineModule({
  ...never,
  name: 'command',
  summary: 'run a command',
  freeForm: 'cmd',
  schema: Type.Object(
    {
      cmd: Type.Optional(Type.String({ description: 'command line' })),
      argv: Type.Optional(Type.Array(Type.String(), { description: 'argv' })),
      chdir: Type.Optional(Type.String({ description: 'cd first' })),
      creates: Type.Optional(Type.String({ description: 'skip when it exists' })),
    },
    { additionalProperties: false },
  ),
})

export const apt = defineModule({
  ...never,
  name: 'apt',
  summary: 'packages',
  schema: Type.Object(
    {
      name: Type.Union([Type.String(), Type.Array(Type.String())], { description: 'package(s)' }),
      state: Type.Optional(
        Type.Union([Type.Literal('present'), Type.Literal('absent'), Type.Literal('latest')], {
          description: 'state',
          default: 'present',
        }),
      ),
      update_cache: Type.Optional(Type.Boolean({ description: 'apt-get update', default: false })),
      cache_valid_time: Type.Optional(Type.Integer({ description: 'seconds', default: 0 })),
    },
    { additionalProperties: false },
  ),
})

export const copy = defineModule({
  ...never,
  name: 'copy',
  summary: 'copy',
  schema: Type.Object(
    {
      dest: Type.String({ description: 'destination' }),
      content: Type.Optional(Type.String({ description: 'content' })),
      src: Type.Optional(Type.String({ description: 'source file' })),
      mode: Type.Optional(Type.Union([Type.String(), Type.Integer()], { description: 'mode' })),
      password: Type.Optional(Type.String({ description: 'a secret', secret: true })),
      pin: Type.Optional(Type.Integer({ description: 'a secret number', secret: true })),
    },
    { additionalProperties: false },
  ),
})

export const debug = defineModule({
  ...never,
  name: 'debug',
  summary: 'print',
  controllerOnly: true,
  schema: Type.Object(
    {
      msg: Type.Optional(Type.Unknown({ description: 'message' })),
      var: Type.Optional(Type.String({ description: 'variable name' })),
    },
    { additionalProperties: false },
  ),
})

export const setFact = defineModule({
  ...never,
  name: 'set_fact',
  summary: 'set facts',
  controllerOnly: true,
  schema: Type.Record(Type.String(), Type.Unknown(), { description: 'facts to set' }),
})

export const template = defineModule({
  ...never,
  name: 'template',
  summary: 'template',
  schema: Type.Object(
    {
      src: Type.String({ description: 'template file' }),
      dest: Type.String({ description: 'destination' }),
    },
    { additionalProperties: false },
  ),
})

/** The fixture modules by name, as `loadAllModules()` returns them. */
export function fixtureModules(): Map<string, ModuleDef> {
  const list: ModuleDef[] = [command, apt, copy, debug, setFact, template]
  return new Map(list.map((m) => [m.name, m]))
}
