/** Inventory loading (INI, YAML, folders, group_vars/host_vars), variable precedence, errors with positions. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { UserError, UserErrors } from '../../engine/errors.js'
import { loadInventory } from '../../engine/inventory/load.js'
import { parseIniValue } from '../../engine/inventory/ini.js'
import { expandHostRange } from '../../engine/inventory/ranges.js'
import { connectionSpec, groupNames, groupsMap, hostVars } from '../../engine/inventory/vars.js'

const root = mkdtempSync(join(tmpdir(), 'tsplay-inv-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let n = 0

/** Write `files` (path → content) into a fresh folder and return its path. */
function tree(files: Record<string, string>): string {
  const dir = join(root, `t${n++}`)
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true })
    writeFileSync(join(dir, p), content)
  }
  return dir
}

/** The formatted errors a load produces (`file:line:col: message`, file relative to the folder). */
async function loadErrors(dir: string, sources: string[]): Promise<string[]> {
  try {
    await loadInventory(sources.map((s) => join(dir, s)))
  } catch (e) {
    const list = e instanceof UserErrors ? e.errors : e instanceof UserError ? [e] : []
    if (!list.length) throw e
    return list.map((x) => x.format().replace(`${dir}/`, ''))
  }
  return []
}

describe('host ranges', () => {
  it.each<[string, string[]]>([
    ['pi[01:03]', ['pi01', 'pi02', 'pi03']],
    ['pi[8:10]', ['pi8', 'pi9', 'pi10']],
    ['node[a:c]', ['nodea', 'nodeb', 'nodec']],
    ['w[1:10:4]', ['w1', 'w5', 'w9']],
    ['r[1:2]n[a:b].lan', ['r1na.lan', 'r1nb.lan', 'r2na.lan', 'r2nb.lan']],
    ['x[:2]', ['x0', 'x1', 'x2']],
    ['plain', ['plain']],
  ])('%s', (p, want) => {
    expect(expandHostRange(p)).toEqual(want)
  })

  it.each<[string, RegExp]>([
    ['pi[10:01]', /zero-padded ranges need begin and end of equal length|after the end/],
    ['pi[10:1]', /the begin value is after the end value/],
    ['pi[a:]', /needs an end value/],
    ['pi[1:b]', /both be numbers or both be letters/],
    ['pi[01:100]', /equal length/],
    ['pi[1:5:0]', /step must be a positive/],
    ['pi[aa:bb]', /single letters/],
    ['pi[0:9999999]', /more than 100000 hosts/],
  ])('%s is refused', (p, msg) => {
    expect(() => expandHostRange(p)).toThrow(msg)
  })
})

