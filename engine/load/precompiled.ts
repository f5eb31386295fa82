/**
 * The argument validators `npm run build` precompiled, by module name: each entry loads one module's validator
 * module (its validate function under the module's name, and `__hash`, the hash of the schema it was built from).
 * Empty here, in the sources: scripts/bundle.mjs puts the generated table in its place, so the validators are
 * part of the bundle and come out of V8's code cache with the rest of it. engine/load/args.ts compiles a
 * schema with ajv when its module has no entry (the sources, the tests) or the entry's hash differs.
 *
 * @example
 * ```ts
 * const pre = precompiledValidators.copy?.() // → { copy: validate, __hash: '…' } in the bundle, undefined here
 * ```
 */
export const precompiledValidators: Readonly<Record<string, () => unknown>> = {}
