/**
 * The run's defaults from `ansible-playbook`'s connection and privilege options (engine/cli/connectflags.ts), or,
 * for an option not given, from Ansible's settings when they are set (environment or ansible.cfg).
 *
 * @example
 * ```ts
 * playDefaults({ become: true, user: 'pi' }) // { become: true, remoteUser: 'pi', … }
 * ```
 */
import { homedir } from 'node:os'
import { UserError } from '../errors.js'
import { methodName } from '../load/become.js'
import type { RunOptions } from '../run/context.js'
import { settingValue } from '../run/config-read.js'
import { GLOBAL_SETTINGS } from '../run/config-settings.js'
import type { PoolOptions } from '../run/hosts.js'
import type { ConnectFlags } from './connectflags.js'

/** An Ansible setting's value when it is set (differs from Ansible's default), else undefined. */
function setting(name: string): unknown {
  const s = GLOBAL_SETTINGS[name]!
  const v = settingValue(s, name)
  return v === s.def || v === null || v === '' ? undefined : v
}

/** The plays' keyword defaults the options (or Ansible's settings) give. */
export function playDefaults(f: ConnectFlags): NonNullable<RunOptions['playDefaults']> {
  const value = f.becomeMethod ?? (setting('DEFAULT_BECOME_METHOD') as string | undefined)
  const method = value === undefined ? undefined : methodName(value)
  if (value !== undefined && !method)
    throw new UserError(`become method "${value}" (ANSIBLE_BECOME_METHOD or ansible.cfg) is not one tsplay has`, {
      file: '<settings>',
      line: 1,
      col: 1,
    })
  const transport = f.connection ?? (setting('DEFAULT_TRANSPORT') as string | undefined)
  return {
    become: f.become ?? (setting('DEFAULT_BECOME') as boolean | undefined),
    becomeUser: f.becomeUser ?? (setting('DEFAULT_BECOME_USER') as string | undefined),
    becomeMethod: method,
    remoteUser: f.user ?? (setting('DEFAULT_REMOTE_USER') as string | undefined),
    connection: transport === 'smart' ? undefined : transport,
    port: setting('DEFAULT_REMOTE_PORT') as number | undefined,
    anyErrorsFatal: setting('ANY_ERRORS_FATAL') as boolean | undefined,
  }
}

/**
 * The connection defaults the options (or Ansible's settings) give; the password is asked by the caller. Ansible's
 * `host_key_checking = False` (or `ANSIBLE_HOST_KEY_CHECKING=False`) is `--trust-new-host-keys`: an unknown host's
 * key is accepted and recorded, as OpenSSH's `StrictHostKeyChecking=no` does, but a changed key is still refused.
 */
export function poolDefaults(
  f: ConnectFlags & { trustNewHostKeys?: boolean },
): Pick<PoolOptions, 'privateKeyFile' | 'connectTimeout' | 'trustNewHostKeys'> {
  return {
    privateKeyFile: home(f.privateKey ?? f.keyFile) ?? (setting('DEFAULT_PRIVATE_KEY_FILE') as string | undefined),
    connectTimeout: f.timeout ?? (setting('DEFAULT_TIMEOUT') as number | undefined),
    trustNewHostKeys: f.trustNewHostKeys === true || setting('HOST_KEY_CHECKING') === false,
  }
}

/** `~/x` as a path in this user's home (a shell leaves `--private-key=~/x` as it is). */
const home = (p: string | undefined) => (p?.startsWith('~/') ? `${homedir()}${p.slice(1)}` : p)

/** The run options Ansible's settings give a default (as ansible-playbook's options do). */
export interface SettingsFlags {
  forks: number
  verbose: number
  forceHandlers: boolean
  askPass?: boolean
  askBecomePass: boolean
  becomePasswordFile?: string
  becomePassFile?: string
  connectionPasswordFile?: string
  connPassFile?: string
}

/**
 * The options Ansible's settings decide when the command line (and tsplay.yml, `given`) leave them: `forks`
 * (`ANSIBLE_FORKS`; tsplay's own default is 25, not 5), the verbosity, `force_handlers`, and the password prompts
 * `ask_pass` and `become_ask_pass` (not when a password file is given).
 */
export function settingsDefaults(f: SettingsFlags, given: (key: string) => boolean): Partial<SettingsFlags> {
  const out: Partial<SettingsFlags> = {}
  const forks = setting('DEFAULT_FORKS') as number | undefined
  if (!given('forks') && forks !== undefined && forks >= 1) out.forks = forks
  const verbosity = setting('DEFAULT_VERBOSITY') as number | undefined
  if (!given('verbose') && verbosity !== undefined && verbosity > 0) out.verbose = verbosity
  if (!f.forceHandlers && setting('DEFAULT_FORCE_HANDLERS') === true) out.forceHandlers = true
  if (!f.askPass && !(f.connectionPasswordFile ?? f.connPassFile) && setting('DEFAULT_ASK_PASS') === true)
    out.askPass = true
  if (!f.askBecomePass && !(f.becomePasswordFile ?? f.becomePassFile) && setting('DEFAULT_BECOME_ASK_PASS') === true)
    out.askBecomePass = true
  return out
}