describe('INI inventories', () => {
  const dir = tree({
    'hosts.ini': [
      '# fleet',
      'lonely ansible_host=10.0.0.9',
      '',
      '[hydra_server]',
      'pi1 ansible_host=192.168.1.10 mode=0644 jobs=4 ratio=0.5 s="a b" ok=true no=False pkgs="[1, 2]" n=None',
      '',
      '[hydra_builders]',
      'pi[02:03] ansible_user=pi  # two Pis',
      'node[a:b]:2222',
      '',
      '[hydra:children]',
      'hydra_server',
      'hydra_builders',
      '',
      '[hydra:vars]',
      'hydra_port = 3000   ; the port',
      'title = "a # not a comment"',
    ].join('\n'),
  })

  it('reads hosts, groups, inline vars with types, ranges and ports', async () => {
    const inv = await loadInventory([join(dir, 'hosts.ini')])
    expect([...inv.hosts.keys()]).toEqual(['lonely', 'pi1', 'pi02', 'pi03', 'nodea', 'nodeb'])
    expect(inv.hosts.get('pi1')!.vars).toEqual({
      ansible_host: '192.168.1.10',
      mode: '0644',
      jobs: 4,
      ratio: 0.5,
      s: 'a b',
      ok: true,
      no: false,
      pkgs: '[1, 2]',
      n: null,
    })
    expect(inv.hosts.get('nodea')!.vars).toEqual({ ansible_port: 2222 })
    expect(inv.groups.get('hydra')!.vars).toEqual({ hydra_port: 3000, title: 'a # not a comment' })
    expect(groupsMap(inv)).toEqual({
      all: ['lonely', 'pi1', 'pi02', 'pi03', 'nodea', 'nodeb'],
      ungrouped: ['lonely'],
      hydra_server: ['pi1'],
      hydra_builders: ['pi02', 'pi03', 'nodea', 'nodeb'],
      hydra: ['pi1', 'pi02', 'pi03', 'nodea', 'nodeb'],
    })
    expect(groupNames(inv, 'pi02')).toEqual(['hydra', 'hydra_builders'])
    expect(groupNames(inv, 'lonely')).toEqual(['ungrouped'])
  })

  it('keeps in ungrouped only the hosts of no other group', async () => {
    const inv = await loadInventory([join(tree({ 'h.ini': 'a\nb\n[web]\nb\n' }), 'h.ini')])
    expect(groupsMap(inv).ungrouped).toEqual(['a'])
    expect(groupNames(inv, 'b')).toEqual(['web'])
  })

  it('reads a file with no extension and no [group] line as INI hosts (Ansible tries yaml, then ini)', async () => {
    const dir = tree({
      hosts: 'a ansible_host=10.0.0.5 ansible_port=2222\n',
      one: 'solo\n',
      y: 'all:\n  hosts: { z: }\n',
    })
    const inv = await loadInventory([join(dir, 'hosts'), join(dir, 'one'), join(dir, 'y')])
    expect(groupsMap(inv).ungrouped).toEqual(['a', 'solo', 'z']) // z from the YAML file's all.hosts
    expect(hostVars(inv, 'a')).toMatchObject({ ansible_host: '10.0.0.5', ansible_port: 2222 })
    expect(Object.keys(groupsMap(inv))).not.toContain('all:')
  })

  it.each<[string, string[]]>([
    ['[web]\nw1 port\n', ['h.ini:2:4: expected key=value after the host name, found "port"']],
    ['[web:nope]\n', ['h.ini:1:1: unknown section [web:nope]: expected [group], [group:children] or [group:vars]']],
    ['[web\n', ['h.ini:1:1: malformed section header: expected [group], [group:children] or [group:vars]']],
    ['[web:vars]\nx=1\n', ['h.ini:1:1: [web:vars] is for a group that this inventory never defines']],
    ['[web]\nw[3:1]\n', ['h.ini:2:1: bad host range "[3:1]" in "w[3:1]": the begin value is after the end value']],
    ['[web]\nw[a:]\n', ['h.ini:2:1: bad host range "[a:]" in "w[a:]": the range needs an end value']],
    ['[web]\nw1:99999\n', ['h.ini:2:1: bad port "99999" in host "w1:99999": expected a number from 1 to 65535']],
    ['[a:children]\nb\n[b:children]\na\n', ['h.ini:4:1: circular child groups: a → b → a']],
    [
      '[a]\nweb\n[web]\nx\n',
      ['h.ini:2:1: "web" is both a host and a group name, so host patterns would be ambiguous: rename one'],
    ],
    ['[web]\nw1 x="unterminated\n', ['h.ini:2:6: unterminated double quote']],
    [
      '[we b]\n',
      ['h.ini:1:2: invalid group name "we b": use letters, digits, "_", "-" and "." (patterns use : , & ! * ? [ ] ~)'],
    ],
    [
      '[web]\nw1 a\n[db]\nd1 b\n',
      [
        'h.ini:2:4: expected key=value after the host name, found "a"',
        'h.ini:4:4: expected key=value after the host name, found "b"',
      ],
    ],
    ['[web:children]\nall\n', ['h.ini:2:1: "all" cannot be a child group: every group is already inside it']],
  ])('%j is refused with positions', async (text, want) => {
    expect(await loadErrors(tree({ 'h.ini': text }), ['h.ini'])).toEqual(want)
  })

  it('reports non-UTF-8 bytes with a position', async () => {
    const dir2 = tree({})
    mkdirSync(dir2, { recursive: true })
    writeFileSync(join(dir2, 'h.ini'), Buffer.from([0x5b, 0x61, 0x5d, 0x0a, 0x78, 0xff, 0x0a]))
    expect(await loadErrors(dir2, ['h.ini'])).toEqual([
      'h.ini:2:2: invalid UTF-8 byte 0xff: the file must be UTF-8 text',
    ])
  })
})

