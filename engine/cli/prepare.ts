/**
 * Everything before contact: load the modules, the inventory and the playbook, check arguments, handlers and
 * variables. Errors from all sources are reported together (UserErrors), and no host is contacted.
 */
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, resolve } from 'node:path'
import type { Inventory, Playbook } from '../ast.js'
import { UserError, UserErrors } from '../errors.js'
import { addImplicitLocalhost, EMPTY_INVENTORY_WARNING } from '../inventory/implicit.js'
import { isHostList, loadInventory } from '../inventory/load.js'
import { checkRoleArguments, roleSpecsOf } from '../load/argspecs.js'
import { checkUndefinedVariables } from '../load/check.js'
import { loadPlaybook } from '../load/playbook.js'
import { takeLockedWarnings } from '../vaultlocked.js'
import { unusedInventoryVars } from '../load/unused.js'
import { parseKeyValues } from '../source/kv.js'
import { SplitError } from '../source/split.js'
import { parseYaml, readYamlFile } from '../source/yaml.js'
import type { ModuleDef } from '../module.js'
import type { SourcePos, Vars } from '../types.js'
import { loadModuleTable } from '../../modules/registry.js'
import { ansibleSetting } from '../run/config-read.js'
import { ansibleCfgFile } from '../source/rolespath.js'

/**
 * The inventory sources: `-i` values, else $TSPLAY_INVENTORY, else ./inventory when it exists, else Ansible's
 * inventory setting (`ANSIBLE_INVENTORY`, ansible.cfg's `inventory`, else `/etc/ansible/hosts`), those of its paths
 * that exist; else none (as Ansible without an inventory: only the implicit localhost, with a warning). The
 * project's own ./inventory comes before Ansible's setting, which may be a user's or the machine's for other hosts.
 */
export function inventorySources(given: string[] | undefined): string[] {
  if (given && given.length) return given
  if (process.env.TSPLAY_INVENTORY) return process.env.TSPLAY_INVENTORY.split(',')
  if (existsSync('inventory')) return ['inventory']
  const setting = ansibleSetting('DEFAULT_HOST_LIST') as string[] | null
  return (setting ?? []).filter((p) => p !== '' && existsSync(p))
}

/** The warning for a run with no inventory at all. */
const NO_INVENTORY_WARNING =
  'no inventory was given (-i, TSPLAY_INVENTORY), there is no ./inventory and Ansible names none that exists ' +
  '(ANSIBLE_INVENTORY, ansible.cfg): only the implicit localhost is available'

/**
 * Ansible's settings tsplay does not apply, when set to what would change a run: each said in a warning, not
 * silently ignored. (name, its environment variable, when it applies, what the warning says)
 */
const UNAPPLIED: Array<[string, string, (v: unknown) => boolean, string]> = [
  [
    'DEFAULT_HASH_BEHAVIOUR',
    'ANSIBLE_HASH_BEHAVIOUR',
    (v) => v === 'merge',
    'hash_behaviour = merge (ANSIBLE_HASH_BEHAVIOUR or ansible.cfg) is not applied: a variable defined again ' +
      "replaces a map, as with Ansible's default; merge maps with the combine filter " +
      '(`{{ a | combine(b, recursive=true) }}`)',
  ],
  [
    'DEFAULT_LOG_PATH',
    'ANSIBLE_LOG_PATH',
    (v) => typeof v === 'string' && v !== '',
    'log_path (ANSIBLE_LOG_PATH or ansible.cfg) is not written: tsplay keeps no log file; keep its output with ' +
      '`--output plain 2>&1 | tee -a FILE` or `--json`',
  ],
]

/** Where a setting came from: its environment variable, else the ansible.cfg Ansible reads. */
const settingsPos = (env: string): SourcePos => ({
  file: process.env[env] !== undefined ? `(environment: ${env})` : (ansibleCfgFile() ?? '(settings)'),
  line: 1,
  col: 1,
})

/** Where `-e` values come from, for error positions. */
const CLI: SourcePos = { file: '(command line)', line: 1, col: 1 }

/**
 * Parse `-e` values as Ansible does: `@file.yml`, a YAML/JSON map (`{…}`), or `k=v` words (split like module
 * arguments: `-e 'msg="a b" x={{ y }}'`). Later ones win.
 */
export async function parseExtraVars(values: string[]): Promise<Vars> {
  const out: Vars = {}
  for (const v of values) {
    if (v.trim() === '') continue
    if (v.startsWith('@')) Object.assign(out, await extraVarsFile(v.slice(1).replace(/^~(?=\/|$)/, homedir())))
    else if (/^\s*[[{]/.test(v)) Object.assign(out, extraVarsMap(v))
    else if (v.startsWith('/') || v.startsWith('.'))
      throw new UserError(`-e ${JSON.stringify(v)}: put "@" before a file name (-e @${v})`, CLI)
    else {
      try {
        Object.assign(out, parseKeyValues(v))
      } catch (e) {
        if (!(e instanceof SplitError)) throw e
        const why = `${e.message} (character ${e.offset + 1})`
        throw new UserError(`-e expects key=value, @file.yml or a map: ${JSON.stringify(v)}: ${why}`, CLI)
      }
    }
  }
  return out
}

/** `-e @file.yml`: a YAML file holding a map (an empty file adds nothing). */
async function extraVarsFile(file: string): Promise<Vars> {
  if (!existsSync(file)) throw new UserError(`extra vars file not found: ${file}`, CLI)
  const data = (await readYamlFile(file)).value
  if (data === null || data === undefined) return {}
  if (!isVars(data)) throw new UserError('extra vars file must hold a map of variables', { file, line: 1, col: 1 })
  return data
}

/** `-e '{"a": 1}'` or `-e '{a: 1}'`: a YAML (so also JSON) map. */
function extraVarsMap(v: string): Vars {
  const data = parseYaml(v, '(command line)').value
  if (!isVars(data)) throw new UserError(`-e ${JSON.stringify(v)} must be a map of variables`, CLI)
  return data
}

/** A map of variables (not a list, scalar or null). */
function isVars(data: unknown): data is Vars {
  return typeof data === 'object' && data !== null && !Array.isArray(data)
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
  // Ansible's settings the run reads per play: a value they refuse is refused now, before any play starts
  ansibleSetting('DEFAULT_GATHERING')
  const modules = await loadModuleTable()
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
    if (!existsSync(s) && !isHostList(s))
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
  const warnings: UserError[] = []
  await loadPlaybook(file, { modules, extraVars, warnings }).then((p) => (playbook = p), collect)
  for (const [name, env, applies, message] of UNAPPLIED)
    if (applies(ansibleSetting(name))) warnings.push(new UserError(message, settingsPos(env)))
  if (sources.length === 0) warnings.push(new UserError(NO_INVENTORY_WARNING, CLI))
  else if (inventory && inventory.hosts.size === 0)
    warnings.push(new UserError(EMPTY_INVENTORY_WARNING, { file: inventory.sources[0] ?? sources[0], line: 1, col: 1 }))
  if (playbook && inventory) {
    addImplicitLocalhost(
      inventory,
      playbook.plays.map((p) => p.hosts),
    )
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
  warnings.push(...takeLockedWarnings())
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
