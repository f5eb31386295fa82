/**
 * The `tsplay` command line. Only commander is loaded up front; each command loads what it needs, so
 * `tsplay --help` starts fast.
 *
 * @example
 * ```sh
 * tsplay run playbooks/hydra-pi.yml -e @~/secrets.yml --limit pi1
 * ```
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { addConnectOptions } from './connectflags.js'
import { watchOutput } from './outputgone.js'
import { EXIT, reportError } from './errors.js'
import type { HostsFlags, ValidateFlags } from './inspect.js'

const collect = (v: string, prev: string[] = []) => [...prev, v]
const splitTags = (v: string, prev: string[] = []) => [
  ...prev,
  ...v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
]
const verbose = (_: string, prev = 0) => prev + 1

const VAULT_FILE_HELP =
  'vault password file; an executable is run and its output is the password (repeatable; ' +
  '$ANSIBLE_VAULT_PASSWORD_FILE adds one)'
const VAULT_ID_HELP = 'a vault password with its vault id: a file or "prompt" (repeatable)'

/** The vault options of `run`, `validate` and `hosts`, with Ansible's other spellings hidden from the help. */
const MODULE_PATH_HELP = 'folders of library modules, `:`-separated, searched first (repeatable)'

function withVaultOptions(c: Command): Command {
  return c
    .option('--vault-password-file <file>', VAULT_FILE_HELP, collect, [])
    .addOption(new Option('--vault-pass-file <file>').argParser(collect).default([]).hideHelp())
    .option('--vault-id <[label@]source>', VAULT_ID_HELP, collect, [])
    .option('-J, --ask-vault-pass', 'ask for the vault password', false)
    .addOption(new Option('--ask-vault-password').default(false).hideHelp())
}

