// Bundles the CLI (engine + modules + pure-JS dependencies) into one CommonJS file, dist/bundle/tsplay.cjs, with
// esbuild, so `tsplay` starts without resolving and compiling ~150 separate files. bin/tsplay.js compiles it with
// V8's code cache (engine/cli/codecache.ts), which Node 20 offers for a script but not for ES modules. Lazy
// `import()`s stay lazy: their modules run when first imported. ssh2's JavaScript is bundled too (compiling it was
// about a tenth of a run's start); its optional native parts stay outside: `cpu-features`, and its crypto binding,
// required by package path so Node finds it in node_modules as ssh2 itself would. ssh2's packet padding draws from
// a pooled random buffer (engine/ssh/ssh2crypto.ts); its key exchange and key parser pass the login's keys as raw bytes
// (engine/ssh/ssh2keys.ts).
// The argument validators scripts/validators.mjs generated (dist/generated/validators) go in too, in place of the
// empty table engine/load/precompiled.ts, and dist/generated/modules.json is copied next to the bundle.
// Run by `npm run build` after tsc and scripts/validators.mjs; the folder is emptied first, so no older build's
// file stays.
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'

/** A `.node` file a bundled package requires stays a `require`, by its path in the package (ssh2's binding). */
const nativeAddons = {
  name: 'native-addons',
  setup(b) {
    b.onResolve({ filter: /\.node$/ }, (a) => {
      const full = join(a.resolveDir, a.path)
      const at = full.lastIndexOf('/node_modules/')
      if (at < 0) throw new Error(`a native addon outside node_modules: ${full}`)
      return { path: full.slice(at + '/node_modules/'.length), external: true }
    })
  },
}

/**
 * Files of ssh2 that get a module of tsplay's for the `crypto` they require: node:crypto with a few calls changed
 * (see each). The packet code's padding draws from a pooled buffer (engine/ssh/ssh2crypto.ts); the key exchange and
 * key parser pass the login's X25519 and Ed25519 keys as raw bytes instead of DER or PEM (engine/ssh/ssh2keys.ts).
 * The build fails when one of these files no longer requires crypto (a newer ssh2).
 */
const CRYPTO_FOR = {
  '/ssh2/lib/protocol/crypto.js': 'engine/ssh/ssh2crypto.ts',
  '/ssh2/lib/protocol/kex.js': 'engine/ssh/ssh2keys.ts',
  '/ssh2/lib/protocol/keyParser.js': 'engine/ssh/ssh2keys.ts',
}
const cryptoSeen = new Set()
const ssh2Crypto = {
  name: 'ssh2-crypto',
  setup(b) {
    b.onResolve({ filter: /^(node:)?crypto$/ }, (a) => {
      const file = Object.keys(CRYPTO_FOR).find((f) => a.importer.endsWith(f))
      if (!file) return undefined
      cryptoSeen.add(file)
      return { path: join(process.cwd(), CRYPTO_FOR[file]) }
    })
  },
}

/** engine/load/precompiled.ts becomes the table of generated validators, each run on its module's first use. */
const GENERATED = join(process.cwd(), 'dist/generated')
const precompiledTable = {
  name: 'precompiled-validators',
  setup(b) {
    b.onLoad({ filter: /\/engine\/load\/precompiled\.ts$/ }, () => {
      const dir = join(GENERATED, 'validators')
      const files = existsSync(dir)
        ? readdirSync(dir)
            .filter((f) => f.endsWith('.cjs'))
            .sort()
        : []
      if (files.length === 0) throw new Error('no validators in dist/generated/validators: run scripts/validators.mjs')
      const entry = (f) =>
        `  ${JSON.stringify(f.slice(0, -'.cjs'.length))}: () => require(${JSON.stringify(`./${f}`)}),`
      const entries = files.map(entry)
      const contents = `export const precompiledValidators = {\n${entries.join('\n')}\n}\n`
      return { contents, loader: 'js', resolveDir: dir }
    })
  },
}

rmSync('dist/bundle', { recursive: true, force: true })
await build({
  entryPoints: ['engine/cli/main.ts'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/bundle/tsplay.cjs',
  external: ['cpu-features'],
  plugins: [nativeAddons, ssh2Crypto, precompiledTable],
  // the sources find files next to themselves (modules.json) from import.meta.url
  define: { 'import.meta.url': '__tsplayUrl' },
  banner: { js: "const __tsplayUrl = require('node:url').pathToFileURL(__filename).href;" },
  // ASCII only, so the loader reads it as latin1 (no UTF-8 decoding); no comments or indentation to read
  charset: 'ascii',
  minifyWhitespace: true,
  logLevel: 'warning',
})
for (const [f, ours] of Object.entries(CRYPTO_FOR))
  if (!cryptoSeen.has(f)) throw new Error(`ssh2's ${f} did not require crypto: see ${ours}`)
copyFileSync(join(GENERATED, 'modules.json'), 'dist/bundle/modules.json')
const bytes = readFileSync('dist/bundle/tsplay.cjs')
const odd = bytes.findIndex((b) => b > 127)
if (odd >= 0) throw new Error(`dist/bundle/tsplay.cjs: a non-ASCII byte at offset ${odd} (write it as \\u…)`)
// a dynamic import of a Node module stays `import()`, which the code-cached bundle cannot run (see codecache.ts)
const dynamic = bytes.toString('latin1').match(/.{0,60}\bimport\(.{0,40}/)
if (dynamic) throw new Error(`dist/bundle/tsplay.cjs keeps an import() (import the module statically): ${dynamic[0]}`)
