/**
 * The `config` lookup: Ansible 2.14's defaults, environment variables over ansible.cfg over defaults (the last
 * name set wins), the types settings are read as, the task's variables first for plugin settings, `on_missing`,
 * and the refusals (a setting Ansible has that tsplay does not give, an unknown plugin). The values Ansible gives
 * with no environment and no ansible.cfg are checked against ansible-core in test/expr/ansible-cases.json.
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { evalExpr } from '../../engine/expr.js'
import { lookupWarnings } from '../../engine/expr/lookups.js'
import '../../engine/run/lookups-controller.js'

const dir = mkdtempSync(join(tmpdir(), 'lookup-config-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The environment variables a test sets, restored after it. */
const ENV = [
  'ANSIBLE_CONFIG',
  'ANSIBLE_FORKS',
  'ANSIBLE_ROLES_PATH',
  'ANSIBLE_BECOME_USER',
  'ANSIBLE_KEEP_REMOTE_FILES',
  'ANSIBLE_LOCAL_TEMP',
  'ANSIBLE_HOME',
  'ANSIBLE_COW_WHITELIST',
  'ANSIBLE_COW_ACCEPTLIST',
  'ANSIBLE_REMOTE_TEMP',
  'ANSIBLE_REMOTE_TMP',
  'ANSIBLE_HASH_BEHAVIOUR',
  'ANSIBLE_TIMEOUT',
  'ANSIBLE_REMOTE_USER',
  'ANSIBLE_REMOTE_PORT',
  'ANSIBLE_BECOME_EXE',
  'ANSIBLE_BECOME_FLAGS',
  'ANSIBLE_SU_EXE',
  'ANSIBLE_SU_FLAGS',
  'ANSIBLE_COLOR_OK',
  'ANSIBLE_COLOR_WARN',
]
let saved: Record<string, string | undefined> = {}
beforeEach(() => {
  saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]))
  for (const k of ENV) delete process.env[k]
  process.env.ANSIBLE_CONFIG = join(dir, 'none.cfg') // no ansible.cfg of the machine's
})
afterEach(() => {
  for (const k of ENV)
    if (saved[k] === undefined) delete process.env[k]
    else process.env[k] = saved[k]
})

const q = (expr: string, vars: Record<string, unknown> = {}) => evalExpr(expr, vars)

