/**
 * The built CLI checks module arguments with the validators `npm run build` precompiled into the bundle
 * (scripts/validators.mjs, scripts/bundle.mjs, engine/load/precompiled.ts): validating the Hydra playbook, and
 * refusing a wrong argument type, never loads ajv's schema compiler. A preloaded script records every module Node's
 * loader is asked for; the bundle holds its own code (and the validators' ajv runtime helpers), so a request for
 * `ajv` would be the compiler, which a stale or missing validator falls back to.
 *
 * @example
 * ```sh
 * npm run build && npx vitest run test/cli/validators.integration.test.ts
 * ```
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tsplay } from '../helpers/cli.js'
import { removeTempDir, tempDir } from '../helpers/tempdir.js'

/** Appends every request to Node's CommonJS loader to the file named by TSPLAY_TEST_LOADS. */
const HOOK = [
  "const Module = require('node:module')",
  "const { appendFileSync } = require('node:fs')",
  'const load = Module._load',
  'Module._load = function (request, ...rest) {',
  "  appendFileSync(process.env.TSPLAY_TEST_LOADS, request + '\\n')",
  '  return load.call(this, request, ...rest)',
  '}',
  '',
].join('\n')

describe('the bundle’s precompiled argument validators', () => {
  let dir = ''
  let env: Record<string, string> = {}
  const loads = (): string[] => readFileSync(join(dir, 'loads.txt'), 'utf8').split('\n').filter(Boolean)
  beforeEach(() => {
    dir = tempDir('tsplay-validators-')
    writeFileSync(join(dir, 'hook.cjs'), HOOK)
    writeFileSync(join(dir, 'loads.txt'), '')
    env = {
      NODE_OPTIONS: `--require ${join(dir, 'hook.cjs')}`,
      TSPLAY_TEST_LOADS: join(dir, 'loads.txt'),
      TSPLAY_CACHE_DIR: join(dir, 'cache'),
    }
  })
  afterEach(() => removeTempDir(dir))

  it('validate the Hydra playbook without loading ajv’s compiler', async () => {
    const r = await tsplay(['validate', 'playbooks/hydra-pi.yml', '-i', 'inventory'], { env })
    expect(r.code, r.stderr).toBe(0)
    expect(loads()).toContain('node:fs') // the hook saw the loader's requests
    expect(loads().filter((m) => m.startsWith('ajv'))).toEqual([])
  })

  it('refuse an argument of the wrong type, still without the compiler', async () => {
    const play = join(dir, 'bad.yml')
    const inventory = join(dir, 'hosts.yml')
    writeFileSync(inventory, 'all:\n  hosts:\n    t1: { ansible_host: 127.0.0.1, ansible_port: 1 }\n')
    writeFileSync(play, '- hosts: all\n  tasks:\n    - copy: { content: x, dest: /tmp/x, backup: [1, 2] }\n')
    const r = await tsplay(['validate', play, '-i', inventory], { env })
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/bad\.yml:3:\d+: .*backup/)
    expect(loads().filter((m) => m.startsWith('ajv'))).toEqual([])
  })
})
