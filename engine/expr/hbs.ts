/**
 * The handlebars side of templating, used when a template has blocks (`{{#each}}`, `{{#if}}`), comments or
 * handlebars-only mustaches. Each tsplay expression mustache is rewritten into a call of the `__x` helper (which
 * evaluates it with the expression engine, seeing the current `#each` item, block params and `loop.index`), and
 * every other mustache is wrapped in `__s` so values print the same way on both paths and, under
 * `escape: 'shell'`, are shell-quoted.
 *
 * @example
 * ```handlebars
 * {{#each builders as |b|}}ssh://{{ b.user | default('root') }}@{{ b.host }} {{ b.system }}
 * {{/each}}
 * ```
 */
import type Handlebars from 'handlebars'
import { createRequire } from 'node:module'
import { UserError } from '../errors.js'
import { shQuote } from '../quote.js'
import type { Vars } from '../types.js'
import { evaluate } from './eval.js'
import { callFilter, callTest, FILTERS, UNDEF_FILTERS } from './filters.js'
import { ExprError } from './lexer.js'
import type { Expr } from './ast.js'
import type { Segment } from './scan.js'
import { childScope, type Scope } from './scope.js'
import { force, getProp, toStr, truthy, Undef } from './values.js'

/** Per-render data handed to the helpers through handlebars' `@data`. */
interface RunData {
  exprs: Expr[]
  scope: Scope
  shell: boolean
}

interface HelperOptions {
  hash: Record<string, unknown>
  data: { tsplay: RunData; root: unknown; index?: number; key?: unknown; first?: boolean; last?: boolean }
}

function out(v: unknown, run: RunData, raw: boolean): string {
  const s = toStr(run.scope.deep(v))
  return run.shell && !raw ? shQuote(s) : s
}

function exprHelper(raw: boolean) {
  return function (this: unknown, idx: number, options: HelperOptions): string {
    const run = options.data.tsplay
    const { hash, data } = options
    const scope = childScope(run.scope, (name) => {
      if (Object.hasOwn(hash, name)) return hash[name] === undefined ? new Undef(name) : hash[name]
      if (name === 'this') return this
      if (name === 'loop' && data.index !== undefined) {
        return { index: data.index + 1, index0: data.index, first: data.first, last: data.last, key: data.key }
      }
      if (this !== data.root && typeof this === 'object' && this !== null) return getProp(this, name, name)
      return new Undef(name)
    })
    return out(force(evaluate(run.exprs[idx], scope)), run, raw)
  }
}
function valueHelper(raw: boolean) {
  return function (...args: unknown[]): string {
    const options = args.pop() as HelperOptions
    if (args[0] === undefined && typeof args[1] === 'string') throw new UserError(`undefined variable "${args[1]}"`)
    const run = options.data.tsplay
    return out(typeof args[0] === 'string' ? run.scope.resolve(args[0]) : args[0], run, raw)
  }
}
let instance: typeof Handlebars | undefined

/**
 * The handlebars instance with tsplay's helpers, made on first use: handlebars is loaded only by a run that renders
 * a handlebars template (most use Jinja or plain expressions), not at every start.
 */
function hbs(): typeof Handlebars {
  if (instance) return instance
  const hb = (createRequire(import.meta.url)('handlebars') as typeof Handlebars).create()
  hb.registerHelper('__x', exprHelper(false))
  hb.registerHelper('__xr', exprHelper(true))
  hb.registerHelper('__s', valueHelper(false))
  hb.registerHelper('__sr', valueHelper(true))
  hb.registerHelper('__req', (v: unknown, name: unknown, options: HelperOptions) => {
    if (v === undefined) throw new UserError(`undefined variable "${String(name)}"`)
    return options.data.tsplay.scope.deep(v)
  })
  // The filters as handlebars helpers (`{{join xs ", "}}`, `{{#each (split line ",")}}`), plus comparisons for `#if`.
  for (const name of Object.keys(FILTERS)) {
    hb.registerHelper(name, (...args: unknown[]) => {
      const options = args.pop() as HelperOptions
      const v = args[0] === undefined ? new Undef('value') : args[0]
      return callFilter(name, UNDEF_FILTERS.has(name) ? v : force(v), args.slice(1), options.hash)
    })
  }
  for (const t of ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in', 'contains', 'version']) {
    hb.registerHelper(t, (...args: unknown[]) => {
      const options = args.pop() as HelperOptions
      return callTest(t, force(args[0] ?? new Undef('value')), args.slice(1), options.hash)
    })
  }
  hb.registerHelper('and', (...args: unknown[]) => (args.pop(), args.every(truthy)))
  hb.registerHelper('or', (...args: unknown[]) => (args.pop(), args.some(truthy)))
  hb.registerHelper('not', (v: unknown) => !truthy(v ?? null))
  instance = hb
  return hb
}

