/**
 * The Ansible settings tsplay can give the value of (the `config` lookup), with ansible-core 2.14's defaults and
 * where Ansible reads each: play variables (plugin settings only), then environment variables, then ansible.cfg,
 * then the default. Among several names of one kind the last one set wins, as in Ansible.
 *
 * A setting is data: `def` (the default; a function of `ANSIBLE_HOME` where Ansible's default is built from it),
 * `type` (how a text value is read), `env` names, `ini` entries (`section.key`) and `vars` names.
 *
 * @example
 * ```ts
 * GLOBAL_SETTINGS.DEFAULT_FORKS // { def: 5, type: 'int', env: ['ANSIBLE_FORKS'], ini: ['defaults.forks'] }
 * ```
 */

/** How a setting's text is read: Ansible's config types. */
export type SettingType = 'bool' | 'int' | 'str' | 'list' | 'path' | 'pathspec' | 'pathlist' | 'tmppath'

/** One setting: its default and where it is read from. */
export interface Setting {
  def: unknown
  type?: SettingType
  env?: string[]
  ini?: string[]
  vars?: string[]
  /** The only values allowed, when Ansible restricts them. */
  choices?: string[]
}

/** A default built from `ANSIBLE_HOME` (Ansible templates these defaults with it). */
export type HomeDefault = (home: string) => unknown

const bool = (def: boolean, env: string, ini: string): Setting => ({ def, type: 'bool', env: [env], ini: [ini] })
const int = (def: number | null, env: string, ini: string): Setting => ({ def, type: 'int', env: [env], ini: [ini] })
const str = (def: string | null, env: string | null, ini: string): Setting => ({
  def,
  env: env ? [env] : [],
  ini: [ini],
})
const path = (env: string, ini: string): Setting => ({ def: null, type: 'path', env: [env], ini: [ini] })
const color = (key: string, def: string): Setting => str(def, `ANSIBLE_COLOR_${key.toUpperCase()}`, `colors.${key}`)

const COWS =
  'bud-frogs bunny cheese daemon default dragon elephant-in-snake elephant eyes hellokitty kitty luke-koala meow ' +
  'milk moofasa moose ren sheep small stegosaurus stimpy supermilker three-eyes turkey turtle tux udder ' +
  'vader-koala vader www'

