/**
 * tsplay's expression language for `when`, `changed_when`, `failed_when`, `until` and `{{ … }}`: a Jinja-like
 * subset parsed by a small hand-written parser (engine/expr/), never `eval`. Parsed ASTs are cached.
 *
 * Supported: literals (numbers, '…'/"…" strings, true/false/True/False, none/None/null, `[lists]`, `{maps}`),
 * names, `.attr`, `['key']`, `[0]`, `== != < > <= >=`, `in`/`not in`, `and or not`, `+ - * / // % ** ~`,
 * `a if c else b`, filters (`| default(x)`, `| int`, `| bool`, `| length`, `| lower`, … see expr/filters.ts),
 * tests (`is defined`, `is undefined`, `is none`, `is failed|succeeded|changed|skipped`, `is version('2', '>=')`, …)
 * and a few string/map methods (`x.startswith('a')`, `d.get('k')`). A surrounding `{{ }}` is stripped.
 * Truthiness is documented in expr/values.ts (strings like "no", "false", "0" are false).
 *
 * @example
 * ```yaml
 * - command: nix --version
 *   register: nix
 *   failed_when: false
 * - command: sh install-nix.sh
 *   when: nix is failed or nix.rc != 0 or 'nix' not in nix.stdout
 * ```
 */
import { UserError } from './errors.js'
import { parseCached } from './expr/cache.js'
import { evaluate } from './expr/eval.js'
import { ExprError } from './expr/lexer.js'
import { exprNames } from './expr/names.js'
import type { Expr } from './expr/ast.js'
import { compileTemplate, renderCompiled, scopeFor } from './expr/render.js'
import { force, truthy } from './expr/values.js'
import type { SourcePos, Vars } from './types.js'

export { ExprError } from './expr/lexer.js'
export type { Expr } from './expr/ast.js'

/** Where an expression came from, for error messages. */
export interface ExprOptions {
  pos?: SourcePos
  /** What is being evaluated ("when of task \"install nix\""); appended as "in <what>". */
  what?: string
}

/** `{{ x }}` → ` x ` with the offset of the inner text, else the source unchanged. */
function stripMustache(src: string): [string, number] {
  const m = /^(\s*\{\{)([\s\S]*)\}\}\s*$/.exec(src)
  if (m && !m[2].includes('{{') && !m[2].includes('}}')) return [m[2], m[1].length]
  return [src, 0]
}

/** Parse an expression (a surrounding `{{ }}` is stripped). Cached. Throws `ExprError` with a 1-based column. */
export function parseExpr(src: string): Expr {
  const [inner, offset] = stripMustache(src)
  try {
    return parseCached(inner)
  } catch (err) {
    if (err instanceof ExprError && offset) throw new ExprError(err.message, err.col + offset)
    throw err
  }
}

/** A `UserError` for `err` with the caller's position and context added (other errors pass through). */
export function withContext(err: unknown, opts: ExprOptions = {}, src?: string): unknown {
  if (err instanceof ExprError) {
    const text = src !== undefined ? ` in expression ${JSON.stringify(src)}` : ''
    return new UserError(
      `invalid expression: ${err.message} at column ${err.col}${text}${opts.what ? ` (${opts.what})` : ''}`,
      opts.pos,
    )
  }
  if (err instanceof UserError && !err.pos && (opts.pos || opts.what)) {
    return new UserError(`${err.message}${opts.what ? ` in ${opts.what}` : ''}`, opts.pos, err.hint)
  }
  return err
}

/**
 * Evaluate an expression. Throws `UserError('undefined variable "x"')` for an undefined variable it needs,
 * and `UserError` for a syntax error (with `opts.pos` when given).
 *
 * @example
 * ```ts
 * evalExpr("groups['hydra_server'][0]", vars) // 'pi1'
 * ```
 */
export function evalExpr(src: string | Expr, vars: Vars, opts?: ExprOptions): unknown {
  try {
    const e = typeof src === 'string' ? parseExpr(src) : src
    const scope = scopeFor(vars)
    return scope.deep(force(evaluate(e, scope)))
  } catch (err) {
    throw withContext(err, opts, typeof src === 'string' ? src : undefined)
  }
}

/**
 * Evaluate a condition with tsplay's truthiness (Ansible-like: `"no"`, `"false"`, `"0"`, `""`, `0`, empty lists
 * and maps, `none` are false). Non-string values (a YAML `true`) are accepted as they are.
 */
export function evalCondition(src: string | boolean, vars: Vars, opts?: ExprOptions): boolean {
  if (typeof src === 'boolean') return src
  if (isTemplatedCondition(src)) {
    // as Ansible's: the condition is rendered as Jinja first (Python's printing), then its text is evaluated
    let text: string
    try {
      text = String(renderCompiled(compileTemplate(src, false, 'jinja'), vars, scopeFor(vars), false))
    } catch (err) {
      throw withContext(err, opts, src)
    }
    return text.trim() !== '' && truthy(evalExpr(text, vars, opts))
  }
  return truthy(evalExpr(src, vars, opts))
}

/**
 * A condition with `{{ }}` or `{% %}` beside other text (`"{{ x }} == 1"`, `"'{{ a }}' in b"`): Ansible renders it
 * before evaluating it (a warning says so). A condition that is one `{{ expr }}` is that expression.
 *
 * @example
 * ```ts
 * isTemplatedCondition("'{{ name }}' == 'web'") // true
 * isTemplatedCondition('{{ x }}')               // false: the expression x
 * ```
 */
export function isTemplatedCondition(src: string): boolean {
  return (src.includes('{{') || src.includes('{%')) && stripMustache(src)[1] === 0
}

/**
 * Root variable names an expression reads, in order, leaving out those only tested with `is defined`/
 * `is undefined` or given a `default`. Throws `ExprError` for a syntax error.
 */
export function exprVariables(src: string | Expr, guarded?: ReadonlySet<string>): string[] {
  return [...exprNames(typeof src === 'string' ? parseExpr(src) : src, new Set(), guarded)]
}