describe('YAML inventories', () => {
  const yaml = `all:
  vars:
    ansible_user: root
    level: all
  hosts:
    solo:
  children:
    hydra:
      vars: { level: hydra }
      children:
        hydra_server:
          hosts:
            pi1: { ansible_host: 192.168.1.10, level: host }
        hydra_builders:
          vars: { level: builders }
          hosts:
            pi[02:03]:
            pi9:2201:
web:
  hosts:
    w1:
`
  it('reads the Ansible shape, top-level groups, ranges and ports', async () => {
    const inv = await loadInventory([join(tree({ 'inv.yml': yaml }), 'inv.yml')])
    expect([...inv.hosts.keys()]).toEqual(['solo', 'pi1', 'pi02', 'pi03', 'pi9', 'w1'])
    expect(groupsMap(inv).hydra).toEqual(['pi1', 'pi02', 'pi03', 'pi9'])
    expect(groupsMap(inv).ungrouped).toEqual(['solo'])
    expect(hostVars(inv, 'pi1')).toEqual({ ansible_user: 'root', level: 'host', ansible_host: '192.168.1.10' })
    expect(hostVars(inv, 'pi02')).toEqual({ ansible_user: 'root', level: 'builders' })
    expect(hostVars(inv, 'pi9').ansible_port).toBe(2201)
    expect(hostVars(inv, 'w1')).toEqual({ ansible_user: 'root', level: 'all' })
  })

  it.each<[string, string[]]>([
    ['- a\n- b\n', ['i.yml:1:1: an inventory must be a map of groups (all: {hosts, children, vars}), found a list']],
    ['all:\n  host:\n    a:\n', ['i.yml:2:3: unknown key "host" in group "all" (did you mean "hosts"?)']],
    [
      'all:\n  hosts:\n    - a\n    - b\n',
      ['i.yml:3:5: hosts of group "all" must be a map (NAME: or NAME: {vars}), found a list'],
    ],
    ['all:\n  vars: [1]\n', ['i.yml:2:9: vars of group "all" must be a map, found a list']],
    ['all:\n  hosts:\n    a: 5\n', ['i.yml:3:8: vars of host "a" must be a map, found number 5']],
    ['web: 3\n', ['i.yml:1:6: group "web" must be a map with hosts, children or vars, found number 3']],
    [
      'all:\n  hosts:\n    a[9:1]:\n',
      ['i.yml:3:5: bad host range "[9:1]" in "a[9:1]": the begin value is after the end value'],
    ],
    ['a:\n  children:\n    b:\n      children:\n        a:\n', ['i.yml:5:9: circular child groups: a → b → a']],
  ])('%j is refused with positions', async (text, want) => {
    expect(await loadErrors(tree({ 'i.yml': text }), ['i.yml'])).toEqual(want)
  })

  it('refuses duplicate keys (YAML loader)', async () => {
    const errs = await loadErrors(tree({ 'i.yml': 'all:\n  hosts:\n    a:\n    a:\n' }), ['i.yml'])
    expect(errs).toHaveLength(1)
    expect(errs[0]).toMatch(/^i\.yml:[34]:\d+: YAML syntax error: Map keys must be unique/)
  })
})