/** The global settings (`lookup('config', 'NAME')`), by Ansible's name. */
export const GLOBAL_SETTINGS: Record<string, Setting> = {
  ANSIBLE_HOME: { def: '~/.ansible', type: 'path', env: ['ANSIBLE_HOME'], ini: ['defaults.home'] },
  DEFAULT_LOCAL_TMP: {
    def: ((home) => `${home}/tmp`) satisfies HomeDefault,
    type: 'tmppath',
    env: ['ANSIBLE_LOCAL_TEMP'],
    ini: ['defaults.local_tmp'],
  },
  DEFAULT_ROLES_PATH: {
    def: ((home) => `${home}/roles:/usr/share/ansible/roles:/etc/ansible/roles`) satisfies HomeDefault,
    type: 'pathspec',
    env: ['ANSIBLE_ROLES_PATH'],
    ini: ['defaults.roles_path'],
  },
  COLLECTIONS_PATHS: {
    def: ((home) => `${home}/collections:/usr/share/ansible/collections`) satisfies HomeDefault,
    type: 'pathspec',
    env: ['ANSIBLE_COLLECTIONS_PATHS', 'ANSIBLE_COLLECTIONS_PATH'],
    ini: ['defaults.collections_paths', 'defaults.collections_path'],
  },
  DEFAULT_HOST_LIST: {
    def: '/etc/ansible/hosts',
    type: 'pathlist',
    env: ['ANSIBLE_INVENTORY'],
    ini: ['defaults.inventory'],
  },
  DEFAULT_BECOME: bool(false, 'ANSIBLE_BECOME', 'privilege_escalation.become'),
  DEFAULT_BECOME_METHOD: str('sudo', 'ANSIBLE_BECOME_METHOD', 'privilege_escalation.become_method'),
  DEFAULT_BECOME_USER: str('root', 'ANSIBLE_BECOME_USER', 'privilege_escalation.become_user'),
  DEFAULT_BECOME_EXE: str(null, 'ANSIBLE_BECOME_EXE', 'privilege_escalation.become_exe'),
  DEFAULT_BECOME_FLAGS: str(null, 'ANSIBLE_BECOME_FLAGS', 'privilege_escalation.become_flags'),
  DEFAULT_REMOTE_USER: str(null, 'ANSIBLE_REMOTE_USER', 'defaults.remote_user'),
  DEFAULT_REMOTE_PORT: int(null, 'ANSIBLE_REMOTE_PORT', 'defaults.remote_port'),
  DEFAULT_TRANSPORT: str('smart', 'ANSIBLE_TRANSPORT', 'defaults.transport'),
  DEFAULT_TIMEOUT: int(10, 'ANSIBLE_TIMEOUT', 'defaults.timeout'),
  DEFAULT_FORKS: int(5, 'ANSIBLE_FORKS', 'defaults.forks'),
  DEFAULT_POLL_INTERVAL: int(15, 'ANSIBLE_POLL_INTERVAL', 'defaults.poll_interval'),
  DEFAULT_VERBOSITY: int(0, 'ANSIBLE_VERBOSITY', 'defaults.verbosity'),
  DEFAULT_HASH_BEHAVIOUR: {
    ...str('replace', 'ANSIBLE_HASH_BEHAVIOUR', 'defaults.hash_behaviour'),
    choices: ['replace', 'merge'],
  },
  DEFAULT_GATHERING: {
    ...str('implicit', 'ANSIBLE_GATHERING', 'defaults.gathering'),
    choices: ['smart', 'explicit', 'implicit'],
  },
  DEFAULT_KEEP_REMOTE_FILES: bool(false, 'ANSIBLE_KEEP_REMOTE_FILES', 'defaults.keep_remote_files'),
  DEFAULT_MODULE_NAME: str('command', null, 'defaults.module_name'),
  DEFAULT_MANAGED_STR: str('Ansible managed', null, 'defaults.ansible_managed'),
  DEFAULT_EXECUTABLE: str('/bin/sh', 'ANSIBLE_EXECUTABLE', 'defaults.executable'),
  DEFAULT_STDOUT_CALLBACK: str('default', 'ANSIBLE_STDOUT_CALLBACK', 'defaults.stdout_callback'),
  DEFAULT_PRIVATE_KEY_FILE: path('ANSIBLE_PRIVATE_KEY_FILE', 'defaults.private_key_file'),
  DEFAULT_LOG_PATH: path('ANSIBLE_LOG_PATH', 'defaults.log_path'),
  DEFAULT_VAULT_PASSWORD_FILE: path('ANSIBLE_VAULT_PASSWORD_FILE', 'defaults.vault_password_file'),
  DEFAULT_VAULT_IDENTITY: str('default', 'ANSIBLE_VAULT_IDENTITY', 'defaults.vault_identity'),
  DEFAULT_VAULT_IDENTITY_LIST: {
    def: [],
    type: 'list',
    env: ['ANSIBLE_VAULT_IDENTITY_LIST'],
    ini: ['defaults.vault_identity_list'],
  },
  RETRY_FILES_ENABLED: bool(false, 'ANSIBLE_RETRY_FILES_ENABLED', 'defaults.retry_files_enabled'),
  RETRY_FILES_SAVE_PATH: path('ANSIBLE_RETRY_FILES_SAVE_PATH', 'defaults.retry_files_save_path'),
  DEFAULT_JINJA2_NATIVE: bool(false, 'ANSIBLE_JINJA2_NATIVE', 'defaults.jinja2_native'),
  DEFAULT_PRIVATE_ROLE_VARS: bool(false, 'ANSIBLE_PRIVATE_ROLE_VARS', 'defaults.private_role_vars'),
  DEFAULT_UNDEFINED_VAR_BEHAVIOR: bool(true, 'ANSIBLE_ERROR_ON_UNDEFINED_VARS', 'defaults.error_on_undefined_vars'),
  DEFAULT_NO_LOG: bool(false, 'ANSIBLE_NO_LOG', 'defaults.no_log'),
  DEFAULT_DEBUG: bool(false, 'ANSIBLE_DEBUG', 'defaults.debug'),
  DEFAULT_FORCE_HANDLERS: bool(false, 'ANSIBLE_FORCE_HANDLERS', 'defaults.force_handlers'),
  DEFAULT_ASK_PASS: bool(false, 'ANSIBLE_ASK_PASS', 'defaults.ask_pass'),
  DEFAULT_BECOME_ASK_PASS: bool(false, 'ANSIBLE_BECOME_ASK_PASS', 'privilege_escalation.become_ask_pass'),
  ANY_ERRORS_FATAL: bool(false, 'ANSIBLE_ANY_ERRORS_FATAL', 'defaults.any_errors_fatal'),
  HOST_KEY_CHECKING: bool(true, 'ANSIBLE_HOST_KEY_CHECKING', 'defaults.host_key_checking'),
  DISPLAY_SKIPPED_HOSTS: bool(true, 'ANSIBLE_DISPLAY_SKIPPED_HOSTS', 'defaults.display_skipped_hosts'),
  DEPRECATION_WARNINGS: bool(true, 'ANSIBLE_DEPRECATION_WARNINGS', 'defaults.deprecation_warnings'),
  SYSTEM_WARNINGS: bool(true, 'ANSIBLE_SYSTEM_WARNINGS', 'defaults.system_warnings'),
  ACTION_WARNINGS: bool(true, 'ANSIBLE_ACTION_WARNINGS', 'defaults.action_warnings'),
  LOCALHOST_WARNING: bool(true, 'ANSIBLE_LOCALHOST_WARNING', 'defaults.localhost_warning'),
  ANSIBLE_FORCE_COLOR: bool(false, 'ANSIBLE_FORCE_COLOR', 'defaults.force_color'),
  ANSIBLE_NOCOLOR: { ...bool(false, 'ANSIBLE_NOCOLOR', 'defaults.nocolor'), env: ['ANSIBLE_NOCOLOR', 'NO_COLOR'] },
  ANSIBLE_COW_ACCEPTLIST: {
    def: COWS.split(' '),
    type: 'list',
    env: ['ANSIBLE_COW_WHITELIST', 'ANSIBLE_COW_ACCEPTLIST'],
    ini: ['defaults.cow_whitelist', 'defaults.cowsay_enabled_stencils'],
  },
  INTERPRETER_PYTHON: str('auto', 'ANSIBLE_PYTHON_INTERPRETER', 'defaults.interpreter_python'),
  COLOR_CHANGED: color('changed', 'yellow'),
  COLOR_CONSOLE_PROMPT: color('console_prompt', 'white'),
  COLOR_DEBUG: color('debug', 'dark gray'),
  COLOR_DEPRECATE: color('deprecate', 'purple'),
  COLOR_DIFF_ADD: color('diff_add', 'green'),
  COLOR_DIFF_LINES: color('diff_lines', 'cyan'),
  COLOR_DIFF_REMOVE: color('diff_remove', 'red'),
  COLOR_ERROR: color('error', 'red'),
  COLOR_HIGHLIGHT: color('highlight', 'white'),
  COLOR_OK: color('ok', 'green'),
  COLOR_SKIP: color('skip', 'cyan'),
  COLOR_UNREACHABLE: color('unreachable', 'bright red'),
  COLOR_VERBOSE: color('verbose', 'blue'),
  COLOR_WARN: color('warn', 'bright purple'),
}

