/** Test helpers: write a playbook tree into a temp folder, load it, collect the errors as `file:line message`. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, onTestFinished } from 'vitest'
import type { Playbook } from '../../engine/ast.js'
import { UserError, UserErrors } from '../../engine/errors.js'
import { loadPlaybook } from '../../engine/load/playbook.js'
import { fixtureModules } from './fixtures.js'

/**
 * Write `files` (path → content) into a fresh temp folder; returns the folder. It is removed when the test ends, or
 * after the suite for a folder made in a describe body.
 */
export function tree(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-load-'))
  const remove = (): void => rmSync(dir, { recursive: true, force: true })
  try {
    onTestFinished(remove)
  } catch {
    afterAll(remove)
  }
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true })
    writeFileSync(join(dir, p), c)
  }
  return dir
}

/** Load `playbook.yml` (or `main`) from a tree with the fixture modules. */
export async function load(files: Record<string, string | Uint8Array>, main = 'playbook.yml'): Promise<Playbook> {
  const dir = tree(files)
  return loadPlaybook(join(dir, main), { modules: fixtureModules() })
}

/** The user errors a load raises, as `basename:line:col message hint`; fails on any other exception. */
export async function loadErrors(files: Record<string, string | Uint8Array>, main = 'playbook.yml'): Promise<string[]> {
  try {
    await load(files, main)
  } catch (e) {
    const list = e instanceof UserErrors ? e.errors : e instanceof UserError ? [e] : undefined
    if (!list) throw e
    return list.map(
      (x) => `${x.pos?.file.split('/').pop()}:${x.pos?.line}:${x.pos?.col} ${x.message}${x.hint ? ` ${x.hint}` : ''}`,
    )
  }
  return []
}
