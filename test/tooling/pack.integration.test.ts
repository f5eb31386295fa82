/**
 * Packaging, slow: `npm pack` the project (from a copy of its sources, so the shared dist/ is not
 * rebuilt under other tests; `prepare` builds dist/ into the package), `npm install` the tarball into an empty
 * project (dependencies from the npm cache, else the registry), then run the installed `tsplay --help`,
 * `tsplay validate` on the shipped Hydra playbook and inventory, and `tsplay doc apt`. The installed package runs
 * compiled JavaScript only: no TypeScript sources or compiler in it.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const SLOW = 900_000
/** What `npm pack` needs from the working tree (uncommitted changes included). */
const SOURCES = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'README.md',
  'bin',
  'engine',
  'modules',
  'playbooks',
  'inventory',
  'schemas',
  'scripts',
]

function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout: SLOW,
    env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' },
  })
  if (r.error) throw r.error
  return r
}
const explain = (r: SpawnSyncReturns<string>) => `rc ${r.status}\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`

describe('npm package', () => {
  let tmp: string
  let installed: string
  let bin: string

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'tsplay-pack-'))
    const src = join(tmp, 'src')
    mkdirSync(src)
    for (const f of SOURCES) {
      if (existsSync(join(ROOT, f)))
        cpSync(join(ROOT, f), join(src, f), { recursive: true, filter: (p) => !p.endsWith('.test.ts') })
    }
    symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'))
    const pack = run('npm', ['pack', '--pack-destination', tmp], src)
    expect(pack.status, explain(pack)).toBe(0)
    const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'))
    expect(tarball, 'npm pack wrote no tarball').toBeTruthy()
    const project = join(tmp, 'project')
    mkdirSync(project)
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'try-tsplay', version: '1.0.0', private: true }),
    )
    const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(tmp, tarball!)], project)
    expect(install.status, explain(install)).toBe(0)
    installed = join(project, 'node_modules', 'tsplay')
    bin = join(project, 'node_modules', '.bin', 'tsplay')
  }, SLOW)

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true })
  })

  it('tsplay --help', () => {
    const r = run(bin, ['--help'], tmp)
    expect(r.status, explain(r)).toBe(0)
    expect(r.stdout).toMatch(/Usage: tsplay/)
    for (const cmd of ['run', 'validate', 'modules', 'doc', 'schema'])
      expect(r.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'))
  })

  it('tsplay validate on the shipped Hydra playbook and inventory', () => {
    const r = run(
      bin,
      ['validate', join(installed, 'playbooks', 'hydra-pi.yml'), '-i', join(installed, 'inventory')],
      tmp,
    )
    expect(r.status, explain(r)).toBe(0)
    expect(r.stdout).toMatch(/valid/)
  })

  it('tsplay doc apt', () => {
    const r = run(bin, ['doc', 'apt'], tmp)
    expect(r.status, explain(r)).toBe(0)
    expect(r.stdout).toMatch(/^apt — /)
    expect(r.stdout).toMatch(/update_cache/)
  })

  it('ships compiled JavaScript and the schemas, no TypeScript', () => {
    const files = readdirSync(installed, { recursive: true }).map(String)
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([])
    // What bin/tsplay.js loads (the loader it imports, the bundle it names) is in the package, and is JavaScript.
    const bin = readFileSync(join(installed, 'bin', 'tsplay.js'), 'utf8')
    const loaded = [...bin.matchAll(/(?:from |new URL\()['"](\.\.\/dist\/[^'"]+)['"]/g)].map((m) => m[1])
    expect(loaded).toEqual([expect.stringMatching(/\.js$/), expect.stringMatching(/\.cjs$/)])
    for (const entry of loaded)
      expect(existsSync(join(installed, 'bin', entry)), `${entry} is not in the package (package.json "files")`).toBe(
        true,
      )
    for (const k of ['playbook', 'inventory', 'tasks', 'vars', 'config'])
      expect(files).toContain(join('schemas', `${k}.json`))
    expect(files.some((f) => f.endsWith('.test.js'))).toBe(false)
    // The compiler is a dev dependency: an installed tsplay cannot compile TypeScript at run time.
    expect(existsSync(join(installed, '..', 'typescript'))).toBe(false)
  })
})
