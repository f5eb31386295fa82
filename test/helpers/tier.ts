/**
 * The test tier a test runs in (TSPLAY_TEST_TIER, set per vitest project in vitest.config.ts). Helpers that need
 * more than the unit tier allows — root, sshd, a fleet, the built CLI — call `needTier`, so a test file in the
 * wrong tier fails at once with the rename that fixes it instead of skipping or running where it must not.
 *
 * @example
 * ```ts
 * needTier('loopback sshd targets', 'integration') // throws in the unit tier
 * ```
 */

const SUFFIX: Record<string, string> = { integration: '*.integration.test.ts', fleet: '*.fleet.test.ts' }

/** Throw when running in the unit tier: `what` needs tier `tier` (or a higher one). */
export function needTier(what: string, tier: 'integration' | 'fleet'): void {
  if (process.env.TSPLAY_TEST_TIER !== 'unit') return
  throw new Error(
    `${what} are not allowed in the unit tier (no root, no network, no build): name the test file ${SUFFIX[tier]} ` +
      '(see "Tests" in README.md)',
  )
}
