/**
 * The `run`, `validate` and `hosts` commands.
 */
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { Reporter } from '../events.js'
import { EventBus } from '../events.js'
import { selectHosts } from '../inventory/patterns.js'
import { groupNames } from '../inventory/vars.js'
import { Secrets } from '../run/secrets.js'
import { setVaultSecrets } from '../vault/keyring.js'
import { EXIT, printWarnings, reportError } from './errors.js'
import { UserErrors } from '../errors.js'
import { checkSelection } from './selection.js'
import { loadConfig, withConfig } from './config.js'
import { listing } from './listing.js'
import type { ConnectFlags } from './connectflags.js'
import { askPassword, inventorySources, parseExtraVars, prepare } from './prepare.js'

/** Options of `tsplay run`, as commander parses them. */
export interface RunFlags extends ConnectFlags {
  inventory?: string[]
  limit?: string
  tags: string[]
  skipTags: string[]
  extraVars: string[]
  check: boolean
  diff: boolean
  forks: number
  json: boolean
  verbose: number
  knownHosts?: string
  trustNewHostKeys: boolean
  askBecomePass: boolean
  vaultPasswordFile: string[]
  vaultId: string[]
  askVaultPass: boolean
  taskTimeout?: number
  retries: number
  reconnectTimeout: number
  startAtTask?: string
  forceHandlers: boolean
  step: boolean
  listHosts: boolean
  listTasks: boolean
  listTags: boolean
  syntaxCheck: boolean
  output: 'auto' | 'live' | 'plain' | 'json'
}