/** A compiled handlebars template with its expression table. */
export interface HbsTemplate {
  fn: (ctx: unknown, opts: { data: { tsplay: RunData } }) => string
  exprs: Expr[]
}

const BLOCK_PARAMS = /\bas\s+\|([^|]*)\|\s*$/
const EACH_PATH = /^(\s*#\s*(?:each|with)\s+)([^\s()"'=]+)(?=\s|$)/

/** Rewrite scanned segments into handlebars source and compile it. Throws `ExprError`/`UserError` on bad syntax. */
export function compileHbs(segs: Segment[], shell: boolean): HbsTemplate {
  const exprs: Expr[] = []
  const params: string[][] = []
  let src = ''
  let firstNativeError: ExprError | undefined
  for (const g of segs) {
    if (g.t === 'text') src += g.text
    else if (g.t === 'block') {
      const head = g.inner.trimStart()
      if (head.startsWith('#')) {
        params.push(BLOCK_PARAMS.exec(g.inner)?.[1].trim().split(/\s+/).filter(Boolean) ?? [])
        const inner = g.inner.replace(
          EACH_PATH,
          (_m, pre: string, path: string) => `${pre}(__req ${path} ${JSON.stringify(path)})`,
        )
        src += g.src.replace(g.inner, () => inner)
      } else {
        if (head.startsWith('/')) params.pop()
        src += g.src
      }
    } else {
      const open = g.tl ? '{{~' : '{{'
      const close = g.tr ? '~}}' : '}}'
      if (g.t === 'expr') {
        exprs.push(g.expr)
        const hash = params
          .flat()
          .map((p) => ` ${p}=${p}`)
          .join('')
        src += `${open}${g.raw || !shell ? '__xr' : '__x'} ${exprs.length - 1}${hash}${close}`
      } else {
        firstNativeError ??= g.err
        const inner = g.inner.trim()
        const single = /^[^\s()"']+$/.test(inner)
        const helper = g.raw || !shell ? '__sr' : '__s'
        src += single
          ? `${open}${helper} ${inner} ${JSON.stringify(inner)}${close}`
          : `${open}${helper} (${inner})${close}`
      }
    }
  }
  let ast: ReturnType<typeof Handlebars.parse>
  try {
    ast = hbsParser().parse(src)
  } catch (e) {
    if (firstNativeError) throw firstNativeError
    throw new UserError(`template syntax error: ${hbsMessage(String((e as Error).message))}`)
  }
  // handlebars itself (and its helpers) is loaded at the first render: checking a template's syntax needs the parser
  let compiled: HbsTemplate['fn'] | undefined
  const fn: HbsTemplate['fn'] = (ctx, opts) =>
    (compiled ??= hbs().compile(ast, { noEscape: true, strict: true }) as HbsTemplate['fn'])(ctx, opts)
  return { fn, exprs }
}

type HbsParser = Pick<typeof Handlebars, 'parse'>
let parser: HbsParser | undefined

/** Handlebars' parser alone (a third of the package's load time), for `compileHbs`. */
function hbsParser(): HbsParser {
  const load = () => createRequire(import.meta.url)('handlebars/dist/cjs/handlebars/compiler/base.js') as HbsParser
  return (parser ??= load())
}

/** Render a compiled handlebars template; handlebars' own errors become `UserError`s. */
export function renderHbs(t: HbsTemplate, vars: Vars, scope: Scope, shell: boolean): string {
  try {
    return t.fn(vars, { data: { tsplay: { exprs: t.exprs, scope, shell } } })
  } catch (e) {
    if (e instanceof UserError) throw e
    const msg = String((e as Error)?.message ?? e)
    const undef = /^"([^"]+)" not defined in/.exec(msg)
    if (undef) throw new UserError(`undefined variable "${undef[1]}"`)
    const helper = /^Missing helper: "([^"]+)"/.exec(msg)
    if (helper) throw new UserError(`unknown helper "${helper[1]}"`)
    throw new UserError(`template error: ${msg.split('\n')[0]}`)
  }
}

/** Handlebars' parse error in one short line. */
function hbsMessage(msg: string): string {
  const line = /on line (\d+)/.exec(msg)?.[1]
  const got = /got '([^']+)'\s*$/.exec(msg)?.[1]
  if (got === 'EOF')
    return `unexpected end of template${line ? ` (line ${line})` : ''}: is a {{#block}} missing its {{/block}}?`
  if (got) return `unexpected ${got.toLowerCase().replaceAll('_', ' ')} on line ${line ?? '?'}`
  return msg.split('\n')[0]
}
