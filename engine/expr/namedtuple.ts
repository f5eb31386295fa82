/**
 * Python's named tuples (`date.isocalendar()`'s `IsoCalendarDate`): a list marked as a tuple that also answers its
 * fields by name and prints as `datetime.IsoCalendarDate(year=2016, week=32, weekday=7)`. Indexing, `length`,
 * `list` and `to_json` see the plain list, as Python's tuple subclass does; a template hands one out as its text,
 * as Ansible does (that text does not read back as a Python literal).
 *
 * @example
 * ```jinja
 * {{ ('2016-08-14 20:00:12' | to_datetime).isocalendar().week }}   {# 32 #}
 * ```
 */

/** A named tuple's class: its qualified name (`datetime.IsoCalendarDate`) and its fields in order. */
export interface TupleClass {
  module: string
  name: string
  fields: readonly string[]
}

const classes = new WeakMap<unknown[], TupleClass>()

/** Mark `xs` as an instance of the named tuple class `cls`. */
export function namedTuple<T extends unknown[]>(xs: T, cls: TupleClass): T {
  classes.set(xs, cls)
  return xs
}

/** The named tuple class of `v`, if it is one. */
export function tupleClass(v: unknown): TupleClass | undefined {
  return Array.isArray(v) ? classes.get(v) : undefined
}

/** The field `name` of the named tuple `xs`, or undefined when it has no such field. */
export function tupleField(xs: unknown[], name: string): unknown {
  const i = classes.get(xs)?.fields.indexOf(name) ?? -1
  return i < 0 ? undefined : xs[i]
}

/** Python's repr of the named tuple `xs` of class `cls`, its items printed by `item`. */
export function namedRepr(xs: unknown[], cls: TupleClass, item: (x: unknown) => string): string {
  return `${cls.module}.${cls.name}(${cls.fields.map((f, i) => `${f}=${item(xs[i])}`).join(', ')})`
}
