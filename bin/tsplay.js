#!/usr/bin/env node
// Entry point: runs the bundled, compiled CLI (no TypeScript is compiled at run time).
import('../dist/bundle/main.js').then((m) => m.main(process.argv.slice(2)))
