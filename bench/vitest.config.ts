/**
 * Runs only the benchmark's own tests (`npx vitest run --config bench/vitest.config.ts`) with a longer test timeout;
 * `npm test` runs them too, in their tiers (bench/units.test.ts: unit; bench/agree.integration.test.ts: integration).
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
