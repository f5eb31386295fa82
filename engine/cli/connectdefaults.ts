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

/** Ansible's `forks` setting when it is set (`ANSIBLE_FORKS`, ansible.cfg), else undefined (tsplay's default). */
export const ansibleForks = (): number | undefined => setting('DEFAULT_FORKS') as number | undefined
