// Precompiles every module's argument validator with ajv's standalone code generation into
// dist/generated/validators/NAME.cjs, so `tsplay validate`/`run` do not compile schemas at every start.
// scripts/bundle.mjs (run next) puts them in the bundle, each behind a function that runs it on the module's
// first use (engine/load/precompiled.ts), so they come out of V8's code cache with the rest of the bundle.
// The options must match engine/load/args.ts (AJV_OPTIONS there); args.ts falls back to compiling when there is
// no validator (tests run from the TypeScript sources) or it was built from other schemas (hash check).
// Also writes dist/generated/modules.json, every module's data fields (names, aliases, schema, …): the table
// modules/registry.ts's loadModuleTable reads (bundle.mjs copies it next to the bundle), so a run loads only the
// code of the modules it uses.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import standaloneCode from 'ajv/dist/standalone/index.js'
import { loadAllModules, moduleData } from '../dist/modules/registry.js'
import { AJV_OPTIONS, schemaHash } from '../dist/engine/load/args.js'

const modules = await loadAllModules()
const ajv = new Ajv({ ...AJV_OPTIONS, code: { ...AJV_OPTIONS.code, source: true } })
rmSync('dist/generated', { recursive: true, force: true })
mkdirSync('dist/generated/validators', { recursive: true })
// in name order: ajv numbers the functions it generates across modules, and a build should give the same bundle
const byName = [...modules].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
for (const [name, def] of byName) {
  const id = `tsplay-args-${name}`
  ajv.addSchema({ ...def.schema, $id: id })
  const code = standaloneCode.default(ajv, { [name]: id })
  const hash = JSON.stringify(schemaHash(def.schema))
  writeFileSync(`dist/generated/validators/${name}.cjs`, `${code}\nmodule.exports.__hash = ${hash};\n`)
}
const table = Object.fromEntries(byName.map(([name, def]) => [name, moduleData(def)]))
writeFileSync('dist/generated/modules.json', JSON.stringify(table))
