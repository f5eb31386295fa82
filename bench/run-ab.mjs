#!/usr/bin/env node
/**
 * `node bench/run-ab.mjs BASE_CHECKOUT [HOSTS] [ROUNDS]`: compiles the benchmark like bench/run.mjs, then runs the
 * A/B of bench/ab.ts (the build in BASE_CHECKOUT against this checkout's build; both built with `npm run build`).
 *
 * @example
 * ```sh
 * npm run build && node bench/run-ab.mjs /tmp/base 10 12
 * ```
 */
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const [base, hosts = '10', rounds = '10'] = process.argv.slice(2)
if (!base) {
  process.stderr.write('usage: node bench/run-ab.mjs BASE_CHECKOUT [HOSTS] [ROUNDS]\n')
  process.exit(2)
}
const here = dirname(fileURLToPath(import.meta.url))
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
execFileSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.json')], { stdio: 'inherit' })
const { ab } = await import('./.build/bench/ab.js')
process.exitCode = await ab(resolve(base), Number(hosts), Number(rounds))
