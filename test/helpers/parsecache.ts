/**
 * A parse cache folder of its own for each test of a file (`TSPLAY_CACHE_DIR`), removed after the test; the cache
 * is off again afterwards, as the tiers have it (vitest.config.ts).
 *
 * @example
 * ```ts
 * const cacheDir = tempParseCache('tsplay-yamlcache-')
 * it('stores', () => { parseYamlBytes(bytes, 'a.yml'); expect(readdirSync(join(cacheDir(), 'yaml'))).toHaveLength(1) })
 * ```
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach } from 'vitest'
import { resetParseCache } from '../../engine/source/parsecache.js'

/** Give each test a fresh cache folder; returns the current test's folder. */
export function tempParseCache(prefix: string): () => string {
  let dir = ''
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix))
    process.env.TSPLAY_CACHE_DIR = dir
    resetParseCache()
  })
  afterEach(() => {
    process.env.TSPLAY_CACHE_DIR = 'off'
    resetParseCache()
    rmSync(dir, { recursive: true, force: true })
  })
  return () => dir
}
