/**
 * Ansible's conversion of a rendered playbook value (its `ansible_eval_concat`): text that looks like a list, a map
 * or a boolean (starts with `[` or `{`, or is `True`/`False`) becomes that value when it is a Python literal, JSON's
 * `true`/`false`/`null` taken too; anything else stays text. A template that ends in a text filter (`| to_json }}`,
 * `| string }}`, …) is never converted, as in Ansible.
 *
 * @example
 * ```ts
 * convertRendered('{{ pkgs }}', '["git", "vim"]') // ['git', 'vim']
 * convertRendered('{{ x }}', '[main]')            // '[main]' (not a literal)
 * convertRendered('{{ d | to_json }}', '{"a": 1}') // '{"a": 1}'
 * ```
 */
import type { Expr } from './ast.js'
import { parse } from './parser.js'
import { tuple } from './pystr.js'

const NOT_LITERAL = Symbol('not a literal')

/** Ansible's STRING_TYPE_FILTERS ending a `{{ }}`: the template's result stays text. */
const TEXT_FILTER_END =
  /^[\s\S]*?\|\s*(?:string|to_json|to_nice_json|to_yaml|to_nice_yaml|ppretty|json)(?:\([^|]*\))?\s*\)?\s*\}\}/

function literal(e: Expr): unknown {
  switch (e.k) {
    case 'lit':
      return e.v
    case 'neg': {
      const v = literal(e.e)
      if (typeof v === 'number') return -v
      break
    }
    case 'list': {
      const xs = e.items.map(literal)
      return e.tuple ? tuple(xs) : xs
    }
    case 'map': {
      const out: Record<string, unknown> = {}
      for (const [k, v] of e.entries) {
        const key = literal(k)
        if (typeof key !== 'string' && typeof key !== 'number') throw NOT_LITERAL
        out[String(key)] = literal(v)
      }
      return out
    }
  }
  throw NOT_LITERAL
}

/** The value a Python literal (or JSON) text stands for, or `undefined` when it is not one. */
export function pyLiteral(text: string): { value: unknown } | undefined {
  // Python's parser refuses blanks after the last line break (an indent with nothing after it)
  if (/\n[ \t\f]+$/.test(text)) return undefined
  try {
    return { value: literal(parse(text)) }
  } catch {
    return undefined
  }
}

/** Lists and maps `convertRendered` made → the text they were made from. */
const fromText = new WeakMap<object, string>()

/**
 * The text a list or map was converted from, for a module argument that takes text (Ansible's module would get
 * the same text back from Python's `str()` of it, near enough); undefined for any other value.
 */
export function renderedText(v: unknown): string | undefined {
  return v !== null && typeof v === 'object' ? fromText.get(v) : undefined
}

/** `rendered`, the text `template` rendered to, as Ansible hands it on: converted when it is a literal (above). */
export function convertRendered(template: string, rendered: string): unknown {
  const looks = rendered.startsWith('[') || rendered.startsWith('{') || rendered === 'True' || rendered === 'False'
  if (!looks || TEXT_FILTER_END.test(template)) return rendered
  const lit = pyLiteral(rendered)
  if (!lit) return rendered
  if (lit.value !== null && typeof lit.value === 'object') fromText.set(lit.value, rendered)
  return lit.value
}
