#!/usr/bin/env node
// Lists every line over 120 characters in the TypeScript and JavaScript sources as file:line (width), and exits 1
// if there is one. Prettier keeps code within 120 but leaves long strings and comments alone: this catches those.
// Skips what .prettierignore skips (generated or deliberately malformed files; read by scripts/ignored.mjs, as
// eslint.config.js does). Part of `npm run lint`.
//
// @example
//   node scripts/check-width.mjs        # prints e.g. "engine/x.ts:12 (131)"; silent and exit 0 when all fit
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ignoredPaths } from './ignored.mjs'

const MAX = 120
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const ignored = ignoredPaths.map((l) => l.replace(/\/$/, ''))

/** Is this repository-relative path (or a folder above it) in .prettierignore? */
const skip = (rel) => rel === '.git' || ignored.some((p) => rel === p || rel.startsWith(`${p}/`))

function* sources(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name)
    const rel = relative(root, path)
    if (skip(rel)) continue
    if (e.isDirectory()) yield* sources(path)
    else if (/\.(ts|mjs|js)$/.test(e.name)) yield rel
  }
}

let over = 0
for (const rel of sources(root)) {
  readFileSync(join(root, rel), 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const width = [...line].length
      if (width <= MAX) return
      over++
      console.log(`${rel}:${i + 1} (${width})`)
    })
}
if (over) {
  console.error(`${over} line${over === 1 ? '' : 's'} over ${MAX} characters: split long strings and comments`)
  process.exit(1)
}
