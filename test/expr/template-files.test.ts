/**
 * `.j2` template files render byte for byte as Ansible's template module renders them. The fixtures in
 * test/fixtures/jinja/ hold each template and `<name>.ansible`, the file ansible-playbook 2.14 wrote from it
 * (whitespace control, trim_blocks, a `#jinja2:` header, CRLF input, filters). When ansible-playbook is
 * installed, it renders them again so the recorded files stay true.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { UserError } from '../../engine/errors.js'
import { renderTemplateFile } from '../../engine/template.js'

const dir = join(import.meta.dirname, '..', 'fixtures', 'jinja')
const vars = parse(readFileSync(join(dir, 'vars.yml'), 'utf8')) as Record<string, unknown>
const files = ['nginx.conf.j2', 'data.j2', 'ws.j2', 'crlf.j2']

function hasAnsible(): boolean {
  try {
    execFileSync('ansible-playbook', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

describe('template files', () => {
  it.each(files)('%s renders as Ansible rendered it', (name) => {
    const file = join(dir, name)
    expect(renderTemplateFile(readFileSync(file, 'utf8'), file, vars)).toBe(readFileSync(`${file}.ansible`, 'utf8'))
  })

  it('a .hbs file iterates over a host variable with {{#each}} (regression: nix.conf.hbs)', () => {
    const text = '{{#each opts}}{{@key}} = {{this}}\n{{/each}}host={{ template_host }}\n'
    const out = renderTemplateFile(text, 'nix.conf.hbs', { opts: { 'filter-syscalls': false, cores: 2 } })
    expect(out).toMatch(/^filter-syscalls = false\ncores = 2\nhost=\S+\n$/)
  })

  it('sets template_uid and template_host to the controller user and host, on every render', () => {
    const want = `${userInfo().username}@${hostname()}`
    for (let i = 0; i < 2; i++)
      expect(renderTemplateFile('{{ template_uid }}@{{ template_host }}', 'x.j2', {})).toBe(want)
  })

  it("sets template_mtime to the file's time and template_run_date to the render's, as Python prints them", () => {
    const tmp = mkdtempSync(join(tmpdir(), 'tsplay-tvars-'))
    try {
      const file = join(tmp, 't.j2')
      writeFileSync(file, 'x')
      utimesSync(file, new Date(2021, 2, 4, 5, 6, 7, 89), new Date(2021, 2, 4, 5, 6, 7, 89))
      const before = Date.now()
      const [mtime, run] = renderTemplateFile('{{ template_mtime }}|{{ template_run_date }}', file, {}).split('|')
      expect(mtime).toBe('2021-03-04 05:06:07.089000')
      const ran = new Date(run.replace(' ', 'T').slice(0, 23)).getTime()
      expect(ran).toBeGreaterThanOrEqual(before - 1)
      expect(ran).toBeLessThanOrEqual(Date.now())
      const hbs = join(tmp, 't.hbs')
      writeFileSync(hbs, 'x')
      utimesSync(hbs, new Date(2021, 2, 4, 5, 6, 7), new Date(2021, 2, 4, 5, 6, 7))
      expect(renderTemplateFile('{{ template_mtime }}', hbs, {})).toBe('2021-03-04 05:06:07.000000')
    } finally {
      rmSync(tmp, { recursive: true, force: true })
    }
  })

  it('reports an error at its line and column in the file', () => {
    const file = join(dir, 'broken.j2')
    const text = 'line one\n{% for x in xs %}\n  {{ x.name }}\n{% endfor %}\n'
    const err = (() => {
      try {
        renderTemplateFile(text, file, { xs: [{ name: 'a' }, {}] })
      } catch (e) {
        return e as UserError
      }
    })()
    expect(err).toBeInstanceOf(UserError)
    expect(err?.message).toMatch(/undefined variable "x\.name".*broken\.j2/)
    expect(err?.pos).toMatchObject({ file, line: 3, col: 3 })
    const syntax = (() => {
      try {
        renderTemplateFile('ok\n{% if x %}\nno end\n', file, { x: 1 })
      } catch (e) {
        return e as UserError
      }
    })()
    expect(syntax?.message).toMatch(/never closed/)
    expect(syntax?.pos).toMatchObject({ file, line: 2 })
  })

  it.skipIf(!hasAnsible())(
    'the recorded files are what ansible-playbook writes',
    () => {
      const out = mkdtempSync(join(tmpdir(), 'tsplay-j2-'))
      try {
        const play = [
          {
            hosts: 'localhost',
            gather_facts: false,
            vars_files: [join(dir, 'vars.yml')],
            tasks: files.map((f) => ({ template: { src: join(dir, f), dest: join(out, f) } })),
          },
        ]
        writeFileSync(join(out, 'play.yml'), JSON.stringify(play))
        execFileSync('ansible-playbook', ['-i', 'localhost,', '-c', 'local', join(out, 'play.yml')], {
          stdio: 'ignore',
          // Ansible's temp folders in the test's own folder: a user without a writable home can run it too
          env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCAL_TEMP: out, ANSIBLE_REMOTE_TEMP: out },
        })
        for (const f of files)
          expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(dir, `${f}.ansible`), 'utf8'))
      } finally {
        rmSync(out, { recursive: true, force: true })
      }
    },
    120_000,
  )
})