describe('folders, group_vars and host_vars, precedence', () => {
  const dir = tree({
    'inventory/10-hosts.ini':
      '[hydra_server]\npi1 level=inline-host\n[hydra_builders]\npi2\n[hydra:children]\nhydra_server\n' +
      'hydra_builders\n[hydra:vars]\nlevel=inline-hydra\nfrom_inline=1\n',
    'inventory/20-more.yaml': 'all:\n  vars: { level: inline-all, base: 1 }\n  hosts: { pi3: }\n',
    'inventory/notes.txt': 'ignored',
    'inventory/group_vars/all.yml': 'level: gv-all\nall_file: 1\n',
    'inventory/group_vars/hydra/10-a.yml': 'level: gv-hydra-a\n',
    'inventory/group_vars/hydra/20-b.yaml': 'level: gv-hydra-b\nfrom_dir: 1\n',
    'inventory/group_vars/hydra_builders': 'level: gv-builders\n',
    'inventory/group_vars/unknown_group.yml': 'ignored: true\n',
    'inventory/host_vars/pi1.yml': 'host_file: 1\n',
    'inventory/host_vars/pi3.json': '{"level": "hv-pi3"}',
    'playbooks/group_vars/hydra_builders.yml': 'level: pb-builders\n',
    'playbooks/host_vars/pi1.yml': 'host_file: 2\n',
  })

  it('loads every inventory file of a folder and applies var files by precedence', async () => {
    const inv = await loadInventory([join(dir, 'inventory')], { varDirs: [join(dir, 'playbooks')] })
    expect([...inv.hosts.keys()]).toEqual(['pi1', 'pi2', 'pi3'])
    // host inline var beats every group var; host_vars beside the playbook beat those beside the inventory
    expect(hostVars(inv, 'pi1')).toMatchObject({
      level: 'inline-host',
      host_file: 2,
      from_inline: 1,
      from_dir: 1,
      base: 1,
      all_file: 1,
    })
    // child group beats parent group; playbook group_vars beat inventory group_vars and inline vars
    expect(hostVars(inv, 'pi2').level).toBe('pb-builders')
    // host_vars file beats group vars
    expect(hostVars(inv, 'pi3').level).toBe('hv-pi3')
    expect(inv.groups.has('unknown_group')).toBe(false)
  })

  it('uses group_vars beside an inventory file too', async () => {
    const inv = await loadInventory([join(dir, 'inventory/10-hosts.ini')])
    expect(hostVars(inv, 'pi2')).toMatchObject({ level: 'gv-builders', all_file: 1 })
  })

  it('orders groups by ansible_group_priority at equal depth', async () => {
    const d = tree({ 'h.ini': '[a]\nh1\n[b]\nh1\n[a:vars]\nx=a\nansible_group_priority=10\n[b:vars]\nx=b\n' })
    const inv = await loadInventory([join(d, 'h.ini')])
    expect(hostVars(inv, 'h1').x).toBe('a')
  })

  it("takes only the first of NAME, NAME.yml, NAME.yaml, NAME.json, as Ansible's host_group_vars", async () => {
    // each value as `ansible-inventory -i hosts --list` gives it for the same folder
    const d = tree({
      hosts: '[web]\nw1\n[db]\nd1\n[app]\na1\n',
      'group_vars/web': 'p: from_web\n',
      'group_vars/web.yml': 'p: from_web_yml\nq: 1\n',
      'group_vars/app.yml': 'r: yml\n',
      'group_vars/app.yaml': 'r: yaml\ns: 2\n',
      'group_vars/all/x.yml~': 't: backup\n',
      'group_vars/all/sub.d/y.yml': 'u: subd\n',
      'group_vars/all/v.yml': 'v: 1\n',
      'group_vars/all.yml': 'v: 2\nhidden_by_the_folder: 1\n',
      'group_vars/db/w.YML': 'w: dbdir\n',
      'group_vars/db/x': 'x: dbx\n',
    })
    const inv = await loadInventory([join(d, 'hosts')])
    expect(['a1', 'd1', 'w1'].map((h) => hostVars(inv, h))).toEqual([
      { r: 'yml', v: 1 },
      { v: 1, x: 'dbx' },
      { p: 'from_web', v: 1 },
    ])
  })

  it('refuses var files that are not maps, and missing sources', async () => {
    const d = tree({ 'h.ini': '[a]\nh1\n', 'group_vars/a.yml': '- 1\n- 2\n' })
    expect(await loadErrors(d, ['h.ini', 'nope.ini'])).toEqual([
      `nope.ini:1:1: inventory not found: ${d}/nope.ini`,
      'group_vars/a.yml:1:1: group_vars/a: variables must be a map of names to values, found a list',
    ])
  })
})

