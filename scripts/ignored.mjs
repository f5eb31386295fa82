// The paths .prettierignore lists (generated or deliberately malformed files): one reader for eslint.config.js
// and scripts/check-width.mjs, so prettier, eslint and the width check skip the same files.
//
// @example
//   import { ignoredPaths } from './scripts/ignored.mjs' // ['dist/', 'node_modules/', …], as written
import { readFileSync } from 'node:fs'

/** The non-comment lines of .prettierignore, as written (`dist/`). */
export const ignoredPaths = readFileSync(new URL('../.prettierignore', import.meta.url), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
