#!/usr/bin/env node
// Entry point: runs the compiled CLI (no TypeScript is compiled at run time).
import('../dist/engine/cli/main.js').then((m) => m.main(process.argv.slice(2)))
