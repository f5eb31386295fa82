// Precompiles every module's argument validator with ajv's standalone code generation into
// dist/bundle/validators/NAME.cjs (one small file per module, so a run reads only those of the modules it uses),
// so `tsplay validate`/`run` do not compile schemas at every start.
// The options must match engine/load/args.ts (AJV_OPTIONS there); args.ts falls back to compiling when the
// file is missing (tests run from the TypeScript sources) or was built from other schemas (hash check).
// Also writes dist/bundle/modules.json, every module's data fields (names, aliases, schema, …): the table
// modules/registry.ts's loadModuleTable reads, so a run loads only the code of the modules it uses.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import standaloneCode from 'ajv/dist/standalone/index.js'
import { loadAllModules, moduleData } from '../dist/modules/registry.js'
import { AJV_OPTIONS, schemaHash } from '../dist/engine/load/args.js'

const modules = await loadAllModules()
const ajv = new Ajv({ ...AJV_OPTIONS, code: { ...AJV_OPTIONS.code, source: true } })
rmSync('dist/bundle/validators.cjs', { force: true })
rmSync('dist/bundle/validators', { recursive: true, force: true })
mkdirSync('dist/bundle/validators')
for (const [name, def] of modules) {
  const id = `tsplay-args-${name}`
  ajv.addSchema({ ...def.schema, $id: id })
  const code = standaloneCode.default(ajv, { [name]: id })
  const hash = JSON.stringify(schemaHash(def.schema))
  writeFileSync(`dist/bundle/validators/${name}.cjs`, `${code}\nmodule.exports.__hash = ${hash};\n`)
}
const table = Object.fromEntries([...modules].map(([name, def]) => [name, moduleData(def)]))
writeFileSync('dist/bundle/modules.json', JSON.stringify(table))
