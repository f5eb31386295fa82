// Bundles the CLI (engine + modules + pure-JS dependencies) into one CommonJS file, dist/bundle/tsplay.cjs, with
// esbuild, so `tsplay` starts without resolving and compiling ~150 separate files. bin/tsplay.js compiles it with
// V8's code cache (engine/cli/codecache.ts), which Node 20 offers for a script but not for ES modules. Lazy
// `import()`s stay lazy: their modules run when first imported. ssh2 stays external (it has optional native parts).
// Run by `npm run build` after tsc has type-checked; the folder is emptied first, so no older build's file stays.
import { readFileSync, rmSync } from 'node:fs'
import { build } from 'esbuild'

rmSync('dist/bundle', { recursive: true, force: true })
await build({
  entryPoints: ['engine/cli/main.ts'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/bundle/tsplay.cjs',
  external: ['ssh2', 'cpu-features'],
  // the sources find files next to themselves (validators, modules.json) from import.meta.url
  define: { 'import.meta.url': '__tsplayUrl' },
  banner: { js: "const __tsplayUrl = require('node:url').pathToFileURL(__filename).href;" },
  // ASCII only, so the loader reads it as latin1 (no UTF-8 decoding); no comments or indentation to read
  charset: 'ascii',
  minifyWhitespace: false,
  logLevel: 'warning',
})
const bytes = readFileSync('dist/bundle/tsplay.cjs')
const odd = bytes.findIndex((b) => b > 127)
if (odd >= 0) throw new Error(`dist/bundle/tsplay.cjs: a non-ASCII byte at offset ${odd} (write it as \\u…)`)
// a dynamic import of a Node module stays `import()`, which the code-cached bundle cannot run (see codecache.ts)
const dynamic = bytes.toString('latin1').match(/.{0,60}\bimport\(.{0,40}/)
if (dynamic) throw new Error(`dist/bundle/tsplay.cjs keeps an import() (import the module statically): ${dynamic[0]}`)
