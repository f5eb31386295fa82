/**
 * Runs the benchmark's own tests (`npx vitest run --config bench/vitest.config.ts`): the root config's include
 * does not list bench/ yet.
 */
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['bench/**/*.test.ts'],
    root: new URL('..', import.meta.url).pathname,
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
})
