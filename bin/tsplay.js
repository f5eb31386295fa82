#!/usr/bin/env node
// Entry point: runs the bundled, compiled CLI (no TypeScript is compiled at run time).
// V8 optimizes a function after 8× its default interrupt budget: a run is short, and compiling code that runs a few
// hundred times costs more CPU (on background threads, counted as tsplay's) than it saves. The benchmark's 10-host
// run uses about 10% less controller CPU; code that runs hot over a long run is still optimized.
import v8 from 'node:v8'
v8.setFlagsFromString('--interrupt-budget=540672')
import('../dist/bundle/main.js').then((m) => m.main(process.argv.slice(2)))
