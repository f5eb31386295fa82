/**
 * The `run` command: flags and settings, passwords, the reporter, Ctrl-C, then the runner (engine/run/runner.ts).
 *
 * @example
 * ```sh
 * tsplay run playbooks/hydra-pi.yml -i inventory --check
 * ```
 */
import { homedir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { Reporter } from '../events.js'
import { EventBus } from '../events.js'
import { Secrets } from '../run/secrets.js'
import { EXIT, printWarnings, reportError } from './errors.js'
import { UserErrors } from '../errors.js'
import { checkSelection } from './selection.js'
import { loadConfig, withConfig } from './config.js'
import { listing } from './listing.js'
import type { ConnectFlags } from './connectflags.js'
import { askPassword, inventorySources, parseExtraVars, prepare } from './prepare.js'
import { setupVault } from './inspect.js'
import { readLimitFiles } from './limitfile.js'
import { readPasswordFile } from './passwordfile.js'
import { onOutputGone } from './outputgone.js'
import { setModulePath } from '../load/library.js'

/** Options of `tsplay run`, as commander parses them. */
export interface RunFlags extends ConnectFlags {
  inventory?: string[]
  limit?: string
  tags: string[]
  skipTags: string[]
  extraVars: string[]
  /** `-M/--module-path`, each a `:`-separated list of library folders. */
  modulePath?: string[]
  check: boolean
  diff: boolean
  forks: number
  json: boolean
  verbose: number
  knownHosts?: string
  trustNewHostKeys: boolean
  askBecomePass: boolean
  becomePasswordFile?: string
  /** `--become-pass-file`, Ansible's other spelling of `--become-password-file`. */
  becomePassFile?: string
  /** `--conn-pass-file`, Ansible's other spelling of `--connection-password-file`. */
  connPassFile?: string
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
    const config = await loadConfig(process.cwd())
    const f = withConfig(raw as unknown as RunFlags, config, fromCli)
    // Ansible's settings (ANSIBLE_FORKS, ansible.cfg, …) where the command line and tsplay.yml say nothing
    const given = (k: string) => fromCli(k) || (config as Record<string, unknown>)[k] !== undefined
    Object.assign(f, (await import('./connectdefaults.js')).settingsDefaults(f, given))
    const limitText = f.limit
    if (f.limit !== undefined) f.limit = readLimitFiles(f.limit)
    const vault = await setupVault(f)
    setModulePath(f.modulePath ?? [])
    const extraVars = await parseExtraVars(f.extraVars)
    const prepared = await prepare(playbookPath, inventorySources(f.inventory), extraVars)
    const selection = checkSelection(prepared, { ...f, extraVars })
    if (selection.errors.length) throw new UserErrors(selection.errors)
    printWarnings([...prepared.warnings, ...selection.warnings])
    if (f.syntaxCheck) {
      process.stdout.write(`\nplaybook: ${playbookPath}\n`) // as ansible-playbook --syntax-check
      return EXIT.ok
    }
    if (f.listHosts || f.listTasks || f.listTags) {
      process.stdout.write(listing(prepared, f, extraVars))
      return EXIT.ok
    }
    const { playDefaults, poolDefaults } = await import('./connectdefaults.js')
    const defaults = playDefaults(f)
    const secrets = new Secrets()
    const passFile = f.connectionPasswordFile ?? f.connPassFile
    const becomeFile = f.becomePasswordFile ?? f.becomePassFile
    const password = passFile
      ? readPasswordFile(passFile, 'connection')
      : f.askPass
        ? await askPassword('SSH password: ')
        : undefined
    let becomePassword = process.env.TSPLAY_BECOME_PASSWORD || undefined
    // as ansible-playbook -k -K: an empty become password is the SSH password
    if (becomeFile) becomePassword = readPasswordFile(becomeFile, 'become')
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
    // the reader of the output went away (`| head`): stop as a first Ctrl-C does
    const offOutput = onOutputGone(() => (stopping.requested = true))
    const { runPlaybook } = await import('../run/runner.js')
    try {
      const out = await runPlaybook({
        ...prepared,
        opts: {
          check: f.check,
          diff: f.diff,
          forks: f.forks,
          limit: f.limit,
          limitText,
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
      offOutput()
    }
  } catch (e) {
    return reportError(e)
  }
}

/** Lines typed on standard input, read by one reader for the whole run (answers may arrive ahead of the prompts). */
let stepLines: { next(): Promise<string | undefined>; close(): void } | undefined

async function stdinLines(): Promise<{ next(): Promise<string | undefined>; close(): void }> {
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
