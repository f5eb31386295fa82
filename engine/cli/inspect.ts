/**
 * The `validate` and `hosts` commands, and the vault options all commands share.
 *
 * @example
 * ```sh
 * tsplay validate playbooks/hydra-pi.yml -i inventory   # everything checkable without contacting a host
 * tsplay hosts -l builders                              # the hosts a run would target, with their groups
 * ```
 */
import { selectHosts } from '../inventory/patterns.js'
import { groupNames } from '../inventory/vars.js'
import { setVaultSecrets } from '../vault/keyring.js'
import { EXIT, printWarnings, reportError } from './errors.js'
import { loadConfig } from './config.js'
import { askPassword, inventorySources, parseExtraVars, prepare } from './prepare.js'
import { readLimitFiles } from './limitfile.js'
import { setModulePath } from '../load/library.js'
import { ansibleSetting as setting } from '../run/config-read.js'

/** Options of `tsplay validate`. */
export interface ValidateFlags extends VaultFlags {
  inventory?: string[]
  extraVars: string[]
  modulePath?: string[]
}

/** Options of `tsplay hosts`. */
export interface HostsFlags extends VaultFlags {
  inventory?: string[]
  limit: string
  json: boolean
}

/** The vault options of `run`, `validate` and `hosts`. */
interface VaultFlags {
  vaultPasswordFile: string[]
  /** `--vault-pass-file`, Ansible's other spelling. */
  vaultPassFile?: string[]
  vaultId: string[]
  askVaultPass: boolean
  /** `--ask-vault-password`, Ansible's other spelling. */
  askVaultPassword?: boolean
}

/** Read the vault passwords the flags (or ANSIBLE_VAULT_PASSWORD_FILE) name, before any file is read. */
export async function setupVault(f: VaultFlags) {
  const { readVaultSources } = await import('../vault/passwords.js')
  const list = await readVaultSources(
    {
      ids: f.vaultId ?? [],
      files: [...(f.vaultPasswordFile ?? []), ...(f.vaultPassFile ?? [])],
      ask: (f.askVaultPass || f.askVaultPassword) ?? false,
      // Ansible's settings: the environment, else ansible.cfg (a file there is relative to its folder)
      envFile: (setting('DEFAULT_VAULT_PASSWORD_FILE') as string | null) || undefined,
      envIds: (setting('DEFAULT_VAULT_IDENTITY_LIST') as string[]).join(','),
    },
    askPassword,
  )
  setVaultSecrets(list)
  return list
}

export async function validateCommand(playbookPath: string, o: ValidateFlags): Promise<number> {
  try {
    await setupVault(o)
    setModulePath(o.modulePath ?? [])
    const extraVars = await parseExtraVars(o.extraVars)
    const p = await prepare(
      playbookPath,
      inventorySources(o.inventory ?? (await loadConfig(process.cwd())).inventory),
      extraVars,
    )
    const tasks = p.playbook.plays.reduce((n, pl) => n + countTasks(pl.tasks) + pl.handlers.length, 0)
    printWarnings(p.warnings)
    const hosts = [...p.inventory.hosts.values()].filter((h) => !h.implicit).length // not the implicit localhost
    process.stdout.write(
      `${playbookPath}: valid (${p.playbook.plays.length} plays, ${tasks} tasks, ${hosts} ` +
        `hosts in the inventory); nothing was contacted.\n`,
    )
    return EXIT.ok
  } catch (e) {
    return reportError(e)
  }
}

function countTasks(nodes: readonly { kind: string; block?: unknown; rescue?: unknown; always?: unknown }[]): number {
  let n = 0
  for (const x of nodes) {
    if (x.kind === 'task') n++
    else for (const k of ['block', 'rescue', 'always'] as const) n += countTasks((x[k] as typeof nodes) ?? [])
  }
  return n
}

export async function hostsCommand(o: HostsFlags): Promise<number> {
  try {
    await setupVault(o)
    const { loadInventory } = await import('../inventory/load.js')
    const inv = await loadInventory(inventorySources(o.inventory ?? (await loadConfig(process.cwd())).inventory))
    const sel = selectHosts(inv, readLimitFiles(o.limit))
    const rows = sel.hosts.map((h) => ({ host: h, groups: groupNames(inv, h) }))
    if (o.json) process.stdout.write(JSON.stringify(rows) + '\n')
    else {
      const w = Math.max(4, ...rows.map((r) => r.host.length))
      process.stdout.write(
        `  hosts (${rows.length}):\n` +
          rows.map((r) => `    ${r.host.padEnd(w)}  ${r.groups.join(', ')}`).join('\n') +
          (rows.length ? '\n' : ''),
      )
    }
    if (sel.unmatched.length) process.stderr.write(`[WARNING]: nothing matched: ${sel.unmatched.join(', ')}\n`)
    return EXIT.ok
  } catch (e) {
    return reportError(e)
  }
}