describe('the config lookup', () => {
  it("gives Ansible's defaults", () => {
    expect(q("lookup('config', 'DEFAULT_FORKS')")).toBe(5)
    expect(q("lookup('config', 'DEFAULT_BECOME_USER')")).toBe('root')
    expect(q("lookup('config', 'DEFAULT_KEEP_REMOTE_FILES')")).toBe(false)
    expect(q("lookup('config', 'DEFAULT_BECOME_EXE')")).toBe(null)
    expect(q("lookup('config', 'DEFAULT_ROLES_PATH')")).toEqual([
      join(homedir(), '.ansible/roles'),
      '/usr/share/ansible/roles',
      '/etc/ansible/roles',
    ])
    expect(q("q('config', 'COLOR_OK', 'COLOR_WARN')")).toEqual(['green', 'bright purple'])
    expect(q("lookup('config', 'ANSIBLE_COW_ACCEPTLIST')")).toContain('meow')
  })

  it('environment over ansible.cfg over the default; relative paths against the file; types read', () => {
    const cfg = join(dir, 'ansible.cfg')
    writeFileSync(
      cfg,
      '[defaults]\nforks = 12\nroles_path = roles:~/r\nkeep_remote_files = yes\ntimeout = soon\n' +
        '[privilege_escalation]\nbecome_user = admin\n',
    )
    process.env.ANSIBLE_CONFIG = cfg
    expect(q("lookup('config', 'DEFAULT_FORKS')")).toBe(12)
    expect(q("lookup('config', 'DEFAULT_ROLES_PATH')")).toEqual([join(dir, 'roles'), join(homedir(), 'r')])
    expect(q("lookup('config', 'DEFAULT_KEEP_REMOTE_FILES')")).toBe(true)
    expect(q("lookup('config', 'DEFAULT_BECOME_USER')")).toBe('admin')
    expect(() => q("lookup('config', 'DEFAULT_TIMEOUT')")).toThrow(/Invalid type for configuration option/)
    process.env.ANSIBLE_FORKS = '3'
    process.env.ANSIBLE_ROLES_PATH = '/a:/b'
    process.env.ANSIBLE_BECOME_USER = 'ops'
    process.env.ANSIBLE_TIMEOUT = '' // an empty variable of a number setting: the default, as Ansible
    expect(q("q('config', 'DEFAULT_FORKS', 'DEFAULT_ROLES_PATH', 'DEFAULT_BECOME_USER', 'DEFAULT_TIMEOUT')")).toEqual([
      3,
      ['/a', '/b'],
      'ops',
      10,
    ])
    // of two names, the one Ansible lists last wins; lists are split on commas
    process.env.ANSIBLE_COW_WHITELIST = 'a'
    process.env.ANSIBLE_COW_ACCEPTLIST = "b, 'c'"
    expect(q("lookup('config', 'ANSIBLE_COW_ACCEPTLIST')")).toEqual(['b', 'c'])
    process.env.ANSIBLE_HASH_BEHAVIOUR = 'deep'
    expect(() => q("lookup('config', 'DEFAULT_HASH_BEHAVIOUR')")).toThrow(/valid values are: replace, merge/)
  })

  it('DEFAULT_LOCAL_TMP is a new ansible-local folder inside the configured one, the same for the run', () => {
    process.env.ANSIBLE_LOCAL_TEMP = join(dir, 'tmp')
    const t = q("lookup('config', 'DEFAULT_LOCAL_TMP')") as string
    expect(t.startsWith(join(dir, 'tmp', `ansible-local-${process.pid}`))).toBe(true)
    expect(statSync(t).isDirectory()).toBe(true)
    expect(statSync(join(dir, 'tmp')).mode & 0o777).toBe(0o700)
    expect(q("lookup('config', 'DEFAULT_LOCAL_TMP')")).toBe(t)
    expect(existsSync(t)).toBe(true)
  })

  it('plugin settings: the task variables first (the last name set wins), then the environment, then defaults', () => {
    const ssh = "q('config', 'remote_user', 'port', plugin_type='connection', plugin_name='ssh')"
    expect(q(ssh, { ansible_user: 'a', ansible_ssh_user: 'lola', ansible_ssh_port: 2022 })).toEqual(['lola', 2022])
    expect(q(ssh, { ansible_port: '2200' })).toEqual([null, 2200])
    const tmp = "q('config', 'remote_tmp', plugin_type='shell', plugin_name='ansible.builtin.sh')"
    expect(q(tmp)).toEqual(['~/.ansible/tmp'])
    process.env.ANSIBLE_REMOTE_TEMP = '/env'
    expect(q(tmp)).toEqual(['/env'])
    expect(q(tmp, { ansible_remote_tmp: 'yolo' })).toEqual(['yolo'])
    const su =
      "q('config', 'become_exe', 'become_flags', 'nope', plugin_type='become', plugin_name='su', on_missing='skip')"
    expect(q(su, { ansible_su_exe: '/bin/su' })).toEqual(['/bin/su', ''])
  })

  it('on_missing: error (the default), warn, skip; bad arguments refused as Ansible refuses them', () => {
    expect(() => q("lookup('config', 'NOPE')")).toThrow(/^Unable to find setting NOPE/)
    expect(q("q('config', 'NOPE', 'COLOR_OK', on_missing='skip')")).toEqual(['green'])
    const warned: string[] = []
    const sink = lookupWarnings.sink
    lookupWarnings.sink = (m) => warned.push(m)
    try {
      expect(q("q('config', 'NOPE', on_missing='warn')")).toEqual([])
    } finally {
      lookupWarnings.sink = sink
    }
    expect(warned).toEqual(['Skipping, did not find setting NOPE'])
    expect(() => q("lookup('config', 'NOPE', on_missing='boo')")).toThrow(/valid values are: error, skip, warn/)
    expect(() => q("lookup('config', 1337)")).toThrow(/Invalid setting identifier/)
    expect(() => q("lookup('config', 'ConfigManager')")).toThrow(/Invalid setting "ConfigManager"/)
    expect(() => q("lookup('config', 'remote_tmp', plugin_type='shell')")).toThrow(/Both plugin_type and plugin_name/)
    expect(() => q("lookup('config', 'x', plugin_type='nope', plugin_name='x')")).toThrow(/valid values are: become/)
  })

  it("refuses what tsplay cannot give, whatever on_missing says: Ansible's other settings and plugins", () => {
    expect(() => q("lookup('config', 'DEFAULT_JINJA2_EXTENSIONS', on_missing='skip')")).toThrow(
      /cannot give Ansible's setting DEFAULT_JINJA2_EXTENSIONS/,
    )
    expect(() => q("lookup('config', 'x', plugin_type='connection', plugin_name='paramiko_ssh')")).toThrow(
      /cannot read the settings of connection plugin "paramiko_ssh"/,
    )
  })
})
