#!/usr/bin/env node
// Writes the generated files (schemas/*.json, docs/modules.md) from the compiled module registry.
// Run through `npm run docs` (which builds dist/ first). `--check` writes nothing and exits 1 when a file is stale.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const { generatedFiles } = await import(join(root, 'dist', 'engine', 'schema', 'generate.js'))
const check = process.argv.includes('--check')
let stale = 0
for (const [path, text] of Object.entries(await generatedFiles(root))) {
  const file = join(root, path)
  const old = await readFile(file, 'utf8').catch(() => undefined)
  if (old === text) continue
  stale++
  if (check) {
    console.error(`stale: ${path}`)
    continue
  }
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, text)
  console.log(`wrote ${path}`)
}
if (check && stale) {
  console.error('Run `npm run docs` and commit the result.')
  process.exit(1)
}
if (!stale) console.log('generated files are up to date')