/** Build the command tree (exported for the docs generator and tests). */
export function program(): Command {
  const p = new Command('tsplay')
    .description('A fast, typed, agentless playbook engine (Ansible-style YAML over SSH).')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
  const run = p
    .command('run')
    .description('Run a playbook against the inventory.')
    .argument('<playbook>', 'playbook YAML file')
    .option(
      '-i, --inventory <path>',
      'inventory file or folder, or hosts: a,b, (repeatable; default $TSPLAY_INVENTORY or ./inventory; none: ' +
        'only localhost)',
      collect,
    )
    .option(
      '-l, --limit <pattern>',
      'further limit the hosts (pattern: all, group, host, a:b, a:&b, a:!b, globs, @file of patterns)',
    )
    .option('-M, --module-path <paths>', MODULE_PATH_HELP, collect, [])
    .option('-t, --tags <tags>', 'only run tasks with these tags (comma separated, repeatable)', splitTags, [])
    .option('--skip-tags <tags>', 'skip tasks with these tags', splitTags, [])
    .option(
      '-e, --extra-vars <vars>',
      'extra variables: k=v, @file.yml or JSON (repeatable; highest precedence)',
      collect,
      [],
    )
    .option('-C, --check', 'check mode: change nothing, report what would change', false)
    .option('-D, --diff', 'show file content changes as unified diffs', false)
    .option('-f, --forks <n>', 'hosts worked on in parallel', (v) => parsePositive(v, '--forks'), 25)
    .option('--json', 'JSON lines on stdout (one per task result, then the recap)', false)
    .option('-v, --verbose', 'more output (-v commands and changes, -vv output of commands)', verbose, 0)
    .option('--known-hosts <file>', 'known_hosts file for host key checks (default ~/.ssh/known_hosts)')
    .option('--trust-new-host-keys', 'accept and record unknown host keys (a changed key is always refused)', false)
    .option(
      '-K, --ask-become-pass',
      "ask for the become password: sudo's, or the su target user's (or set TSPLAY_BECOME_PASSWORD)",
      false,
    )
    .addOption(
      new Option(
        '--become-password-file <file>',
        'the become password: a file, a script printing it, or - (stdin)',
      ).conflicts('askBecomePass'),
    )
    .addOption(new Option('--become-pass-file <file>').hideHelp().conflicts('askBecomePass'))
    .option('--flush-cache', "accepted as ansible-playbook's: tsplay keeps no fact cache between runs", false)
    .option('--task-timeout <seconds>', 'default timeout per task; the command is killed on the host', (v) =>
      parsePositive(v, '--task-timeout'),
    )
    .option(
      '--retries <n>',
      "retry a task when its host's connection drops, once the host is back",
      (v) => parseCount(v, '--retries'),
      0,
    )
    .option(
      '--reconnect-timeout <seconds>',
      'how long to wait for a dropped host to come back',
      (v) => parsePositive(v, '--reconnect-timeout'),
      300,
    )
    .option('--start-at-task <name>', 'start the playbook at the task with this name')
    .option('--force-handlers', 'run notified handlers even on hosts that failed', false)
    .option('--step', 'confirm each task before it runs (y/n/c)', false)
    .option('--list-hosts', 'list the hosts each play would target, and stop', false)
    .option('--list-tasks', 'list the tasks each play would run, and stop', false)
    .option('--list-tags', 'list the tags in the playbook, and stop', false)
    .option('--syntax-check', 'check the playbook (as validate) and stop', false)
    .addOption(new Option('--output <kind>', 'reporter').choices(['auto', 'live', 'plain', 'json']).default('auto'))
  addConnectOptions(run).action(async (playbook: string, o: Record<string, unknown>, cmd: Command) => {
    const { runCommand } = await import('./run.js')
    process.exitCode = await runCommand(playbook, o, (k) => cmd.getOptionValueSource(k) === 'cli')
  })
  p.command('validate')
    .description('Check a playbook and inventory without contacting any host.')
    .argument('<playbook>', 'playbook YAML file')
    .option('-i, --inventory <path>', 'inventory file or folder, or hosts: a,b, (repeatable)', collect)
    .option('-e, --extra-vars <vars>', 'extra variables (as for run)', collect, [])
    .option('-M, --module-path <paths>', MODULE_PATH_HELP, collect, [])
    .action(async (playbook: string, o: ValidateFlags) => {
      const { validateCommand } = await import('./inspect.js')
      process.exitCode = await validateCommand(playbook, o)
    })
  p.command('hosts')
    .description('List the hosts of the inventory (or a pattern) with their groups.')
    .option('-i, --inventory <path>', 'inventory file or folder, or hosts: a,b, (repeatable)', collect)
    .option('-l, --limit <pattern>', 'host pattern', 'all')
    .option('--json', 'JSON output', false)
    .action(async (o: HostsFlags) => {
      const { hostsCommand } = await import('./inspect.js')
      process.exitCode = await hostsCommand(o)
    })
  p.command('modules')
    .description('List the modules with a one-line summary.')
    .action(async () => {
      const { modulesCommand } = await import('./docs.js')
      process.exitCode = await modulesCommand()
    })
  p.command('doc')
    .description(
      "Show a module's arguments (type, default, choices, description), what decides changed, check mode, an example.",
    )
    .argument('<module>', 'module name')
    .action(async (name: string) => {
      const { docCommand } = await import('./docs.js')
      process.exitCode = await docCommand(name)
    })
  p.command('schema')
    .description('Print a JSON Schema (draft-07) for editor completion (yaml-language-server).')
    .argument('[kind]', 'playbook, inventory, tasks, vars or config', 'playbook')
    .action(async (kind: string) => {
      const { schemaCommand } = await import('./docs.js')
      process.exitCode = await schemaCommand(kind)
    })
  for (const c of p.commands) if (['run', 'validate', 'hosts'].includes(c.name())) withVaultOptions(c)
  return p
}

function parsePositive(v: string, flag: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${flag} must be a whole number of at least 1.`)
  return n
}

function parseCount(v: string, flag: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${flag} must be a whole number of at least 0.`)
  return n
}

/** Entry point: parse argv, run, set the exit code. */
export async function main(argv: string[]): Promise<void> {
  watchOutput()
  // Node exits when nothing is left to wait for, even with a promise pending: that would be a bug, never a success.
  let done = false
  process.once('beforeExit', () => {
    if (done) return
    process.stderr.write(
      'INTERNAL ERROR: tsplay stopped before the run ended (nothing left to wait for). This is a bug in ' +
        'tsplay; please report it.\n',
    )
    process.exitCode = 1
  })
  try {
    await run(argv)
  } finally {
    done = true
  }
}

async function run(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv, { from: 'user' })
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') {
        process.exitCode = 0
        return
      }
      process.exitCode = EXIT.invalid
      return
    }
    process.exitCode = reportError(e)
  }
}
