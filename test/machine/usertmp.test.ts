/**
 * A test user's tsplay session folders in /tmp (test/helpers/usertmp.ts), in a private folder standing in for /tmp,
 * as any user (as root the folders are handed to a uid of no account): the folders tsplay's become makes, owned by
 * the given uid, are removed with what they hold; other names, other owners and root's are left alone.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, lchownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { askpassSetup } from '../../engine/ssh/become.js'
import { removeSessionDirs } from '../helpers/usertmp.js'

const root = process.getuid?.() === 0
/** The owner of the test's folders: this user, or as root a uid no account has. */
const uid = root ? 3_999_999 : (process.getuid?.() ?? 1000)
const own = (path: string): void => {
  if (root) lchownSync(path, uid, uid)
}

describe("a test user's session folders", () => {
  const tmp = mkdtempSync(join(tmpdir(), 'tsplay-usertmp-'))
  const keep = mkdtempSync(join(tmpdir(), 'tsplay-usertmp-keep-'))
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true })
    rmSync(keep, { recursive: true, force: true })
  })

  it("are the folders become.ts makes, removed with what they hold when they are the user's", () => {
    const setup = askpassSetup('pw').argv[2]
    const script = setup.replace(' /tmp/tsplay ', ` ${tmp}/tsplay `)
    expect(script).not.toBe(setup)
    const session = execFileSync('sh', ['-c', script], { input: 'pw\n', encoding: 'utf8', env: { HOME: keep } })
    expect(dirname(session)).toBe(tmp)
    own(join(session, 'pw'))
    own(session)
    expect(removeSessionDirs(uid + 1, tmp)).toEqual([]) // another user's: nothing of it here
    expect(existsSync(session)).toBe(true)
    expect(removeSessionDirs(uid, tmp)).toEqual([session])
    expect(existsSync(session)).toBe(false)
  })

  it('leave other names, links only unlinked, and never root', () => {
    writeFileSync(join(keep, 'f'), 'x')
    const link = join(tmp, 'tsplay.LinkToKeep')
    symlinkSync(keep, link)
    own(link)
    const others = ['tsplay-run-0000000a', 'tsplay.short', 'tsplay.Ab3dE6gH9kX', 'other']
    for (const o of others) {
      mkdirSync(join(tmp, o))
      own(join(tmp, o))
    }
    const rootOwn = join(tmp, 'tsplay.RootsOwn00')
    mkdirSync(rootOwn)
    expect(removeSessionDirs(0, tmp)).toEqual([])
    expect(existsSync(rootOwn)).toBe(true)
    rmSync(rootOwn, { recursive: true })
    expect(removeSessionDirs(uid, tmp)).toEqual([link])
    expect(existsSync(join(keep, 'f'))).toBe(true)
    for (const o of others) expect(existsSync(join(tmp, o))).toBe(true)
  })
})