/** A become plugin's settings (`method`: `sudo` or `su`), with its default command and flags. */
function become(method: string, exe: string, flags: string): Record<string, Setting> {
  const M = method.toUpperCase()
  const three = (key: string, def: string, plugin: string): Setting => ({
    def,
    env: [`ANSIBLE_BECOME_${key.toUpperCase()}`, `ANSIBLE_${M}_${key.toUpperCase()}`],
    ini: [`privilege_escalation.become_${key}`, `${method}_become_plugin.${plugin}`],
    vars: [`ansible_become_${key}`, `ansible_${method}_${key}`],
  })
  return {
    become_user: three('user', 'root', 'user'),
    become_exe: three('exe', exe, 'executable'),
    become_flags: three('flags', flags, 'flags'),
  }
}

/** The plugin settings tsplay knows (`plugin_type`/`plugin_name`), by `type/name`. */
export const PLUGIN_SETTINGS: Record<string, Record<string, Setting>> = {
  'connection/ssh': {
    remote_user: {
      def: null,
      env: ['ANSIBLE_REMOTE_USER'],
      ini: ['defaults.remote_user'],
      vars: ['ansible_user', 'ansible_ssh_user'],
    },
    port: {
      def: null,
      type: 'int',
      env: ['ANSIBLE_REMOTE_PORT'],
      ini: ['defaults.remote_port'],
      vars: ['ansible_port', 'ansible_ssh_port'],
    },
  },
  'shell/sh': {
    remote_tmp: {
      def: '~/.ansible/tmp',
      env: ['ANSIBLE_REMOTE_TEMP', 'ANSIBLE_REMOTE_TMP'],
      ini: ['defaults.remote_tmp'],
      vars: ['ansible_remote_tmp'],
    },
    system_tmpdirs: {
      def: ['/var/tmp', '/tmp'],
      type: 'list',
      env: ['ANSIBLE_SYSTEM_TMPDIRS'],
      ini: ['defaults.system_tmpdirs'],
      vars: ['ansible_system_tmpdirs'],
    },
    async_dir: {
      def: '~/.ansible_async',
      env: ['ANSIBLE_ASYNC_DIR'],
      ini: ['defaults.async_dir'],
      vars: ['ansible_async_dir'],
    },
  },
  'become/sudo': become('sudo', 'sudo', '-H -S -n'),
  'become/su': become('su', 'su', ''),
}

/** The plugin types Ansible's `config` lookup accepts. */
export const PLUGIN_TYPES = [
  'become',
  'cache',
  'callback',
  'cliconf',
  'connection',
  'httpapi',
  'inventory',
  'lookup',
  'netconf',
  'shell',
  'vars',
]
