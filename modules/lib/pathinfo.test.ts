/**
 * `addPathInfo` on a real `/bin/sh`: the fields it adds for a file, a folder, a symlink, a hard-linked file, a
 * dangling symlink and a missing path, against what Node's own `lstat` says about them; and `pathInfoFields`' rules
 * for names the host cannot find.
 *
 * @example
 * ```sh
 * npx vitest run modules/lib/pathinfo.test.ts
 * ```
 */
import { linkSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { localIO } from '../../test/helpers/module-ctx.js'
import { addPathInfo, pathInfoFields } from './pathinfo.js'
import type { InodeInfo } from './probe.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-pathinfo-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
writeFileSync(join(dir, 'file'), 'hello\n', { mode: 0o640 })
mkdirSync(join(dir, 'folder'), { mode: 0o750 })
symlinkSync(join(dir, 'file'), join(dir, 'link'))
symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'))
writeFileSync(join(dir, 'one'), 'x')
linkSync(join(dir, 'one'), join(dir, 'two'))

/** What Ansible's add_path_info gives for `name`, from Node's lstat. */
function expected(name: string, state: string): Record<string, unknown> {
  const st = lstatSync(join(dir, name))
  return { uid: st.uid, gid: st.gid, mode: `0${(st.mode & 0o7777).toString(8)}`, state, size: st.size }
}

describe('addPathInfo', () => {
  test.each([
    ['file', 'file', 'path'],
    ['folder', 'directory', 'path'],
    ['link', 'link', 'dest'],
    ['two', 'hard', 'dest'],
  ])('%s: state %s (named by %s)', async (name, state, key) => {
    const data: Record<string, unknown> = { [key]: join(dir, name), state: 'touch' }
    await addPathInfo(data, localIO())
    expect(data).toMatchObject(expected(name, state))
    expect(typeof data.owner).toBe('string')
    expect(typeof data.group).toBe('string')
  })

  test('the mode of a file and a folder as Ansible prints it', async () => {
    const [a, b]: Record<string, unknown>[] = [{ path: join(dir, 'file') }, { path: join(dir, 'folder') }]
    await addPathInfo(a, localIO())
    await addPathInfo(b, localIO())
    expect([a.mode, b.mode]).toEqual(['0640', '0750'])
  })

  test.each(['dangling', 'missing'])('%s: nothing added, the state kept', async (name) => {
    const data = { path: join(dir, name), state: 'absent' }
    await addPathInfo(data, localIO())
    expect(data).toEqual({ path: join(dir, name), state: 'absent' })
  })

  test('`path` wins over `dest`; a result naming neither asks the host nothing', async () => {
    const data: Record<string, unknown> = { path: join(dir, 'folder'), dest: join(dir, 'file') }
    await addPathInfo(data, localIO())
    expect(data.state).toBe('directory')
    const log: unknown[] = []
    await addPathInfo({ msg: 'x' }, localIO({ log: log as never }))
    expect(log).toEqual([])
  })
})

describe('pathInfoFields', () => {
  const node = (over: Partial<InodeInfo>): InodeInfo => ({
    ...{ type: 'regular file', mode: 0o4755, uid: 4242, gid: 4343, owner: 'UNKNOWN', group: 'UNKNOWN', size: 3 },
    ...{ mtime: 0, atime: 0, ctime: 0, inode: 1, dev: 1, nlink: 1 },
    ...over,
  })
  const info = (self: InodeInfo, target?: InodeInfo) =>
    ({ exists: true, self, target, readable: true, writeable: true, executable: false }) as const

  test('an ID with no name is given as text; setuid bits stay in the mode', () => {
    expect(pathInfoFields(info(node({})))).toEqual({
      ...{ uid: 4242, gid: 4343, owner: '4242', group: '4343', mode: '04755', state: 'file', size: 3 },
    })
  })

  test("a symlink to a folder is a link, with the link's own owner and mode", () => {
    const link = node({ type: 'symbolic link', mode: 0o777, uid: 0, owner: 'root', size: 9 })
    expect(pathInfoFields(info(link, node({ type: 'directory', uid: 1 })))).toMatchObject({
      ...{ state: 'link', mode: '0777', uid: 0, owner: 'root', size: 9 },
    })
  })

  test('a missing path gives nothing', () => {
    expect(pathInfoFields({ exists: false })).toEqual({})
  })
})
