/**
 * Loads inventories: files (`.ini`, `.yml`/`.yaml`/`.json`, or sniffed when without extension) and folders
 * (every `*.yml`, `*.yaml`, `*.ini` in them), then `group_vars/` and `host_vars/` beside each source and in each
 * `varDirs` folder (the playbook's folder), in that order — later folders win, and files win over inline vars.
 * In `group_vars/` and `host_vars/`: `NAME`, `NAME.yml`, `NAME.yaml`, `NAME.json`, or a folder `NAME/` of such
 * files (read in name order). A source that is no file and holds a comma is a list of hosts, as Ansible's
 * `-i 'pi1,pi2,'`. Every problem is reported with file:line:col, all together.
 *
 * @example
 * ```ts
 * const inv = await loadInventory(['inventory'], { varDirs: ['playbooks'] })
 * ```
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, extname, join, resolve } from 'node:path'
import type { Inventory } from '../ast.js'
import { UserError } from '../errors.js'
import { DEFAULT_LIMITS, parseYamlBytes, posOf } from '../source/yaml.js'
import { decodeUtf8 } from '../source/utf8.js'
import { pathKind, VARS_EXTENSIONS, varsFolderFiles } from '../source/varsfolder.js'
import { InventoryBuilder } from './builder.js'
import { LOCALHOST_NAMES } from './implicit.js'
import { parseIni } from './ini.js'
import { splitHostPort } from './ranges.js'
import { parseYamlInventory } from './yaml.js'
import { decryptIfVaulted } from '../vault/keyring.js'

/** Options for `loadInventory`. */
export interface LoadInventoryOptions {
  /** More folders whose `group_vars/` and `host_vars/` apply (after the inventory's own; later ones win). */
  varDirs?: string[]
}

const INVENTORY_EXT = new Set(['.yml', '.yaml', '.ini'])

// Files are read synchronously, as the playbook's (see readYamlFile): loading waits for nothing else.
function readBytes(file: string): Uint8Array {
  const st = statSync(file)
  if (st.size > DEFAULT_LIMITS.maxBytes) {
    throw new UserError(`file too large: ${st.size} bytes (limit ${DEFAULT_LIMITS.maxBytes})`, {
      file,
      line: 1,
      col: 1,
    })
  }
  return readFileSync(file)
}

/** Parse one inventory file into the builder (INI or YAML, by extension, else by content). */
export async function parseInventoryFile(file: string, b: InventoryBuilder): Promise<void> {
  const bytes = decryptIfVaulted(readBytes(file), file)
  const ext = extname(file).toLowerCase()
  const text = decodeUtf8(bytes, file)
  const yamlExt = ['.yml', '.yaml', '.json'].includes(ext)
  if (ext === '.ini' || (!yamlExt && /^\s*\[[^\]\n]+\]\s*$/m.test(text))) return parseIni(text, file, b)
  const value = parseYamlBytes(bytes, file).value
  // without a YAML extension, a file YAML reads as one plain string is INI hosts with no group (as Ansible tries
  // its yaml plugin first, then ini): `web1 ansible_host=10.0.0.5`
  if (!yamlExt && typeof value === 'string') return parseIni(text, file, b)
  parseYamlInventory(value, file, b)
}

/** Visible entries of a folder, sorted by name. */
function entries(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => !n.startsWith('.'))
    .sort()
}

/**
 * The vars files for each name in a `group_vars/` or `host_vars/` folder, as Ansible's host_group_vars finds them:
 * the first of `NAME`, `NAME.yml`, `NAME.yaml`, `NAME.json` that exists, and only it (a folder `NAME/` hides a
 * `NAME.yml` beside it); a folder gives its files of those extensions or none, sorted by name, its sub-folders
 * without an extension searched in place; hidden files and `…~` backups are left out.
 */
function varsFiles(dir: string, names: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>()
  const present = new Set(names)
  for (const entry of names) {
    const ext = extname(entry)
    if (!VARS_EXTENSIONS.includes(ext)) continue
    const name = ext ? basename(entry, ext) : entry
    if (out.has(name)) continue
    const full = join(
      dir,
      VARS_EXTENSIONS.map((e) => name + e).find((c) => present.has(c))!,
    )
    const kind = pathKind(full)
    if (kind === 'file') out.set(name, [full])
    else if (kind === 'dir') out.set(name, varsFolderFiles(full))
  }
  return out
}

