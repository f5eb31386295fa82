#!/usr/bin/env node
/**
 * `npm run bench`: compiles the benchmark (bench/*.ts and the loopback sshd helper it shares with the tests) to
 * bench/.build with bench/tsconfig.json, then runs the orchestrator. Settings come from BENCH_* environment
 * variables; see bench/config.ts or docs/performance.md.
 *
 * @example
 * ```sh
 * npm run bench                                  # full run, writes bench/results/<date>.json
 * BENCH_QUICK=1 npm run bench                    # one run per case, no 50/100-host rows
 * ```
 */
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
execFileSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.json')], { stdio: 'inherit' })
const { main } = await import('./.build/bench/main.js')
process.exitCode = await main()
