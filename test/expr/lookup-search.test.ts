/**
 * Lookups that need the task's variables and search path (`file`, `template`, `fileglob`, `first_found`, `vars`),
 * data lookups (`dict`, `indexed_items`, `together`, `nested`, `subelements`, `sequence`), FQCN names and the
 * `wantlist`/`errors`/`default` keywords, on a role laid out as Ansible expects it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { evalExpr } from '../../engine/expr.js'
import { searchCandidates } from '../../engine/expr/lookup-paths.js'
import { lookupWarnings } from '../../engine/expr/lookups.js'
import { loopItems, loopTerms } from '../../engine/run/loop.js'
import { searchVars } from '../../engine/run/searchpath.js'
import { renderString, renderValue } from '../../engine/template.js'

const pb = mkdtempSync(join(tmpdir(), 'lk-search-'))
afterAll(() => rmSync(pb, { recursive: true, force: true }))
const put = (rel: string, text: string) => {
  mkdirSync(dirname(join(pb, rel)), { recursive: true })
  writeFileSync(join(pb, rel), text)
}
put('roles/web/tasks/main.yml', '- debug: {}\n')
put('roles/web/files/motd', 'role motd\n\n')
put('roles/web/files/conf.d/a.conf', '')
put('roles/web/files/conf.d/b.conf', '')
put('roles/web/templates/site.j2', '{{ greeting }} {{ who }} from {{ template_path }}\n')
put('roles/web/templates/odd.j2', '[% greeting %] {{ kept }} <# gone #>{# kept #}\n')
put('roles/web/vars/Debian.yml', 'x: 1\n')
put('roles/web/vars/default.yml', 'x: 0\n')
put('files/only-in-playbook', 'pb\n')

const roleTask = {
  role: 'web',
  roleDir: join(pb, 'roles/web'),
  pos: { file: join(pb, 'roles/web/tasks/main.yml'), line: 1, col: 1 },
}
const vars: Record<string, unknown> = {
  ...searchVars(roleTask, pb),
  playbook_dir: pb,
  greeting: 'hello',
  inventory_hostname: 'h1',
}

describe('lookup search path', () => {
  it('is the role folder, the task file folder and the playbook folder, as ansible_search_path', () => {
    expect(vars.ansible_search_path).toEqual([join(pb, 'roles/web'), join(pb, 'roles/web/tasks'), pb])
    expect(vars.role_path).toBe(join(pb, 'roles/web'))
    const playTask = { pos: { file: join(pb, 'site.yml'), line: 1, col: 1 } }
    expect(searchVars(playTask, pb)).toEqual({ ansible_search_path: [pb] })
  })
  it('looks in each folder’s files/ then the folder, and not files/files/', () => {
    const lp = { paths: [join(pb, 'roles/web')], basedir: pb }
    expect(searchCandidates(lp, 'files', 'motd')).toEqual([
      join(pb, 'roles/web/files/motd'),
      join(pb, 'roles/web/motd'),
      join(pb, 'files/motd'),
      join(pb, 'motd'),
    ])
    expect(searchCandidates(lp, 'files', 'files/motd')).toEqual([
      join(pb, 'roles/web/files/motd'),
      join(pb, 'files/motd'),
    ])
    expect(searchCandidates(lp, 'files', '/etc/x')).toEqual(['/etc/x'])
  })
  it('file finds a role file (trailing whitespace stripped) and falls back to the playbook folder', () => {
    expect(evalExpr("lookup('file', 'motd')", vars)).toBe('role motd')
    expect(evalExpr("lookup('ansible.builtin.file', 'motd', rstrip=false)", vars)).toBe('role motd\n\n')
    expect(evalExpr("lookup('file', 'only-in-playbook')", vars)).toBe('pb')
    expect(() => evalExpr("lookup('file', 'nope')", vars)).toThrow(/could not locate file in lookup: nope/)
  })
  it('gives data, never templates: a file holding {{ }} stays as it is', () => {
    put('files/braces', 'a {{ y }}\n')
    expect(renderValue({ c: "{{ lookup('file', 'braces') }}" }, vars)).toEqual({ c: 'a {{ y }}' })
    expect(renderValue({ c: "{{ query('file', 'braces') }}" }, vars)).toEqual({ c: ['a {{ y }}'] })
    expect(renderString("{{ query('file', 'braces') | first }}", vars)).toBe('a {{ y }}')
  })
  it('fileglob searches the role’s files/ for a pattern with a folder', () => {
    expect(evalExpr("query('fileglob', 'conf.d/*.conf')", vars)).toEqual([
      join(pb, 'roles/web/files/conf.d/a.conf'),
      join(pb, 'roles/web/files/conf.d/b.conf'),
    ])
    expect(evalExpr("lookup('fileglob', 'conf.d/*.none')", vars)).toEqual([])
  })
  it('template renders a role template with the variables and template_vars', () => {
    expect(evalExpr("lookup('template', 'site.j2', template_vars={'who': 'ops'})", vars)).toBe(
      'hello ops from site.j2\n',
    )
    expect(renderString("{{ lookup('template', 'site.j2', template_vars=dict(who='x')) | trim }}", vars)).toBe(
      'hello x from site.j2',
    )
  })
  it("template takes the lookup's variable and comment delimiters, as Ansible's", () => {
    const kw =
      "variable_start_string='[%', variable_end_string='%]', comment_start_string='<#', comment_end_string='#>'"
    expect(evalExpr(`lookup('template', 'odd.j2', ${kw})`, vars)).toBe('hello {{ kept }} {# kept #}\n')
  })
  it('first_found picks the first file that exists (paths relative to the role), or skips', () => {
    const ff = "lookup('first_found', {'files': [os ~ '.yml', 'default.yml'], 'paths': ['vars']})"
    expect(evalExpr(ff, { ...vars, os: 'Debian' })).toBe(join(pb, 'roles/web/vars/Debian.yml'))
    expect(evalExpr(ff, { ...vars, os: 'Alpine' })).toBe(join(pb, 'roles/web/vars/default.yml'))
    expect(evalExpr("query('first_found', ['nope.yml'], skip=true)", vars)).toEqual([])
    expect(() => evalExpr("lookup('first_found', ['nope.yml'])", vars)).toThrow(/No file was found/)
    const items = loopItems('first_found', ['Alpine.yml', 'Debian.yml'], {
      paths: { paths: vars.ansible_search_path as string[], basedir: pb },
      subdir: 'vars',
    })
    expect(items).toEqual([join(pb, 'roles/web/vars/Debian.yml')])
  })
  it('with_first_found leaves out names that cannot be rendered yet; other loops do not', () => {
    const task = { loop: ['{{ nope }}.yml', '{{ os }}.yml'], loopWith: 'first_found' as const }
    expect(loopTerms(task, (v) => renderValue(v, { os: 'Debian' }))).toEqual(['Debian.yml'])
    expect(() => loopTerms({ ...task, loopWith: 'items' }, (v) => renderValue(v, { os: 'D' }))).toThrow(/nope/)
  })
})

describe('lookups over data', () => {
  it('vars gives a variable (rendered) or its default', () => {
    expect(evalExpr("lookup('vars', 'greeting')", vars)).toBe('hello')
    expect(evalExpr("lookup('vars', 'g' ~ 'reeting')", { ...vars, ref: '{{ greeting }}' })).toBe('hello')
    expect(evalExpr("lookup('vars', 'ref')", { ...vars, ref: '{{ greeting }}!' })).toBe('hello!')
    expect(evalExpr("lookup('vars', 'missing', default='d')", vars)).toBe('d')
    expect(() => evalExpr("lookup('vars', 'missing')", vars)).toThrow(/No variable found with this name: missing/)
  })
  it('dict, indexed_items, together, nested, subelements, sequence', () => {
    expect(evalExpr("query('dict', {'a': 1})", {})).toEqual([{ key: 'a', value: 1 }])
    expect(evalExpr("query('indexed_items', ['a', 'b'])", {})).toEqual([
      [0, 'a'],
      [1, 'b'],
    ])
    expect(evalExpr("query('together', [1, 2], ['a'])", {})).toEqual([
      [1, 'a'],
      [2, null],
    ])
    expect(evalExpr("query('nested', [1, 2], ['a', 'b'])", {})).toEqual([
      [1, 'a'],
      [1, 'b'],
      [2, 'a'],
      [2, 'b'],
    ])
    const users = [{ name: 'u', keys: ['k1', 'k2'] }, { name: 'v' }]
    // as Ansible's lookup, each element comes without the list it was paired from (the variable keeps it)
    expect(evalExpr("query('subelements', users, 'keys', {'skip_missing': true})", { users })).toEqual([
      [{ name: 'u' }, 'k1'],
      [{ name: 'u' }, 'k2'],
    ])
    expect(users[0].keys).toEqual(['k1', 'k2'])
    expect(() => evalExpr("query('subelements', 9001, 'groups')", {})).toThrow(
      "subelements lookup expects a dictionary, got '9001'",
    )
    expect(() => evalExpr("query('subelements', users, 'name.x')", { users })).toThrow(
      "the key name should point to a dictionary, got 'u'",
    )
    expect(() => evalExpr("query('subelements', users, 'name')", { users })).toThrow(
      "the key name should point to a list, got 'u'",
    )
    expect(() => evalExpr("query('subelements', users, 'keys', 'wolves')", { users })).toThrow(
      'the optional third item must be a dict',
    )
    expect(() => evalExpr("query('subelements', users, true)", { users })).toThrow('second a string')
    // `skip_missing: yes` as YAML 1.1 (and Ansible's boolean reading) means true
    expect(evalExpr("query('subelements', users, 'keys', {'skip_missing': 'yes'})", { users })).toHaveLength(2)
    expect(evalExpr("query('sequence', 'start=1 end=3 format=n%02d')", {})).toEqual(['n01', 'n02', 'n03'])
    expect(evalExpr("lookup('sequence', 'count=2')", {})).toBe('1,2')
  })
  it('lookup joins strings, keeps one value, wantlist gives the list; errors=ignore gives none', () => {
    expect(evalExpr("lookup('items', ['a', 'b'])", {})).toBe('a,b')
    expect(evalExpr("lookup('items', [1])", {})).toBe(1)
    expect(evalExpr("lookup('items', [1, 2])", {})).toEqual([1, 2])
    expect(evalExpr("lookup('items', ['a'], wantlist=true)", {})).toEqual(['a'])
    expect(evalExpr("lookup('file', 'nope', errors='ignore')", vars)).toBeNull()
    const warned: string[] = []
    lookupWarnings.sink = (m) => warned.push(m)
    expect(evalExpr("query('file', 'nope', errors='warn')", vars)).toEqual([])
    lookupWarnings.sink = () => undefined
    expect(warned).toEqual(['Lookup failed but the error is being ignored: could not locate file in lookup: nope'])
    expect(() => evalExpr("lookup('nosuchlookup', 'x')", {})).toThrow(/lookup plugin \(nosuchlookup\) not found/)
  })
})
