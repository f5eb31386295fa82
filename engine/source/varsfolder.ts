/**
 * The files of a vars folder, as Ansible reads a folder in place of a vars file (`group_vars/NAME/`,
 * `host_vars/NAME/`, a role's `defaults/main/` and `vars/main/`): its `.yml`, `.yaml` and `.json` files and those
 * without an extension, sorted by name, each sub-folder without an extension searched where it sorts; hidden files
 * and `…~` backups are left out.
 *
 * @example
 * ```ts
 * varsFolderFiles('inventory/group_vars/all') // ['…/all/10-base.yml', '…/all/net/dns.yml', '…/all/zz']
 * ```
 */
import { readdirSync, statSync } from 'node:fs'
import { extname, join } from 'node:path'

/** The extensions a vars file may have (`''`: none). */
export const VARS_EXTENSIONS: readonly string[] = ['', '.yml', '.yaml', '.json']

/** `file`, `dir`, or undefined when `path` does not exist or cannot be looked at. */
export function pathKind(path: string): 'file' | 'dir' | undefined {
  try {
    return statSync(path).isDirectory() ? 'dir' : 'file'
  } catch {
    return undefined
  }
}

/** The vars files of folder `dir`, in the order Ansible reads them (later ones win). */
export function varsFolderFiles(dir: string, depth = 0): string[] {
  const out: string[] = []
  const names = readdirSync(dir)
    .filter((n) => !n.startsWith('.') && !n.endsWith('~'))
    .sort()
  for (const n of names) {
    const p = join(dir, n)
    const kind = pathKind(p)
    const ext = extname(n)
    if (kind === 'dir' && !ext && depth < 8) out.push(...varsFolderFiles(p, depth + 1))
    else if (kind === 'file' && VARS_EXTENSIONS.includes(ext)) out.push(p)
  }
  return out
}
