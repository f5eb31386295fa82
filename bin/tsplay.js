#!/usr/bin/env node
// Entry point: runs the bundled, compiled CLI (no TypeScript is compiled at run time), through V8's code cache
// (engine/cli/codecache.ts: the cache entry is per command, named by the first argument).
// V8 optimizes a function after 8× its default interrupt budget: a run is short, and compiling code that runs a few
// hundred times costs more CPU (on background threads, counted as tsplay's) than it saves. The benchmark's 10-host
// run uses about 10% less controller CPU; code that runs hot over a long run is still optimized.
import v8 from 'node:v8'
import { fileURLToPath } from 'node:url'
import { loadBundle } from '../dist/engine/cli/codecache.js'

v8.setFlagsFromString('--interrupt-budget=540672')
const argv = process.argv.slice(2)
const bundle = loadBundle(fileURLToPath(new URL('../dist/bundle/tsplay.cjs', import.meta.url)), argv[0] ?? '')
bundle.exports.main(argv)
