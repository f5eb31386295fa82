/**
 * Argument defaults for the modules, resolved in one place: from the schema's own `default`s.
 * The runner fills defaults too; modules call `fill` so `plan` is correct when called directly (tests).
 *
 * @example
 * ```ts
 * type Full = WithDefaults<Args, 'state'>
 * const a = fill(Args, args) as Full // a.state is 'present' when the playbook left it out
 * ```
 */
import type { TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'

/** `T` with the keys `K` required (they have schema defaults). */
export type WithDefaults<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: Exclude<T[P], undefined> }

/** A copy of `args` with every missing property that has a schema `default` filled in. */
export function fill<T>(schema: TSchema, args: T): T {
  return Value.Default(schema, Value.Clone(args ?? {})) as T
}

/** A user value that is passed as a program argument must not look like an option or hold NUL/newlines. */
export function badArg(value: string): boolean {
  return value === '' || value.startsWith('-') || /[\0\n\r]/.test(value)
}

/** Split `"a, b,c"` or `['a','b']` into a clean list (no blanks). */
export function toList(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return []
  const items = typeof value === 'string' ? value.split(',') : value
  return items.map((s) => s.trim()).filter((s) => s !== '')
}

/** The last `n` lines of a text, for failure messages. */
export function lastLines(text: string, n: number): string {
  const lines = text.replace(/\s+$/, '').split('\n')
  return lines.slice(-n).join('\n')
}