describe('connectionSpec', () => {
  it('uses defaults', () => {
    expect(connectionSpec('pi1', {})).toEqual({
      name: 'pi1',
      host: 'pi1',
      port: 22,
      user: userInfo().username,
      privateKeyFile: undefined,
      password: undefined,
      becomePassword: undefined,
      connectTimeout: 10,
    })
  })

  it('reads the Ansible variables, renders templates and expands ~/', () => {
    const spec = connectionSpec('pi1', {
      ansible_host: '{{ net }}.10',
      net: '192.168.1',
      ansible_port: '2222',
      ansible_user: 'pi',
      ansible_ssh_private_key_file: '~/.ssh/id_pi',
      ansible_ssh_pass: 's3cret',
      ansible_become_pass: 'b3come',
      ansible_timeout: 30,
    })
    expect(spec).toMatchObject({
      host: '192.168.1.10',
      port: 2222,
      user: 'pi',
      password: 's3cret',
      becomePassword: 'b3come',
      connectTimeout: 30,
    })
    expect(spec.privateKeyFile).toMatch(/\/\.ssh\/id_pi$/)
    expect(spec.privateKeyFile!.startsWith('~')).toBe(false)
    expect(
      connectionSpec('h', {
        ansible_password: 'a',
        ansible_ssh_pass: 'b',
        ansible_connect_timeout: 5,
        ansible_timeout: 9,
      }),
    ).toMatchObject({ password: 'a', connectTimeout: 5 })
  })

  it.each<[Record<string, unknown>, RegExp]>([
    [{ ansible_port: 'ssh' }, /ansible_port of host "h" must be a whole number from 1 to 65535, found "ssh"/],
    [{ ansible_port: 70000 }, /must be a whole number/],
    [{ ansible_host: ['a'] }, /ansible_host of host "h" must be a string/],
    [{ ansible_host: '{{ nope }}' }, /undefined variable "nope" in variable "ansible_host" of host "h"/],
  ])('refuses %j', (vars, msg) => {
    expect(() => connectionSpec('h', vars)).toThrow(msg)
  })
})

describe('a host list (-i "pi1,pi2,"), as Ansible reads it', () => {
  it('names ungrouped hosts, a port after a colon, and skips empty items', async () => {
    const inv = await loadInventory(['pi1, pi2:2222,[::1]:2200,'])
    expect([...inv.hosts.keys()]).toEqual(['pi1', 'pi2', '::1'])
    expect(groupsMap(inv).ungrouped).toEqual(['pi1', 'pi2', '::1'])
    expect(hostVars(inv, 'pi2').ansible_port).toBe(2222)
    expect(connectionSpec('pi1', hostVars(inv, 'pi1'))).toMatchObject({ host: 'pi1', port: 22 })
  })
  it('a bad port is an error naming the list', async () => {
    await expect(loadInventory(['pi1:http,'])).rejects.toThrow(/bad port "http"/)
  })
  it('a path without a comma that is not there is still "not found"', async () => {
    await expect(loadInventory([join(root, 'nope')])).rejects.toThrow(/inventory not found/)
  })
})

describe('INI values, typed as Ansible types them', () => {
  // each row: what `ansible-inventory --list` (ansible-core 2.14) gives for the unquoted host-line word `x=TEXT`,
  // but for `true`, a boolean in tsplay (README, "Differences from Ansible")
  it.each<[string, unknown]>([
    ['8080', 8080],
    ['-3', -3],
    ['0x10', 16],
    ['-0x1', -1],
    ['0o17', 15],
    ['0b11', 3],
    ['1_000', 1000],
    ['1.5e-3', 0.0015],
    ['.5', 0.5],
    ['00', 0],
    ['010', '010'],
    ['1__0', '1__0'],
    ['True', true],
    ['true', true],
    ['yes', 'yes'],
    ['None', null],
    ['none', 'none'],
    ['(1,2)', [1, 2]],
    ['[1,{"k":(2,)}]', [1, { k: [2] }]],
  ])('%s', (text, want) => {
    expect(parseIniValue(text)).toEqual(want)
  })

  it('a [group:vars] line: a quoted string with its escapes read; a trailing comment dropped', async () => {
    const dir = tree({
      'v.ini': ['h', '[all:vars]', 'a="a\\nb"', "b=r'x\\y'", 'c=0x10  # hex', 'd=(1, 2) ; pair', 'e="1"'].join('\n'),
    })
    const inv = await loadInventory([join(dir, 'v.ini')])
    expect(inv.groups.get('all')!.vars).toEqual({ a: 'a\nb', b: 'x\\y', c: 16, d: [1, 2], e: '1' })
  })
})
