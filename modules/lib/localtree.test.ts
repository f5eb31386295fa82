/** `planLocalTree`'s chattr flags (`attributes`), planned from a probed state: pure, table-driven. */
import { describe, expect, test } from 'vitest'
import { attributeWords } from './chattr.js'
import { planLocalTree, type LocalItem, type LocalTreeState } from './localtree.js'

const sha1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709' // of ''
const file = { type: 'f' as const, mode: 0o100644, content: Buffer.alloc(0), sha1 }
const item = (type: string) => ({ type, mode: 0o644, owner: 'pi', group: 'pi', ...(type === 'f' ? { sha1 } : {}) })

/** A copy of `src/` (a.txt, sub/, sub/b.txt, a link) into /d, which holds `dest` with `flags`. */
function state(dest: string[], flags: Record<string, string>, src = '/play/conf/'): LocalTreeState {
  return {
    kind: 'local-tree',
    src,
    root: '/d',
    rootType: 'd',
    srcTree: new Map<string, LocalItem>([
      ['a.txt', file],
      ['sub', { type: 'd', mode: 0o40755 }],
      ['sub/b.txt', file],
      ['l', { type: 'l', mode: 0o120777, link: 'a.txt' }],
    ]),
    destTree: new Map(dest.map((p) => [p, item(p === 'sub' ? 'd' : p === 'l' ? 'l' : 'f')])),
    flags: new Map(Object.entries(flags).map(([p, f]) => [`/d/${p}`.replace(/\/$/, ''), f])),
    nonce: 'n',
  }
}

/** The paths the plan's chattr command covers: its arguments after the operator and the flags. */
const chattred = (t: LocalTreeState, attributes: string) => {
  const c = planLocalTree(t, { attributes }).commands.find((x) => x.describe?.startsWith('chattr'))
  if (!c) return []
  const [op, flags] = attributeWords(attributes)
  return c.argv.slice(c.argv.findIndex((a, i) => a === op && c.argv[i + 1] === flags) + 2)
}

describe('a folder copy with attributes', () => {
  const all = ['a.txt', 'sub', 'sub/b.txt', 'l']
  test.each([
    ['every entry already has the flags: nothing', all, { 'a.txt': 'e', sub: 'e', 'sub/b.txt': 'e' }, 'e', []],
    ['one differs: that one', all, { 'a.txt': 'e', sub: 'eA', 'sub/b.txt': 'e' }, 'e', ['/d/sub']],
    ['missing entries (written now) get them; links never', ['sub'], { sub: 'e' }, 'e', ['/d/a.txt', '/d/sub/b.txt']],
    ["'-' is set on every entry, as Ansible's", all, { 'a.txt': '', sub: '', 'sub/b.txt': '' }, '-A', all.slice(0, 3)],
  ])('%s', (_, dest, flags, attributes, want) => {
    expect(chattred(state(dest, flags), attributes)).toEqual(want.map((p) => (p.startsWith('/') ? p : `/d/${p}`)))
  })

  test('a file that differs is written anew (a new file): its flags are set again', () => {
    const t = state(all, { 'a.txt': 'e', sub: 'e', 'sub/b.txt': 'e' })
    t.destTree.set('a.txt', { ...item('f'), sha1: 'f'.repeat(40) })
    expect(chattred(t, 'e')).toEqual(['/d/a.txt'])
  })

  test('src without a slash: the copied folder gets them too; folders made on the way get them on the host', () => {
    const t = { ...state([], {}, '/play/conf'), rootType: undefined }
    const p = planLocalTree(t, { attributes: '+A' })
    expect(p.commands[0].argv.slice(-4)).toEqual(['', '', '+A', '/d'])
    expect(chattred(t, '+A')).toEqual(['/d', '/d/a.txt', '/d/sub', '/d/sub/b.txt'])
  })
})
