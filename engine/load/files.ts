/**
 * Controller files that tasks read, checked before contact: a `template`/`copy` task's literal `src` must exist
 * on the task's search path (same rule as modules/lib/files.ts `findSource`: absolute as given, else
 * `DIR/<kind>/src` or `DIR/src` over the search paths), and a template file's syntax must parse. Templated or
 * remote (`remote_src`) sources are left to run time.
 *
 * @example
 * ```yaml
 * - template: { src: hydra.conf.hbs, dest: /etc/hydra/hydra.conf }  # roles/hydra/templates/hydra.conf.hbs must exist
 * ```
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { basename, isAbsolute, join, relative } from 'node:path'
import type { Task, TaskNode } from '../ast.js'
import { UserError } from '../errors.js'
import { checkTemplateSyntax, engineForFile } from '../template.js'
import type { SourcePos } from '../types.js'
import { report, type LoadContext } from './context.js'
import { decodeUtf8 } from './utf8.js'
import { valuePos } from './positions.js'

/** Template files bigger than this are not read at load time. */
const MAX_TEMPLATE_BYTES = 1 << 20

const KIND: Record<string, 'files' | 'templates'> = { template: 'templates', copy: 'files' }

/** Where a literal `src` may be, in search order. */
export function sourceCandidates(src: string, searchPaths: readonly string[], kind: 'files' | 'templates'): string[] {
  if (isAbsolute(src)) return [src]
  return searchPaths.flatMap((d) => (basename(d) === kind ? [join(d, src)] : [join(d, kind, src), join(d, src)]))
}

/** A task's controller source file, when its `src` is a literal that exists (else undefined). */
export function taskSourceFile(task: Task): string | undefined {
  const kind = KIND[task.module]
  const src = task.args.src
  if (!kind || typeof src !== 'string' || src.includes('{{') || task.args.remote_src === true) return undefined
  return sourceCandidates(src, task.searchPaths, kind).find((c) => existsSync(c) && statSync(c).isFile())
}

const texts = new Map<string, string | undefined>()

/** A template file's text (cached), or undefined when too large or unreadable; throws `UserError` for bad UTF-8. */
export function templateText(file: string): string | undefined {
  if (texts.has(file)) return texts.get(file)
  let bytes: Buffer | undefined
  try {
    bytes = statSync(file).size <= MAX_TEMPLATE_BYTES ? readFileSync(file) : undefined
  } catch {
    bytes = undefined // unreadable: the module reports it at run time
  }
  const text = bytes ? decodeUtf8(bytes, file) : undefined // invalid UTF-8 throws a UserError
  texts.set(file, text)
  return text
}

/** Line and column of a 0-based offset in `text`. */
export function offsetPos(file: string, text: string, offset: number): SourcePos {
  const before = text.slice(0, Math.max(0, offset))
  const line = before.split('\n').length
  return { file, line, col: offset - before.lastIndexOf('\n') }
}

/** Check every template/copy task's source file in these nodes. */
export function checkSourceFiles(ctx: LoadContext, nodes: TaskNode[]): void {
  for (const n of nodes) {
    if (n.kind === 'block') {
      checkSourceFiles(ctx, [...n.block, ...n.rescue, ...n.always])
      continue
    }
    const kind = KIND[n.module]
    const src = n.args.src
    if (!kind || typeof src !== 'string' || src.includes('{{') || n.args.remote_src === true) continue
    const file = taskSourceFile(n)
    const at = valuePos(n.args, 'src') ?? n.argsPos
    if (!file) {
      const looked = sourceCandidates(src, n.searchPaths, kind).map((c) => relative(ctx.playbookDir, c) || c)
      report(ctx, `${n.module} src "${src}" not found`, at, `(looked in: ${looked.join(', ')})`)
      continue
    }
    if (kind !== 'templates') continue
    let text: string | undefined
    try {
      text = templateText(file)
    } catch (e) {
      if (e instanceof UserError) ctx.errors.push(e)
      continue
    }
    const msg = text === undefined ? undefined : checkTemplateSyntax(text, engineForFile(file))
    if (msg && text !== undefined) {
      const col = /at column (\d+)$/.exec(msg)
      const line = /\(line (\d+)\)/.exec(msg)
      const pos = col ? offsetPos(file, text, Number(col[1]) - 1) : { file, line: line ? Number(line[1]) : 1, col: 1 }
      report(ctx, `invalid template: ${msg.replace(/ at column \d+$/, '')}`, pos)
    }
  }
}
