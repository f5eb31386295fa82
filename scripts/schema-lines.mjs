#!/usr/bin/env node
// Puts the `# yaml-language-server: $schema=…` line first in every shipped YAML file (playbooks/, inventory/), so
// editors complete and check them. `--check`: write nothing, list the files without the right line, exit 1 if any.
// Needs dist/ (npm run build).
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const { SHIPPED_YAML_DIRS, withSchemaLine } = await import(join(root, 'dist', 'engine', 'schema', 'lines.js'))
const check = process.argv.includes('--check')
let wrong = 0
for (const dir of SHIPPED_YAML_DIRS) {
  for (const f of (await readdir(join(root, dir), { recursive: true })).filter((x) => /\.ya?ml$/.test(x)).sort()) {
    const rel = `${dir}/${f.split('\\').join('/')}`
    const text = await readFile(join(root, rel), 'utf8')
    const fixed = withSchemaLine(rel, text)
    if (fixed === text) continue
    wrong++
    if (check) console.error(`missing schema line: ${rel}`)
    else {
      await writeFile(join(root, rel), fixed)
      console.log(`added schema line: ${rel}`)
    }
  }
}
if (check && wrong) process.exit(1)
