/**
 * The argument schema of a module that takes any arguments (a library module, an absent one): the JSON Schema
 * `Type.Object({}, { additionalProperties: true })` gives, written out so that loading a playbook, which defines
 * such modules, does not load TypeBox (100 KB of code) for it.
 *
 * @example
 * ```ts
 * defineModule({ name: 'my_module', schema: AnyArgs, ... })
 * ```
 */
import type { TObject } from '@sinclair/typebox'

export const AnyArgs = { type: 'object', properties: {}, additionalProperties: true } as unknown as TObject