/** Options of `tsplay validate`. */
export interface ValidateFlags extends VaultFlags {
  inventory?: string[]
  extraVars: string[]
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
async function setupVault(f: VaultFlags) {
  const { readVaultSources } = await import('../vault/passwords.js')
  const list = await readVaultSources(
    {
      ids: f.vaultId ?? [],
      files: [...(f.vaultPasswordFile ?? []), ...(f.vaultPassFile ?? [])],
      ask: (f.askVaultPass || f.askVaultPassword) ?? false,
      envFile: process.env.ANSIBLE_VAULT_PASSWORD_FILE || undefined,
      envIds: process.env.ANSIBLE_VAULT_IDENTITY_LIST || undefined,
    },
    askPassword,
  )
  setVaultSecrets(list)
  return list
}

function chooseReporterKind(f: RunFlags): 'live' | 'plain' | 'json' {
  if (f.json || f.output === 'json') return 'json'
  if (f.output === 'live' || f.output === 'plain') return f.output
  const tty = process.stdout.isTTY && !process.env.CI && !process.env.NO_COLOR && process.env.TERM !== 'dumb'
  return tty ? 'live' : 'plain'
}

async function makeReporter(kind: 'live' | 'plain' | 'json', f: RunFlags): Promise<Reporter> {
  if (kind === 'json') return new (await import('../report/json.js')).JsonReporter()
  if (kind === 'live')
    return new (await import('../report/live.js')).LiveReporter({ verbosity: f.verbose, diff: f.diff })
  return new (await import('../report/plain.js')).PlainReporter({ verbosity: f.verbose, diff: f.diff })
}

export async function runCommand(
  playbookPath: string,
  raw: Record<string, unknown>,
  fromCli: (key: string) => boolean = () => true,
): Promise<number> {
  try {
    // tsplay.yml in the current folder gives defaults; flags given on the command line win.
    const f = withConfig(raw as unknown as RunFlags, await loadConfig(process.cwd()), fromCli)
    const vault = await setupVault(f)
    const extraVars = await parseExtraVars(f.extraVars)
    const prepared = await prepare(playbookPath, inventorySources(f.inventory), extraVars)
    const selection = checkSelection(prepared, f)
    if (selection.errors.length) throw new UserErrors(selection.errors)
    printWarnings([...prepared.warnings, ...selection.warnings])
    if (f.syntaxCheck) {
      process.stdout.write(`\nplaybook: ${playbookPath}\n`) // as ansible-playbook --syntax-check
      return EXIT.ok
    }
    if (f.listHosts || f.listTasks || f.listTags) {
      process.stdout.write(listing(prepared, f))
      return EXIT.ok
    }
    const { playDefaults, poolDefaults } = await import('./connectdefaults.js')
    const defaults = playDefaults(f)
    const secrets = new Secrets()
    const password = f.askPass ? await askPassword('SSH password: ') : undefined
    let becomePassword = process.env.TSPLAY_BECOME_PASSWORD || undefined
    // as ansible-playbook -k -K: an empty become password is the SSH password
    if (f.askBecomePass) becomePassword = (await askPassword('BECOME password: ')) || password
    secrets.add(password)
    secrets.add(becomePassword)
    for (const v of vault) secrets.add(v.password)
    if (prepared.playbook.plays.some((p) => p.varsPrompt?.length)) {
      const { askVarsPrompts, terminalIO } = await import('./prompts.js')
      const asked = await askVarsPrompts(prepared.playbook, extraVars, terminalIO())
      asked.secrets.forEach((s) => secrets.add(s))
      for (const w of asked.warnings) process.stderr.write(`[WARNING]: ${w}\n`)
    }
    const bus = new EventBus()
    const reporter = await makeReporter(chooseReporterKind(f), f)
    bus.subscribe(reporter)
    const stopping = { requested: false }
    const abort = new AbortController()
    const onSigint = () => {
      if (!stopping.requested) {
        stopping.requested = true
        const msg = 'Interrupted: finishing the running tasks, starting no new ones (Ctrl-C again to stop now).'
        process.stderr.write(`\n${msg}\n`)
        reporter.notice?.(msg)
      } else if (!abort.signal.aborted) {
        const msg = 'Stopping now: closing connections (files are written atomically: none is left half-written).'
        process.stderr.write(`\n${msg}\n`)
        reporter.notice?.(msg)
        abort.abort()
      }
    }
    process.on('SIGINT', onSigint)
    process.on('SIGTERM', onSigint)
    const { runPlaybook } = await import('../run/runner.js')
    try {
      const out = await runPlaybook({
        ...prepared,
        opts: {
          check: f.check,
          diff: f.diff,
          forks: f.forks,
          limit: f.limit,
          tags: f.tags,
          skipTags: f.skipTags,
          extraVars,
          verbosity: f.verbose,
          taskTimeout: f.taskTimeout,
          startAtTask: f.startAtTask,
          retries: f.retries,
          reconnectTimeout: f.reconnectTimeout,
          forceHandlers: f.forceHandlers,
          confirm: f.step ? askStep : undefined,
          playDefaults: defaults,
        },
        pool: {
          knownHostsFile: f.knownHosts ?? process.env.TSPLAY_KNOWN_HOSTS ?? join(homedir(), '.ssh', 'known_hosts'),
          trustNewHostKeys: f.trustNewHostKeys,
          agentSocket: process.env.SSH_AUTH_SOCK,
          becomePassword,
          password,
          ...poolDefaults(f),
        },
        bus,
        stopping,
        signal: abort.signal,
        secrets,
      })
      return out.exitCode
    } finally {
      await bus.close() // also when the run threw: the live view ends its rows, so nothing keeps tsplay alive
      stepLines?.close() // a terminal's stdin must not keep tsplay alive after the run
      process.off('SIGINT', onSigint)
      process.off('SIGTERM', onSigint)
    }
  } catch (e) {
    return reportError(e)
  }
}

/** Lines typed on standard input, read by one reader for the whole run (answers may arrive ahead of the prompts). */
let stepLines: { next(): Promise<string | undefined>; close(): void } | undefined

async function stdinLines(): Promise<{ next(): Promise<string | undefined>; close(): void }> {
  const { createInterface } = await import('node:readline')
  const rl = createInterface({ input: process.stdin, terminal: false })
  const ready: string[] = []
  const waiting: ((l: string | undefined) => void)[] = []
  let ended = false
  rl.on('line', (l) => (waiting.length ? waiting.shift()!(l) : ready.push(l)))
  rl.on('close', () => {
    ended = true
    for (const w of waiting.splice(0)) w(undefined)
  })
  return {
    next: () =>
      ready.length
        ? Promise.resolve(ready.shift())
        : ended
          ? Promise.resolve(undefined)
          : new Promise((r) => waiting.push(r)),
    close: () => rl.close(),
  }
}

/** `--step`: Ansible's "Perform task: NAME (N)o/(y)es/(c)ontinue:" prompt. No answer (end of input) means no. */
async function askStep(task: string): Promise<'yes' | 'no' | 'continue'> {
  stepLines ??= await stdinLines()
  process.stderr.write(`Perform task: ${task} (N)o/(y)es/(c)ontinue: `)
  const a = ((await stepLines.next()) ?? '').trim().toLowerCase()
  return a.startsWith('y') ? 'yes' : a.startsWith('c') ? 'continue' : 'no'
}

export async function validateCommand(playbookPath: string, o: ValidateFlags): Promise<number> {
  try {
    await setupVault(o)
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
    const sel = selectHosts(inv, o.limit)
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
