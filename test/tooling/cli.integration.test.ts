/**
 * `tsplay modules`, `tsplay doc MODULE` and `tsplay schema KIND` through the real CLI (`node bin/tsplay.js`, built by
 * `npm run build`): every registry module listed, a module's arguments shown from its schema, unknown names exit 5
 * with a suggestion, and the printed schema is the committed one.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { KindGuard } from '@sinclair/typebox'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ModuleDef } from '../../engine/module.js'
import { loadAllModules, MODULES } from '../../modules/registry.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Run the CLI; returns exit code and output. */
function tsplay(...args: string[]): { rc: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'tsplay.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 60_000,
  })
  return { rc: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('tsplay modules / doc / schema', () => {
  let modules: Map<string, ModuleDef>
  beforeAll(async () => {
    modules = await loadAllModules()
  })

  it('modules lists every registry module with its summary', () => {
    const r = tsplay('modules')
    expect(r.rc, r.stderr).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines.map((l) => l.split(/\s+/)[0]).sort()).toEqual(Object.keys(MODULES).sort())
    for (const def of modules.values()) expect(lines.find((l) => l.startsWith(`${def.name} `))).toContain(def.summary)
  })

  it.each(['apt', 'ansible.builtin.apt'])('doc %s shows its arguments, changed, check mode and example', (name) => {
    const r = tsplay('doc', name)
    expect(r.rc, r.stderr).toBe(0)
    const apt = modules.get('apt')!
    if (!KindGuard.IsObject(apt.schema)) throw new Error('apt: the argument schema is not an object')
    const props = apt.schema.properties
    expect(Object.keys(props).length).toBeGreaterThan(3)
    for (const [arg, p] of Object.entries(props)) {
      expect(r.stdout).toMatch(new RegExp(`^  ${arg}\\s`, 'm'))
      expect(p.description, arg).toBeTypeOf('string')
      expect(r.stdout.replace(/\s+/g, ' ')).toContain(String(p.description).replace(/\s+/g, ' '))
    }
    expect(r.stdout).toMatch(/default "present"/)
    expect(r.stdout).toMatch(/choices: present, absent, latest/)
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(apt.changedWhen) // wrapped at the terminal's width
    expect(r.stdout).toMatch(/CHECK MODE\n {2}full/)
    expect(r.stdout).toContain(apt.example.replace(/^- /, ''))
  })

  it('doc marks secret and required arguments', () => {
    const r = tsplay('doc', 'postgres_user')
    expect(r.rc, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^ {2}password\s.*secret/m)
    expect(r.stdout).toMatch(/^ {2}name\s.*required/m)
  })

  it.each([
    ['doc', 'nope', /unknown module "nope" \(one of: add_host, apt, apt_key, apt_repository, .*, user, /],
    ['doc', 'ap', /unknown module "ap" \(did you mean "apt"\?\)/],
    ['doc', 'postgres_usr', /did you mean "postgres_user"\?/],
    ['schema', 'inventori', /unknown schema kind "inventori" \(did you mean "inventory"\?\)/],
  ])('%s %s exits 5 with a suggestion', (cmd, arg, msg) => {
    const r = tsplay(cmd, arg)
    expect(r.rc).toBe(5)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(msg)
  })

  it.each(['playbook', 'inventory', 'tasks', 'vars', 'config'])('schema %s prints the committed schema', (kind) => {
    const r = tsplay('schema', kind)
    expect(r.rc, r.stderr).toBe(0)
    expect(r.stdout).toBe(readFileSync(join(ROOT, 'schemas', `${kind}.json`), 'utf8'))
  })

  it('schema with no kind prints the playbook schema', () => {
    expect(tsplay('schema').stdout).toBe(readFileSync(join(ROOT, 'schemas', 'playbook.json'), 'utf8'))
  })
})
