/**
 * The types of a module's arguments, from its one TypeBox schema. A playbook may leave out an argument that has a
 * `default`; the module never sees it missing: the engine fills defaults in one place (engine/load/args.ts,
 * `resolveArgs`, ajv `useDefaults`) before `gather`/`plan`. `Defaulted` marks such a property so the type system
 * knows it too: `Static<S>` is what a playbook writes, `ModuleArgs<S>` what the module receives.
 *
 * @example
 * ```ts
 * const Args = Type.Object({
 *   name: Type.String(),
 *   state: Defaulted(Type.Union([Type.Literal('present'), Type.Literal('absent')], { default: 'present' })),
 * })
 * type In = Static<typeof Args> // { name: string; state?: 'present' | 'absent' }
 * type Got = ModuleArgs<typeof Args> // { name: string; state: 'present' | 'absent' }
 * ```
 */
import { Type, type Static, type TOptional, type TProperties, type TSchema } from '@sinclair/typebox'

/** An optional property whose schema carries a `default` (the type remembers that the default is there). */
export type TDefaulted<T extends TSchema> = TOptional<T> & { default: Static<T> }

/**
 * `Type.Optional` for a property with a `default` in its options: left out in a playbook, always filled for the
 * module. The schema itself is unchanged (the same JSON Schema, docs and editor schema as `Type.Optional`).
 */
export function Defaulted<T extends TSchema>(schema: T): TDefaulted<T> {
  if (!('default' in schema)) throw new Error(`Defaulted: the schema has no default: ${JSON.stringify(schema)}`)
  return Type.Optional(schema) as TDefaulted<T>
}

/** The keys of an object schema's properties made with `Defaulted`. */
export type DefaultedKeys<P extends TProperties> = {
  [K in keyof P]: P[K] extends { default: unknown } ? K : never
}[keyof P]

type Flat<T> = { [K in keyof T]: T[K] } & {}

/** What a module receives: `Static<S>` with every defaulted property present. */
export type ModuleArgs<S extends TSchema> = S extends { properties: infer P extends TProperties }
  ? Flat<S['static'] & { [K in DefaultedKeys<P>]-?: P[K]['static'] }>
  : S['static']
