/**
 * `extend(base, props)`: a copy of `base` with `props` over it, as `{ ...base, ...props }`, for objects made on every
 * task or command. In Node 20's V8 (11.3) an object spread followed by a key the spread did not copy gives the new
 * object a hidden class of its own on every call: each read of such an object then misses V8's inline caches and
 * goes through the runtime, and every call allocates a new hidden class. `Object.assign` onto a new literal shares
 * one hidden class per shape, as a literal does. For plain objects with fixed keys only: `Object.assign` sets a
 * `__proto__` key where a spread defines it, so data whose keys come from a user (variables) keep the spread.
 *
 * @example
 * ```ts
 * const prepared = extend(cmd, { env, timeoutSec }) // same fields as { ...cmd, env, timeoutSec }
 * ```
 */
export function extend<B extends object, P extends object>(
  base: B | undefined,
  props: P | undefined,
): Omit<B, keyof P> & P {
  return Object.assign({}, base, props)
}
