/**
 * The test tiers (vitest projects), chosen by file name:
 * - unit         `*.test.ts` beside the code or under test/<area>/: no root, no network, no build (npm run test:unit)
 * - integration  `*.integration.test.ts`: loopback sshd (root), local servers, or the built CLI
 *                (npm run test:integration)
 * - fleet        `*.fleet.test.ts`: real Debian nodes booted with systemd-nspawn (root; npm run test:fleet)
 * - slow         anything under test/slow/: runs of tens of minutes, not in `npm test`
 *                (npm run test:slow sets TSPLAY_SLOW=1)
 * One global setup for the whole run (test/machine/global.ts) removes what dead test processes left, gives the run
 * its own temp folder (TMPDIR, removed with the run), and fails the run if this run left users, sudoers files, mounts,
 * links, NAT rules, listeners or processes behind.
 */
import { defineConfig } from 'vitest/config'

const ROOTS = ['engine', 'modules', 'test', 'bench']
const under = (glob: string) => ROOTS.map((r) => `${r}/**/${glob}`)
const TIER_FILES = ['**/*.integration.test.ts', '**/*.fleet.test.ts', 'test/slow/**']

/**
 * One tier: its files, and TSPLAY_TEST_TIER so helpers can refuse what the tier must not do (test/helpers/tier.ts).
 * Not `extends: true`: the root's globalSetup must run once per run, not once per tier.
 */
const tier = (
  name: string,
  include: string[],
  exclude: string[] = [],
  timeouts = { testTimeout: 60_000, hookTimeout: 300_000 },
) => ({
  test: {
    name,
    include,
    exclude: ['**/node_modules/**', ...exclude],
    // the parsed-YAML cache is off in tests (nothing written to the user's ~/.cache); its own tests turn it on
    env: { TSPLAY_TEST_TIER: name, TSPLAY_CACHE_DIR: 'off' },
    ...timeouts,
    pool: 'forks' as const,
    // unit files share their worker's module cache (the engine is imported once per worker, not once per file):
    // a unit test must not leave module state or process.env changed for the next file
    isolate: name !== 'unit',
  },
})

export default defineConfig({
  test: {
    globalSetup: ['test/machine/global.ts'],
    projects: [
      tier('unit', under('*.test.ts'), TIER_FILES),
      tier('integration', under('*.integration.test.ts'), ['test/slow/**']),
      tier('fleet', under('*.fleet.test.ts'), ['test/slow/**']),
      tier('slow', ['test/slow/**/*.test.ts'], [], { testTimeout: 3 * 3600_000, hookTimeout: 3600_000 }),
    ],
  },
})
