/**
 * The pure core of `blockinfile`: the new file content from the old, following Ansible's algorithm — the block
 * between its marker lines replaced in place, or inserted after the last line `insertafter` matches (or before the
 * last line `insertbefore` matches, at BOF, at EOF), or removed with its markers.
 *
 * @example
 * ```ts
 * editBlock('a\n', { block: 'x=1', marker: '# {mark} M', markerBegin: 'BEGIN', markerEnd: 'END' })
 * // { content: 'a\n# BEGIN M\nx=1\n# END M\n', msg: 'Block inserted' }
 * ```
 */
import { LineError, splitKeep } from './lines.js'
import { pyRegExp } from './pyre.js'

/** What to do with the block. */
export interface BlockEdit {
  state?: 'present' | 'absent'
  block: string
  /** The marker line template; `{mark}` is replaced by `markerBegin`/`markerEnd`. */
  marker: string
  markerBegin: string
  markerEnd: string
  insertafter?: string
  insertbefore?: string
}

/** The new content (undefined content: nothing to write) and Ansible's message. */
export interface BlockResult {
  content?: string
  msg: string
}

/** A Python regexp; a leading `(?m)` makes it search the whole file, as in Ansible. */
function compile(src: string): { re: RegExp; multiline: boolean } {
  const re = pyRegExp(src)
  return { re, multiline: re.flags.includes('m') }
}

const count = (s: string, end: number): number => (s.slice(0, end).match(/\n/g) ?? []).length

/** Apply `e` to `content` (undefined: the file does not exist yet). Pure; a bad regexp throws `LineError`. */
export function editBlock(content: string | undefined, e: BlockEdit): BlockResult {
  const present = (e.state ?? 'present') === 'present'
  if (!present && content === undefined) return { msg: 'File not present' }
  const lines = splitKeep(content ?? '')
  let insertafter = e.insertafter
  const insertbefore = e.insertbefore
  if (insertbefore === undefined && insertafter === undefined) insertafter = 'EOF'
  const pattern =
    insertafter !== undefined && insertafter !== 'EOF'
      ? insertafter
      : insertbefore !== undefined && insertbefore !== 'BOF'
        ? insertbefore
        : undefined
  const insert = pattern !== undefined ? compile(pattern) : undefined
  const marker0 = `${e.marker.split('{mark}').join(e.markerBegin)}\n`
  const marker1 = `${e.marker.split('{mark}').join(e.markerEnd)}\n`
  let blockLines: string[] = []
  if (present && e.block !== '') {
    const block = e.block.endsWith('\n') ? e.block : `${e.block}\n`
    blockLines = [marker0, ...splitKeep(block), marker1]
  }
  let n0: number | undefined
  let n1: number | undefined
  lines.forEach((l, i) => {
    if (l === marker0) n0 = i
    if (l === marker1) n1 = i
  })
  if (n0 === undefined || n1 === undefined) {
    n0 = undefined
    if (insert) {
      if (insert.multiline) {
        const m = insert.re.exec(content ?? '')
        if (m) n0 = count(content ?? '', insertafter !== undefined ? m.index + m[0].length : m.index)
      } else {
        lines.forEach((l, i) => {
          if (insert.re.test(l.endsWith('\n') ? l.slice(0, -1) : l)) n0 = i
        })
      }
      if (n0 === undefined) n0 = lines.length
      else if (insertafter !== undefined) n0 += 1
    } else if (insertbefore !== undefined) n0 = 0
    else n0 = lines.length
  } else if (n0 < n1) {
    lines.splice(n0, n1 - n0 + 1)
  } else {
    lines.splice(n1, n0 - n1 + 1)
    n0 = n1
  }
  if (n0 > 0 && !lines[n0 - 1].endsWith('\n')) lines[n0 - 1] += '\n'
  lines.splice(n0, 0, ...blockLines)
  const result = lines.join('')
  if (result === content) return { content, msg: '' }
  if (content === undefined) return { content: result, msg: 'File created' }
  return { content: result, msg: blockLines.length ? 'Block inserted' : 'Block removed' }
}

export { LineError }
