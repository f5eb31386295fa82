/**
 * The basic modules' argument schemas as the loader sees them (ajv, Ansible-style coercion, defaults):
 * Ansible spellings and aliases are accepted, mistakes are reported, defaults are filled in.
 */
import { describe, expect, test } from 'vitest'
import { resolveArgs, validateArgs } from '../../engine/load/args.js'
import type { ModuleDef } from '../../engine/module.js'
import { MODULES } from '../../modules/registry.js'

const pos = { file: 'play.yml', line: 3, col: 5 }
const load = async (name: string) => (await MODULES[name]()).default as ModuleDef

const GOOD: [string, Record<string, unknown>][] = [
  ['command', { cmd: 'ls -l', chdir: '/tmp', creates: '/x' }],
  ['command', { argv: ['ls', '-l'], stdin: 'x', stdin_add_newline: 'no' }],
  ['shell', { cmd: 'echo hi | wc -c', executable: '/bin/bash' }],
  ['copy', { content: 'x', dest: '/etc/x', mode: '0644', owner: 'root', group: 'root', backup: 'yes', force: false }],
  ['copy', { src: 'a.conf', dest: '/etc/', mode: 644, validate: 'visudo -cf %s' }],
  ['template', { src: 'a.hbs', dest: '/etc/a', mode: 'u=rw,g=r,o=r' }],
  ['file', { path: '/x', state: 'directory', recurse: true, owner: 'pi' }],
  ['file', { dest: '/x', state: 'absent' }],
  ['file', { name: '/x', src: '/y', state: 'link', force: 'yes' }],
  ['file', { path: '/x', state: 'touch', modification_time: 'now', access_time: 'preserve' }],
  ['lineinfile', { path: '/x', regexp: '^a', line: 'a=1', insertafter: 'EOF', create: true }],
  ['lineinfile', { dest: '/x', regex: '^a', state: 'absent' }],
  ['lineinfile', { destfile: '/x', value: 'a', search_string: 'a', firstmatch: true }],
  ['stat', { path: '/x', follow: true, checksum_algorithm: 'sha256', get_checksum: false }],
  ['debug', { msg: 'hi' }],
  ['debug', { var: 'x', verbosity: 2 }],
  ['set_fact', { anything: [1], cacheable: true }],
  ['assert', { that: 'x == 1', fail_msg: 'no', quiet: true }],
  ['assert', { that: ['x', 'y'], msg: 'no', success_msg: 'yes' }],
  ['fail', { msg: 'boom' }],
  ['wait_for', { port: 22, host: '10.0.0.1', timeout: 10, delay: 1, sleep: 0.5, state: 'stopped' }],
  ['wait_for', { path: '/x', search_regex: 'ok', state: 'present', msg: 'late' }],
]

const BAD: [string, Record<string, unknown>, RegExp][] = [
  ['copy', { content: 'x' }, /dest/],
  ['copy', { content: 'x', dest: '/x', mdoe: '0644' }, /mdoe/],
  // A missing path/dest/name is caught before contact; the wording comes from the loader's anyOf handling.
  ['file', { state: 'directory' }, /missing required argument "path" for module file/],
  ['file', { path: '/x', state: 'folder' }, /state/],
  ['stat', { path: '/x', checksum_algorithm: 'crc32' }, /checksum_algorithm/],
  ['lineinfile', { line: 'x' }, /missing required argument "path" for module lineinfile/],
  ['wait_for', { port: 'http' }, /port/],
  ['wait_for', { port: 70000 }, /port/],
  ['assert', { fail_msg: 'x' }, /that/],
  ['command', { cmd: 'ls', shell: true }, /shell/],
]

describe('schemas accept Ansible spellings', () => {
  test.each(GOOD)('%s %j', async (name, args) => {
    const mod = await load(name)
    expect(validateArgs(mod, args, pos).map((e) => e.format())).toEqual([])
    expect(() => resolveArgs(mod, args, pos)).not.toThrow()
  })
})

describe('schemas report mistakes with the position', () => {
  test.each(BAD)('%s %j', async (name, args, what) => {
    const errs = validateArgs(await load(name), args, pos)
    expect(errs.length).toBeGreaterThan(0)
    expect(errs.map((e) => e.format()).join('\n')).toMatch(what)
    expect(errs[0].format()).toMatch(/^play\.yml:\d+:\d+: /)
  })
})

describe('defaults are filled in', () => {
  test.each([
    ['command', { cmd: 'ls' }, { stdin_add_newline: true, strip_empty_ends: true }],
    ['copy', { content: 'x', dest: '/x' }, { force: true, backup: false }],
    ['stat', { path: '/x' }, { follow: false, get_checksum: true, checksum_algorithm: 'sha1' }],
    ['wait_for', { port: 1 }, { host: '127.0.0.1', state: 'started', timeout: 300, delay: 0, sleep: 1 }],
    ['lineinfile', { path: '/x', line: 'a' }, { state: 'present', create: false, backrefs: false, firstmatch: false }],
    ['file', { path: '/x' }, { recurse: false, force: false, follow: true }],
    ['shell', { cmd: 'x' }, { executable: '/bin/sh' }],
  ] as const)('%s', async (name, args, want) => {
    expect(resolveArgs(await load(name), { ...args }, pos)).toMatchObject(want)
  })
  test('file has no default state: the current kind of the path decides, as in Ansible', async () => {
    expect(resolveArgs(await load('file'), { path: '/x' }, pos)).not.toHaveProperty('state')
  })
})

describe('every property documented', () => {
  test.each([
    'command',
    'shell',
    'copy',
    'template',
    'file',
    'lineinfile',
    'stat',
    'debug',
    'set_fact',
    'assert',
    'fail',
    'wait_for',
  ])('%s', async (name) => {
    const mod = await load(name)
    const props = (mod.schema as unknown as { properties: Record<string, { description?: string }> }).properties
    for (const [k, p] of Object.entries(props)) expect(p.description, `${name}.${k}`).toBeTruthy()
    expect(mod.example.length).toBeGreaterThan(0)
  })
})
