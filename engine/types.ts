/**
 * Core data types shared by the engine and the modules.
 *
 * Commands are data: an argv array plus env, cwd, stdin and the user to run as. They are turned
 * into shell text in exactly one place (`engine/ssh/quote.ts`), never by concatenating user values.
 */

/** A command to run on a target host. */
export interface Command {
  /** Program and arguments. Never shell text built from user values. */
  argv: readonly string[]
  /** Extra environment variables (not for secrets: use `stdin`). */
  env?: Readonly<Record<string, string>>
  /** Working directory on the host. */
  cwd?: string
  /** Bytes written to the command's standard input (file contents, secrets). */
  stdin?: string | Uint8Array
  /** `stdin` holds a secret: it is never logged or shown. */
  secretStdin?: boolean
  /**
   * Run as this user through sudo, whatever the task's `become` says (e.g. `postgres`).
   * When unset, the runner applies the task's `become`/`become_user`.
   */
  runAs?: string
  /** Kill the command on the host after this many seconds (`timeout -k`). */
  timeoutSec?: number
  /** Exit codes that count as success; default `[0]`. */
  okCodes?: readonly number[]
  /** Stream output while it runs (long builds): uses its own channel instead of the shell session. */
  stream?: boolean
  /** One line saying what the command does, for `-v` and check mode ("install nginx"). */
  describe?: string
  /**
   * A step that only makes room for the change after it (a missing parent folder): when that change then fails,
   * the task reports `changed: false`, as Ansible's module does.
   */
  prepares?: boolean
  /** An atomic write with `backup`: a `backup_file=PATH` line on stdout names the backup it made. */
  reportsBackup?: boolean
}

/** What a command returned. Output is decoded as UTF-8. */
export interface CommandResult {
  rc: number
  stdout: string
  stderr: string
}

/** A file's content before and after a change, for `--diff`. */
export interface FileDiff {
  path: string
  before: string
  after: string
}

/**
 * The host facts: what tsplay knows about a host, gathered once per host in one round trip (see engine/facts.ts)
 * and read by playbooks as `facts.*`, `ansible_*` and `ansible_facts`. ("facts" means only this; what a module's
 * gather reads before planning is that module's state.)
 */
export interface HostFacts {
  hostname: string
  fqdn: string
  /** `uname -m`: aarch64, armv7l, armv6l, x86_64 … */
  architecture: string
  /** Nix system name derived from the architecture: aarch64-linux, armv7l-linux, x86_64-linux … */
  nix_system: string
  kernel: string
  /** `uname -s`: `Linux` (Ansible's `ansible_system`). */
  system?: string
  distribution: { id: string; version: string; major_version: string; codename: string; like: string }
  /** systemd, sysvinit, … */
  init: string
  /** The package manager found on the host (apt, dnf, yum, apk, pacman, zypper), or empty. */
  pkg_mgr: string
  memtotal_mb: number
  processor_count: number
  machine_id: string
  boot_id: string
  user: string
  home: string
  /** The kernel's SELinux mode (`ansible_selinux`); `disabled` where SELinux is off or missing. */
  selinux?: 'enforcing' | 'permissive' | 'disabled'
  /** Whether libselinux is there (Ansible's `ansible_selinux_python_present`: its SELinux facts load it). */
  selinux_python?: boolean
  /** Local facts from `fact_path`'s `*.fact` files (`ansible_local`): file name → value. */
  local?: Record<string, unknown>
  /** `ansible_virtualization_*` (engine/virtfacts.ts). */
  virtualization?: { type: string; role: string; guest: string[]; host: string[] }
  /** Ansible's other common facts under their `ansible_*` names (engine/morefacts.ts): date_time, env, network, … */
  more?: Vars
  /**
   * The `gather_subset` they were gathered with (engine/factsubset.ts): its fact collectors, which decide the
   * `ansible_*` names, and the subset as given. None: all of them.
   */
  subset?: FactSubset
  /** The host's `python3`, as it describes itself (`ansible_python`, engine/pythonfacts.ts), when it has one. */
  python?: {
    executable: string
    version: { major: number; minor: number; micro: number; releaselevel: string; serial: number }
    type: string
    has_sslcontext: boolean
  }
}

/** What a `gather_subset` selects: Ansible's fact collectors to run, and the subset as given. */
export interface FactSubset {
  collectors: string[]
  given: string[]
}

/** Variables visible to templates and expressions. */
export type Vars = Record<string, unknown>

/** A source position: every user-facing error names one. */
export interface SourcePos {
  file: string
  line: number
  col: number
}

/** Task result statuses, as in Ansible's recap. */
export type TaskStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable'

interface ResultBase {
  host: string
  /** Values registered with `register` (rc, stdout, stat, …) */
  data: Record<string, unknown>
  msg?: string
  /** A loop's item labels (`loop_control.label`, else the item), one per `data.results` entry, for the output. */
  itemLabels?: string[]
  /** The module a template named (`action: "{{ m }}"`), as it rendered on this host. */
  module?: string
}
/** The result of one task on one host: a tagged union by status. */
export type TaskResult =
  | (ResultBase & { status: 'ok' })
  | (ResultBase & { status: 'changed'; diff?: FileDiff[]; changes?: string[] })
  | (ResultBase & { status: 'failed'; msg: string; ignored: boolean; rescued?: boolean })
  | (ResultBase & { status: 'skipped'; reason: string })
  | (ResultBase & { status: 'unreachable'; msg: string; ignored?: boolean })

/** Jinja's delimiters (the `template` module's `variable_start_string`, …): `{{ }}`, `{% %}`, `{# #}` by default. */
export interface JinjaDelimiters {
  variableStart: string
  variableEnd: string
  blockStart: string
  blockEnd: string
  commentStart: string
  commentEnd: string
}

/** Jinja's environment settings a `template` task (or a template's `#jinja2:` line) may change. */
export interface JinjaOptions {
  trimBlocks: boolean
  lstripBlocks: boolean
  /** Other delimiters than `{{ }}`, `{% %}`, `{# #}`. */
  delimiters?: JinjaDelimiters
}

/** An Ansible Python plugin file and the kind of plugins it holds (engine/expr/pyplugins.ts runs them). */
export interface PluginFile {
  kind: 'filter' | 'test' | 'lookup'
  file: string
  /**
   * A collection's filters or tests (`file`: its `plugins/filter/` folder): `ns.coll`, the playbook's folder, and
   * the names the playbook uses, each to its full name (`ipaddr` → `ansible.utils.ipaddr`, a short name ansible-core
   * routes there; `ansible.utils.ipwrap` → itself).
   */
  collection?: { name: string; playbookDir: string; aliases: Record<string, string> }
}
