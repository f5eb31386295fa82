/**
 * `tsplay.yml` (engine/cli/config.ts): settings read and named like `tsplay run`'s flags, paths resolved against the
 * file's folder, every mistake reported with file:line:col, and flags given on the command line winning.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig, withConfig } from '../../engine/cli/config.js'
import { UserError, UserErrors } from '../../engine/errors.js'

const dirs: string[] = []
function project(config?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-config-'))
  dirs.push(dir)
  if (config !== undefined) writeFileSync(join(dir, 'tsplay.yml'), config)
  return dir
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** The errors `loadConfig` throws, as `line:col message hint`. */
async function errors(config: string): Promise<string[]> {
  try {
    await loadConfig(project(config))
  } catch (e) {
    const list = e instanceof UserErrors ? e.errors : e instanceof UserError ? [e] : undefined
    if (!list) throw e
    for (const x of list) expect(x.pos?.file).toMatch(/tsplay\.yml$/)
    return list.map((x) => `${x.pos?.line}:${x.pos?.col} ${x.message}${x.hint ? ` ${x.hint}` : ''}`)
  }
  return []
}

describe('loadConfig', () => {
  it('no file: no defaults', async () => {
    expect(await loadConfig(project())).toEqual({})
  })

  it('an empty file: no defaults', async () => {
    const dir = project('# nothing yet\n')
    expect(await loadConfig(dir)).toEqual({ file: join(dir, 'tsplay.yml') })
  })

  it('reads every setting, named like the run flags; paths relative to the file, ~ is home', async () => {
    const dir = project(
      [
        'inventory: [inventory, /etc/tsplay/hosts.yml]',
        'forks: 10',
        'known_hosts: ~/.ssh/pis',
        'trust_new_host_keys: yes',
        'task_timeout: "3600"',
        'retries: 2',
        'reconnect_timeout: 120',
        'output: plain',
        'verbose: 2',
        'diff: true',
        'ask_become_pass: false',
      ].join('\n'),
    )
    expect(await loadConfig(dir)).toEqual({
      file: join(dir, 'tsplay.yml'),
      inventory: [join(dir, 'inventory'), '/etc/tsplay/hosts.yml'],
      forks: 10,
      knownHosts: join(homedir(), '.ssh/pis'),
      trustNewHostKeys: true,
      taskTimeout: 3600,
      retries: 2,
      reconnectTimeout: 120,
      output: 'plain',
      verbose: 2,
      diff: true,
      askBecomePass: false,
    })
  })

  it('one inventory as a string', async () => {
    const dir = project('inventory: hosts.ini\n')
    expect((await loadConfig(dir)).inventory).toEqual([join(dir, 'hosts.ini')])
  })

  it.each([
    ['forks: 0', ['1:8 "forks" in tsplay.yml must be a whole number ≥ 1, found number 0']],
    ['forks: many', ['1:8 "forks" in tsplay.yml must be a whole number, found string "many"']],
    ['# settings\nfroks: 5', ['2:1 unknown setting "froks" in tsplay.yml (did you mean "forks"?)']],
    [
      'output: fancy',
      ['1:9 "output" in tsplay.yml must be one of "auto", "live", "plain", "json", found string "fancy"'],
    ],
    [
      'trust_new_host_keys: maybe',
      ['1:22 "trust_new_host_keys" in tsplay.yml must be true or false, found string "maybe"'],
    ],
    [
      'forks: 0\nretries: -1\nnope: 1',
      [
        '1:8 "forks" in tsplay.yml must be a whole number ≥ 1, found number 0',
        '2:10 "retries" in tsplay.yml must be a whole number ≥ 0, found number -1',
        '3:1 unknown setting "nope" in tsplay.yml (settings: inventory, forks, known_hosts, ' +
          'trust_new_host_keys, task_timeout, retries, reconnect_timeout, output, verbose, diff, ask_become_pass)',
      ],
    ],
    ['verbose: 9', ['1:10 "verbose" in tsplay.yml must be a whole number ≤ 4, found number 9']],
    ['- forks: 5', ['1:1 tsplay.yml must be a map of settings, found a list']],
  ])('%s → errors with positions', async (config, want) => {
    const got = await errors(config)
    expect(got.sort()).toEqual([...want].sort())
  })

  it('a YAML syntax error names the file and line', async () => {
    const got = await errors('forks: [1,\n')
    expect(got.length).toBeGreaterThan(0)
  })
})

describe('withConfig', () => {
  const flags = {
    forks: 25,
    verbose: 0,
    inventory: undefined as string[] | undefined,
    diff: false,
    tags: [] as string[],
  }
  it('fills what the user did not give; flags given win', () => {
    const config = { file: '/p/tsplay.yml', forks: 10, verbose: 2, inventory: ['/p/inv'], diff: true }
    const given = new Set(['forks'])
    expect(withConfig(flags, config, (k) => given.has(k))).toEqual({
      forks: 25,
      verbose: 2,
      inventory: ['/p/inv'],
      diff: true,
      tags: [],
    })
    expect(withConfig(flags, {}, () => false)).toEqual(flags)
  })
})
