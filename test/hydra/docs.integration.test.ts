/**
 * Static checks of the Hydra playbook's files (no host needed): every role default is listed in the example
 * inventory's group_vars and in docs/hydra-pi.md, every template a task names exists, the editor-schema line heads
 * the playbook and the inventory, and `tsplay validate` accepts the shipped playbook with the shipped inventory for
 * every install method.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { ROOT, tsplay } from './cli.js'

const ROLES = join(ROOT, 'playbooks', 'roles')
const roles = readdirSync(ROLES)

/** Top-level keys of a role's defaults/main.yml. */
function defaults(role: string): string[] {
  const file = join(ROLES, role, 'defaults', 'main.yml')
  return existsSync(file) ? Object.keys((parse(readFileSync(file, 'utf8')) ?? {}) as object) : []
}

/** Every task (recursively through blocks) of every YAML file in a role's tasks/ and handlers/. */
function tasksOf(role: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  const walk = (list: unknown) => {
    if (!Array.isArray(list)) return
    for (const t of list as Record<string, unknown>[]) {
      out.push(t)
      for (const k of ['block', 'rescue', 'always']) walk(t[k])
    }
  }
  for (const sub of ['tasks', 'handlers']) {
    const dir = join(ROLES, role, sub)
    if (!existsSync(dir)) continue
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.yml'))) walk(parse(readFileSync(join(dir, f), 'utf8')))
  }
  return out
}

describe('hydra-pi files', () => {
  const groupVars = readdirSync(join(ROOT, 'inventory', 'group_vars'))
    .map((f) => readFileSync(join(ROOT, 'inventory', 'group_vars', f), 'utf8'))
    .join('\n')
  const doc = readFileSync(join(ROOT, 'docs', 'hydra-pi.md'), 'utf8')
  const rows = roles.flatMap((r) => defaults(r).map((v) => [r, v] as const))

  it('has role defaults to check', () => expect(rows.length).toBeGreaterThan(50))

  it.each(rows)('role %s: %s is listed in inventory/group_vars and in docs/hydra-pi.md', (_role, v) => {
    expect(groupVars).toMatch(new RegExp(`^# ${v}:`, 'm'))
    expect(doc).toContain(`| \`${v}\` |`)
  })

  it.each(roles)('role %s: every template a task names exists in its templates/', (role) => {
    for (const t of tasksOf(role)) {
      const src = (t.template as { src?: string } | undefined)?.src
      if (src) expect(existsSync(join(ROLES, role, 'templates', src)), `${role}: ${src}`).toBe(true)
    }
  })

  it('playbook and inventory start with their editor-schema line', () => {
    expect(readFileSync(join(ROOT, 'playbooks', 'hydra-pi.yml'), 'utf8').split('\n')[0]).toBe(
      '# yaml-language-server: $schema=../schemas/playbook.json',
    )
    expect(readFileSync(join(ROOT, 'inventory', 'hosts.yml'), 'utf8').split('\n')[0]).toBe(
      '# yaml-language-server: $schema=../schemas/inventory.json',
    )
  })

  it.each([
    ['debian', 'nix'],
    ['source', 'nix'],
    ['installer', 'prefix'],
  ])('tsplay validate accepts nix_install_method=%s, hydra_install_method=%s', async (nix, hydra) => {
    const r = await tsplay([
      'validate',
      'playbooks/hydra-pi.yml',
      '-i',
      'inventory',
      '-e',
      `nix_install_method=${nix}`,
      '-e',
      `hydra_install_method=${hydra}`,
    ])
    expect(r.rc, r.stderr).toBe(0)
  })

  it('--list-tags offers the documented parts and --list-tasks the steps', async () => {
    const tags = await tsplay(['run', 'playbooks/hydra-pi.yml', '-i', 'inventory', '--list-tags'])
    expect(tags.rc, tags.stderr).toBe(0)
    for (const tag of ['nix', 'postgres', 'hydra', 'builders', 'base', 'verify'])
      expect(tags.stdout).toMatch(new RegExp(`\\b${tag}\\b`))
    const list = await tsplay(['run', 'playbooks/hydra-pi.yml', '-i', 'inventory', '--list-tasks'])
    expect(list.rc, list.stderr).toBe(0)
    for (const name of [
      'Base packages',
      'Nix settings (/etc/nix/nix.conf)',
      'Build machines for nix-daemon and Hydra (/etc/nix/machines)',
    ]) {
      expect(list.stdout).toContain(name)
    }
  })
})
