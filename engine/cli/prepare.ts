/**
 * Everything before contact: load the modules, the inventory and the playbook, check arguments, handlers and
 * variables. Errors from all sources are reported together (UserErrors), and no host is contacted.
 */
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, resolve } from 'node:path'
import type { Inventory, Playbook } from '../ast.js'
import { UserError, UserErrors } from '../errors.js'
import { loadInventory } from '../inventory/load.js'
import { checkRoleArguments, roleSpecsOf } from '../load/argspecs.js'
import { checkUndefinedVariables } from '../load/check.js'
import { loadPlaybook } from '../load/playbook.js'
import { unusedInventoryVars } from '../load/unused.js'
import { readYamlFile } from '../source/yaml.js'
import type { ModuleDef } from '../module.js'
import type { Vars } from '../types.js'
import { loadAllModules } from '../../modules/registry.js'

/** The inventory sources: `-i` values, else $TSPLAY_INVENTORY, else ./inventory. */
export function inventorySources(given: string[] | undefined): string[] {
  if (given && given.length) return given
  if (process.env.TSPLAY_INVENTORY) return process.env.TSPLAY_INVENTORY.split(',')
  return ['inventory']
}

/** Parse `-e` values: `k=v k2=v2`, `@file.yml`, or a JSON/YAML map. Later ones win. */
export async function parseExtraVars(values: string[]): Promise<Vars> {
  const out: Vars = {}
  for (const v of values) {
    if (v.startsWith('@')) {
      const file = v.slice(1).replace(/^~(?=\/|$)/, homedir())
      if (!existsSync(file))
        throw new UserError(`extra vars file not found: ${file}`, { file: '(command line)', line: 1, col: 1 })
      const data = (await readYamlFile(file)).value
      if (data === null || data === undefined) continue
      if (typeof data !== 'object' || Array.isArray(data))
        throw new UserError('extra vars file must hold a map of variables', { file, line: 1, col: 1 })
      Object.assign(out, data)
    } else if (v.trim().startsWith('{')) {
      try {
        Object.assign(out, JSON.parse(v))
      } catch (e) {
        throw new UserError(`-e value is not valid JSON: ${(e as Error).message}`, {
          file: '(command line)',
          line: 1,
          col: 1,
        })
      }
    } else {
      for (const part of splitKeyValues(v)) {
        const eq = part.indexOf('=')
        if (eq <= 0)
          throw new UserError(`-e expects key=value, @file.yml or JSON, got "${part}"`, {
            file: '(command line)',
            line: 1,
            col: 1,
          })
        out[part.slice(0, eq)] = part.slice(eq + 1)
      }
    }
  }
  return out
}

/** Split `a=1 b="x y"` on spaces outside quotes. */
function splitKeyValues(s: string): string[] {
  const out: string[] = []
  let cur = ''
  let q: string | undefined
  for (const ch of s) {
    if (q) {
      if (ch === q) q = undefined
      else cur += ch
    } else if (ch === '"' || ch === "'") q = ch
    else if (ch === ' ') {
      if (cur) out.push(cur)
      cur = ''
    } else cur += ch
  }
  if (cur) out.push(cur)
  return out
}

export interface Prepared {
  playbook: Playbook
  inventory: Inventory
  modules: Map<string, ModuleDef>
  /** Findings that may be wrong (something may define the name at run time): shown, never refused. */
  warnings: UserError[]
}

/** Load and check everything; throws UserErrors with every problem found. */
export async function prepare(playbookPath: string, sources: string[], extraVars: Vars): Promise<Prepared> {
  const modules = await loadAllModules()
  const errors: UserError[] = []
  const collect = (e: unknown) => {
    if (e instanceof UserErrors) errors.push(...e.errors)
    else if (e instanceof UserError) errors.push(e)
    else throw e
  }
  const file = resolve(playbookPath)
  if (!existsSync(file))
    throw new UserError(`playbook not found: ${playbookPath}`, { file: playbookPath, line: 1, col: 1 })
  for (const s of sources) {
    if (!existsSync(s))
      errors.push(
        new UserError(`inventory not found: ${s} (give one with -i, or set TSPLAY_INVENTORY)`, {
          file: s,
          line: 1,
          col: 1,
        }),
      )
  }
  let inventory: Inventory | undefined
  let playbook: Playbook | undefined
  if (errors.length === 0)
    await loadInventory(sources, { varDirs: [dirname(file)] }).then((i) => (inventory = i), collect)
  await loadPlaybook(file, { modules }).then((p) => (playbook = p), collect)
  const warnings: UserError[] = []
  if (playbook && inventory) {
    const found = checkUndefinedVariables(playbook, inventory, extraVars)
    errors.push(...found.errors)
    const specs = checkRoleArguments(playbook, inventory, extraVars)
    const declared = playbook.plays.flatMap((p) => roleSpecsOf(p).flatMap((s) => Object.keys(s.options)))
    errors.push(...specs.errors)
    warnings.push(
      ...found.warnings,
      ...specs.warnings,
      ...unusedInventoryVars(playbook, inventory, found.mentioned, declared),
    )
  }
  if (errors.length) throw new UserErrors(errors)
  return { playbook: playbook!, inventory: inventory!, modules, warnings }
}

/** Read a password from the terminal without echo (for --ask-become-pass). */
export async function askPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const data = readFileSync(0, 'utf8')
    return data.split('\n')[0]
  }
  process.stderr.write(prompt)
  const stdin = process.stdin
  stdin.setRawMode(true)
  stdin.resume()
  return new Promise((res) => {
    let buf = ''
    const onData = (d: Buffer) => {
      for (const ch of d.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false)
          stdin.pause()
          stdin.off('data', onData)
          process.stderr.write('\n')
          return res(buf)
        }
        if (ch === '\u0003') process.exit(130)
        if (ch === '\u007f') buf = buf.slice(0, -1)
        else buf += ch
      }
    }
    stdin.on('data', onData)
  })
}