/** Load `group_vars/` and `host_vars/` of `dir` into the builder. */
async function loadVarDirs(dir: string, b: InventoryBuilder): Promise<void> {
  for (const sub of ['group_vars', 'host_vars'] as const) {
    const d = join(dir, sub)
    if (pathKind(d) !== 'dir') continue
    const files = varsFiles(d, entries(d))
    for (const [name, list] of files) {
      const known = sub === 'group_vars' ? b.hasGroup(name) : b.hasHost(name)
      // Ansible ignores vars for groups/hosts the inventory does not have, but the implicit localhost reads its own
      const forLocalhost = !known && sub === 'host_vars' && LOCALHOST_NAMES.includes(name)
      if (!known && !forLocalhost) continue
      for (const file of list) {
        await attemptAsync(b, async () => {
          const { value } = parseYamlBytes(readBytes(file), file)
          if (value === undefined || value === null) return
          const pos = posOf(value) ?? { file, line: 1, col: 1 }
          if (typeof value !== 'object' || Array.isArray(value)) {
            b.fail(
              `${sub}/${name}: variables must be a map of names to values, found ` +
                `${Array.isArray(value) ? 'a list' : typeof value}`,
              pos,
            )
            return
          }
          if (sub === 'group_vars') b.groupVars(name, value as Record<string, unknown>, pos)
          else if (forLocalhost) b.localhostVars(name, value as Record<string, unknown>)
          else b.hostVars(name, value as Record<string, unknown>)
        })
      }
    }
  }
}

/** Is this inventory source a list of hosts (no file there, and a comma in it)? */
export const isHostList = (src: string): boolean => src.includes(',') && pathKind(src) === undefined

/**
 * Ansible's host-list inventory: a source that is no file and holds a comma (`-i 'pi1,pi2:2222,'`) names hosts of
 * the `ungrouped` group, each `NAME` or `NAME:PORT`.
 */
function parseHostList(src: string, b: InventoryBuilder): void {
  const pos = { file: src, line: 1, col: 1 }
  for (const item of src.split(',')) {
    const text = item.trim()
    if (!text) continue
    b.attempt(() => {
      const { name, port } = splitHostPort(text, pos)
      b.addHost(name, 'ungrouped', port === undefined ? {} : { ansible_port: port }, pos)
    })
  }
}

async function attemptAsync(b: InventoryBuilder, f: () => Promise<void>): Promise<void> {
  try {
    await f()
  } catch (e) {
    b.attempt(() => {
      throw e
    })
  }
}

/**
 * Load and merge inventory sources (files or folders). Throws `UserError`/`UserErrors` with positions.
 *
 * @example
 * ```ts
 * const inv = await loadInventory(['inventory/hosts.yml', 'inventory/extra.ini'])
 * inv.hosts.get('pi1')?.vars.ansible_host
 * ```
 */
export async function loadInventory(sources: string[], opts: LoadInventoryOptions = {}): Promise<Inventory> {
  const b = new InventoryBuilder(sources)
  const varDirs: string[] = []
  for (const src of sources) {
    if (isHostList(src)) {
      parseHostList(src, b)
      continue
    }
    const kind = pathKind(src)
    if (!kind) {
      b.fail(`inventory not found: ${src}`, { file: src, line: 1, col: 1 })
      continue
    }
    if (kind === 'dir') {
      for (const n of entries(src)) {
        const p = join(src, n)
        if (INVENTORY_EXT.has(extname(n).toLowerCase()) && pathKind(p) === 'file')
          await attemptAsync(b, () => parseInventoryFile(p, b))
      }
      varDirs.push(resolve(src))
    } else {
      await attemptAsync(b, () => parseInventoryFile(src, b))
      varDirs.push(resolve(dirname(src)))
    }
  }
  for (const d of opts.varDirs ?? []) varDirs.push(resolve(d))
  const seen = new Set<string>()
  for (const d of varDirs) {
    if (seen.has(d)) continue
    seen.add(d)
    await loadVarDirs(d, b)
  }
  return b.finish()
}
