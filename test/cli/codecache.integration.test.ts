/**
 * The bundle loader's code cache (engine/cli/codecache.ts, built): a first load misses and saves, the next process
 * is served by V8 from the entry, a rebuilt bundle (even of the same length) or a damaged entry is never used, V8's
 * refusal of an entry made with other flags is seen and mended, the
 * cache stays off when it is turned off or its folder is not safely the user's, and the real CLI keeps working
 * with a damaged entry. Every load is a new Node process: within one process V8 reuses its own compilation and
 * would not look at the entry at all.
 *
 * @example
 * ```sh
 * npm run build && npx vitest run test/cli/codecache.integration.test.ts
 * ```
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROOT, tsplay } from '../helpers/cli.js'
import { removeTempDir, tempDir } from '../helpers/tempdir.js'

/** A CommonJS "bundle" with enough code for V8 to cache, returning `n + 3` from `answer()`. */
const bundleText = (n: number): string =>
  [
    'function helper(a) { let s = 0; for (let i = 0; i < a; i++) s += i; return s }',
    `exports.answer = () => helper(3) + ${n}`,
    'exports.strict = (function () { return this === undefined })()',
    'exports.dir = __dirname',
    '',
  ].join('\n')

/** What one load in a new process saw. */
interface Load {
  cache: string
  answer: number
  strict: boolean
  dir: string
  saved: boolean
}

const LOADER = join(ROOT, 'dist/engine/cli/codecache.js')
const CHILD = [
  `import { loadBundle } from ${JSON.stringify(LOADER)}`,
  'const [file, kind] = process.argv.slice(-2)',
  'const b = loadBundle(file, kind, false)',
  'const r = { cache: b.cache, answer: b.exports.answer(), strict: b.exports.strict, dir: b.exports.dir }',
  'console.log(JSON.stringify({ ...r, saved: b.save() }))',
].join('\n')

describe('the code cache of the bundled CLI', () => {
  let dir = ''
  let cache = ''
  let file = ''
  beforeEach(() => {
    dir = tempDir('tsplay-codecache-')
    cache = join(dir, 'cache')
    file = join(dir, 'b.cjs')
    writeFileSync(file, bundleText(10))
  })
  afterEach(() => removeTempDir(dir))

  const load = (kind = 'run', env: Record<string, string> = {}, flags: string[] = []): Load =>
    JSON.parse(
      execFileSync(process.execPath, [...flags, '--input-type=module', '-e', CHILD, file, kind], {
        encoding: 'utf8',
        env: { ...process.env, TSPLAY_CACHE_DIR: cache, ...env },
      }),
    ) as Load

  it('misses and saves at first, then V8 takes the entry; the code runs in strict mode either way', () => {
    const first = load()
    expect(first).toEqual({ cache: 'miss', answer: 13, strict: true, dir, saved: true })
    expect(readdirSync(join(cache, 'code'))).toEqual(['run.v8'])
    expect(load()).toEqual({ cache: 'hit', answer: 13, strict: true, dir, saved: false })
    expect(load('validate').cache).toBe('miss') // one entry per command
  })

  it('never uses an entry of another build of the bundle, even one of the same length', () => {
    load()
    writeFileSync(file, bundleText(20)) // same length, other code: V8's own check would take the old entry
    utimesSync(file, new Date(), new Date(Date.now() + 5000))
    expect(load()).toMatchObject({ cache: 'miss', answer: 23, saved: true })
    expect(load()).toMatchObject({ cache: 'hit', answer: 23 })
  })

  it('never uses a damaged entry (V8 does not check its bytes), and writes it again', () => {
    load()
    const entry = join(cache, 'code', 'run.v8')
    const text = readFileSync(entry)
    const nl = text.indexOf(10) + 1
    writeFileSync(entry, Buffer.concat([text.subarray(0, nl), Buffer.alloc(text.length - nl, 7)]))
    expect(load()).toMatchObject({ cache: 'miss', answer: 13, saved: true })
    expect(load().cache).toBe('hit')
  })

  it('lets V8 refuse an entry made with other V8 flags, and writes it again', () => {
    expect(load('run', {}, ['--no-opt']).cache).toBe('miss')
    expect(load()).toMatchObject({ cache: 'rejected', answer: 13, saved: true })
    expect(load().cache).toBe('hit')
  })

  it('is off with TSPLAY_CACHE_DIR=off and when others can write to its folder', () => {
    expect(load().cache).toBe('miss')
    chmodSync(join(cache, 'code'), 0o777)
    expect(load()).toMatchObject({ cache: 'off', answer: 13, saved: false })
    expect(load('run', { TSPLAY_CACHE_DIR: 'off' })).toMatchObject({ cache: 'off', answer: 13, saved: false })
  })

  it('serves the real CLI: entries per command, and a damaged entry changes nothing', async () => {
    const env = { TSPLAY_CACHE_DIR: cache }
    const args = ['validate', 'playbooks/hydra-pi.yml', '-i', 'inventory']
    const first = await tsplay(args, { env })
    expect(first.code).toBe(0)
    expect(readdirSync(join(cache, 'code'))).toEqual(['validate.v8'])
    const entry = join(cache, 'code', 'validate.v8')
    const text = readFileSync(entry)
    writeFileSync(entry, Buffer.concat([text.subarray(0, text.length >> 1), Buffer.alloc(text.length >> 1, 0)]))
    const again = await tsplay(args, { env })
    expect([again.code, again.stdout, again.stderr]).toEqual([0, first.stdout, first.stderr])
    expect((await tsplay(['--version'], { env })).stdout).toBe('0.1.0\n')
    expect(readdirSync(join(cache, 'code')).sort()).toEqual(['other.v8', 'validate.v8'])
  })
})
