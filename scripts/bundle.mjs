// Bundles the CLI (engine + modules + pure-JS dependencies) into dist/bundle/ with esbuild, so `tsplay` starts
// without resolving and compiling ~150 separate files. Lazy `import()`s stay separate chunks (listr2, modules, SSH).
// ssh2 stays external (it has optional native parts). Run by `npm run build` after tsc has type-checked.
import { build } from 'esbuild'

await build({
  entryPoints: ['engine/cli/main.ts'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist/bundle',
  external: ['ssh2', 'cpu-features'],
  // CommonJS dependencies (yaml, ajv, handlebars) call require(): give ESM chunks one.
  banner: {
    js:
      "import { createRequire as __tsplayRequire } from 'node:module'; const require = " +
      '__tsplayRequire(import.meta.url);',
  },
  logLevel: 'warning',
})
