/**
 * `ansible-playbook`'s connection and privilege options, for `tsplay run`: `-b/--become`, `--become-user`,
 * `--become-method`, `-u/--user`, `--private-key/--key-file`, `-c/--connection`, `-T/--timeout` and `-k/--ask-pass`.
 * As in Ansible each is a default: a play's (block's, task's) keyword and a host's variables win over it. An option
 * not given comes from Ansible's settings when they are set (`ANSIBLE_BECOME`, `ANSIBLE_REMOTE_USER`,
 * `ANSIBLE_PRIVATE_KEY_FILE`, `ANSIBLE_TIMEOUT`, … or the same in ansible.cfg), as ansible-playbook reads them
 * (engine/cli/connectdefaults.ts). This file only declares the options, so the CLI starts without the settings.
 *
 * @example
 * ```sh
 * tsplay run site.yml -b -K -u pi --private-key ~/.ssh/pi   # as `ansible-playbook site.yml -b -K -u pi …`
 * ```
 */
import { Option, type Command } from 'commander'
import { UserError } from '../errors.js'

/** The options as commander parses them. */
export interface ConnectFlags {
  become?: boolean
  becomeUser?: string
  becomeMethod?: string
  user?: string
  privateKey?: string
  /** `--key-file`, Ansible's other spelling of `--private-key`. */
  keyFile?: string
  connection?: string
  timeout?: number
  askPass?: boolean
  /** `--connection-password-file`: the SSH password from a file, a script's output or stdin (`-`). */
  connectionPasswordFile?: string
}

const seconds = (v: string): number => {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1) throw new UserError(`-T/--timeout must be a whole number of seconds, found "${v}"`)
  return n
}

/** Add the options to `run`. */
export function addConnectOptions(cmd: Command): Command {
  return cmd
    .option('-b, --become', 'become another user on the hosts (as the play keyword become: true)')
    .option('--become-user <user>', 'the user to become (default root)')
    .addOption(new Option('--become-method <method>', 'how to become it').choices(['sudo', 'su', 'doas']))
    .option('-u, --user <user>', 'log in as this user (as the play keyword remote_user)')
    .option('--private-key <file>', 'the SSH private key to log in with')
    .addOption(new Option('--key-file <file>').hideHelp())
    .addOption(new Option('-c, --connection <type>', 'how to reach the hosts').choices(['ssh', 'smart', 'local']))
    .option('-T, --timeout <seconds>', 'seconds to wait for an SSH connection (default 10)', seconds)
    .option('-k, --ask-pass', 'ask for the SSH login password', false)
    .addOption(
      new Option(
        '--connection-password-file <file>',
        'the SSH login password: a file, a script printing it, or - (stdin)',
      ).conflicts('askPass'),
    )
    .addOption(new Option('--conn-pass-file <file>').hideHelp().conflicts('askPass'))
}
