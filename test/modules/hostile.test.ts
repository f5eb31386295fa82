/**
 * Every module argument that reaches a command, set to a hostile value, must stay data. Each module is
 * called as the runner calls it (`runModule`: gather → plan → apply) on this machine via the real quoting path
 * (`renderCommand` → `/bin/sh`); the task may fail, but the marker file must never appear.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { UserError } from '../../engine/errors.js'
import { ModuleFailure } from '../../engine/module.js'
import { MODULES } from '../../modules/registry.js'
import { localIO, runLocal, runWith, testCtx } from '../helpers/module-ctx.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-hostile-'))
// Hostile values used as relative paths are created as (inert) files and folders: keep them out of the checkout.
const cwd = process.cwd()
beforeAll(() => process.chdir(dir))
afterAll(() => {
  process.chdir(cwd)
  rmSync(dir, { recursive: true, force: true })
})
const marker = join(dir, 'pwned')
const HOSTILE = [
  `'; touch ${marker} #`,
  `$(touch ${marker})`,
  `\`touch ${marker}\``,
  `"; touch ${marker}; "`,
  `x\ntouch ${marker}`,
  `-- ; touch ${marker}`,
]
writeFileSync(join(dir, 'f'), 'a\n')
writeFileSync(join(dir, 'src.txt'), 'src\n')
mkdirSync(join(dir, 'out'))
execFileSync('tar', ['-czf', join(dir, 'a.tgz'), '-C', dir, 'f'])

/** Module → valid base arguments and the string arguments that reach commands. */
const CASES: Record<string, { base: Record<string, unknown>; poison: string[] }> = {
  command: {
    base: { argv: ['true'], chdir: dir, creates: join(dir, 'nope'), removes: join(dir, 'f'), stdin: 'x' },
    poison: ['chdir', 'creates', 'removes', 'stdin'],
  },
  shell: {
    base: { cmd: 'true', chdir: dir, creates: join(dir, 'nope'), stdin: 'x' },
    poison: ['chdir', 'creates', 'removes', 'stdin', 'executable'],
  },
  copy: {
    base: { content: 'x\n', dest: join(dir, 'c') },
    poison: ['content', 'dest', 'owner', 'group', 'mode', 'validate'],
  },
  template: {
    base: { src: join(dir, 'src.txt'), dest: join(dir, 't') },
    poison: ['dest', 'owner', 'group', 'mode', 'validate'],
  },
  file: {
    base: { path: join(dir, 'd'), state: 'directory' },
    poison: ['path', 'src', 'owner', 'group', 'mode', 'modification_time_format', 'access_time'],
  },
  lineinfile: {
    base: { path: join(dir, 'f'), line: 'b', create: true },
    poison: ['path', 'line', 'regexp', 'insertafter', 'owner', 'group', 'mode', 'validate'],
  },
  stat: { base: { path: join(dir, 'f') }, poison: ['path'] },
  wait_for: { base: { path: join(dir, 'f'), timeout: 0 }, poison: ['host', 'path', 'search_regex', 'msg'] },
  blockinfile: {
    base: { path: join(dir, 'b'), block: 'x', create: true },
    poison: ['path', 'block', 'marker', 'insertafter', 'owner', 'group', 'mode', 'validate'],
  },
  replace: {
    base: { path: join(dir, 'f'), regexp: 'a', replace: 'b' },
    poison: ['path', 'regexp', 'replace', 'after', 'owner', 'group', 'mode', 'validate'],
  },
  find: { base: { paths: dir }, poison: ['paths', 'patterns', 'contains', 'age'] },
  tempfile: { base: { path: dir }, poison: ['path', 'prefix', 'suffix'] },
  cron: {
    base: { name: 'j', job: 'x', cron_file: join(dir, 'cronf'), user: 'root' },
    poison: ['name', 'job', 'cron_file', 'user', 'minute'],
  },
  known_hosts: { base: { name: 'h', path: join(dir, 'kh'), state: 'absent' }, poison: ['name', 'path'] },
  authorized_key: {
    base: { user: 'root', key: 'ssh-ed25519 AAAA c', path: join(dir, 'ak') },
    poison: ['user', 'path', 'comment', 'key_options'],
  },
  uri: {
    base: { url: 'http://127.0.0.1:9/x', dest: join(dir, 'u'), timeout: 2, body: 'b', url_username: 'u' },
    poison: ['url', 'dest', 'creates', 'removes', 'method', 'body', 'url_username', 'url_password', 'owner'],
  },
  unarchive: {
    base: { src: join(dir, 'a.tgz'), dest: join(dir, 'out'), remote_src: true, list_files: true },
    poison: ['src', 'dest', 'creates', 'mode', 'owner', 'group'],
  },
}

describe.each(Object.entries(CASES))('%s', (name, { base, poison }) => {
  test.each(poison.flatMap((arg) => HOSTILE.map((value) => [arg, value] as const)))('%s = %j', async (arg, value) => {
    const mod = (await MODULES[name]()).default
    const args = { ...base, [arg]: value }
    if (name === 'file' && arg === 'src') args.state = 'link'
    if (name === 'wait_for' && arg === 'host') {
      delete args.path
      args.port = 9
    }
    try {
      await runWith(mod, args, testCtx({ searchPaths: [dir] }), localIO())
    } catch (e) {
      if (!(e instanceof ModuleFailure || e instanceof UserError)) throw e
    }
    expect(existsSync(marker)).toBe(false)
  })
})

describe('control', () => {
  test('the marker does detect injection: concatenating a value into shell text runs it', () => {
    runLocal({ argv: ['sh', '-c', `echo ${HOSTILE[1]}`] })
    expect(existsSync(marker)).toBe(true)
    rmSync(marker)
  })
})
