/**
 * The project config file `tsplay.yml` (in the folder tsplay runs from): defaults for `tsplay run` flags, like
 * Ansible's ansible.cfg. Flags given on the command line win over it. Validated with a TypeBox schema and ajv;
 * mistakes are `UserError`s with file:line:col (and a "did you mean" for a misspelt setting). Paths are relative
 * to the file's folder; `~/` is the home folder.
 *
 * @example
 * ```yaml
 * # tsplay.yml
 * forks: 10
 * inventory: inventory/          # or a list
 * known_hosts: ~/.ssh/known_hosts_pis
 * task_timeout: 3600
 * ```
 */
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import type { Static } from '@sinclair/typebox'
import type { Ajv } from 'ajv'
import { UserError, UserErrors } from '../errors.js'
import type { ConfigSchema } from '../schema/config.js'
import { coerce, describeSchema, newAjv } from '../load/args.js'
import { describeValue } from '../load/context.js'
import { didYouMean } from '../source/suggest.js'
import { bestPos, keyPos, readYamlFile } from '../source/yaml.js'

/** The name of the config file (the schema, built with TypeBox, is loaded only when the file exists). */
const CONFIG_FILE = 'tsplay.yml'
type ConfigFile = Static<typeof ConfigSchema>

/** Defaults read from `tsplay.yml`, named like `tsplay run`'s parsed flags (RunFlags); only what the file sets. */
export interface ConfigDefaults {
  /** The file they came from; unset when there is none. */
  file?: string
  inventory?: string[]
  forks?: number
  knownHosts?: string
  trustNewHostKeys?: boolean
  taskTimeout?: number
  retries?: number
  reconnectTimeout?: number
  output?: 'auto' | 'live' | 'plain' | 'json'
  verbose?: number
  diff?: boolean
  askBecomePass?: boolean
}

let compiled: ReturnType<Ajv['compile']> | undefined
/** Loaded and compiled on first use: most runs have no tsplay.yml and should not pay for TypeBox or ajv. */
async function configSchema() {
  const { ConfigSchema } = await import('../schema/config.js')
  compiled ??= newAjv({ allErrors: true, strict: true }).compile(ConfigSchema)
  return { ConfigSchema, validate: compiled }
}

/** `~/x` → home; relative → against the config file's folder. */
function path(base: string, p: string): string {
  return p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : resolve(base, p)
}

/**
 * Read `tsplay.yml` from `cwd`. No file: `{}`. Throws `UserErrors` listing every mistake with its position.
 */
export async function loadConfig(cwd: string): Promise<ConfigDefaults> {
  const file = join(cwd, CONFIG_FILE)
  if (!existsSync(file)) return {}
  const doc = await readYamlFile(file)
  const raw = doc.value
  if (raw === undefined || raw === null) return { file }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UserError(`${CONFIG_FILE} must be a map of settings, found ${describeValue(raw)}`, doc.pos)
  }
  const { ConfigSchema, validate } = await configSchema()
  const data = coerce(ConfigSchema as unknown as Record<string, unknown>, structuredClone(raw)) as ConfigFile
  if (!validate(data)) {
    const props = (ConfigSchema.properties ?? {}) as Record<string, Record<string, unknown>>
    throw new UserErrors(
      (validate.errors ?? [])
        .map((e) => {
          if (e.keyword === 'additionalProperties') {
            const key = String((e.params as { additionalProperty: string }).additionalProperty)
            return new UserError(
              `unknown setting "${key}" in ${CONFIG_FILE}`,
              keyPos(raw, key) ?? doc.pos,
              didYouMean(key, Object.keys(props)) ?? `(settings: ${Object.keys(props).join(', ')})`,
            )
          }
          const key = e.instancePath.split('/')[1] ?? ''
          const value = (raw as Record<string, unknown>)[key]
          const limit = (e.params as { limit?: number }).limit
          const want =
            e.keyword === 'minimum'
              ? `a whole number ≥ ${limit}`
              : e.keyword === 'maximum'
                ? `a whole number ≤ ${limit}`
                : describeSchema(props[key])
          return new UserError(
            `"${key}" in ${CONFIG_FILE} must be ${want}, found ${describeValue(value)}`,
            bestPos(raw, key, doc.pos),
          )
        })
        .filter((e, i, all) => all.findIndex((x) => x.format() === e.format()) === i),
    )
  }
  const base = dirname(file)
  const out: ConfigDefaults = { file }
  if (data.inventory !== undefined)
    out.inventory = (Array.isArray(data.inventory) ? data.inventory : [data.inventory]).map((p) => path(base, p))
  if (data.forks !== undefined) out.forks = data.forks
  if (data.known_hosts !== undefined) out.knownHosts = path(base, data.known_hosts)
  if (data.trust_new_host_keys !== undefined) out.trustNewHostKeys = data.trust_new_host_keys
  if (data.task_timeout !== undefined) out.taskTimeout = data.task_timeout
  if (data.retries !== undefined) out.retries = data.retries
  if (data.reconnect_timeout !== undefined) out.reconnectTimeout = data.reconnect_timeout
  if (data.output !== undefined) out.output = data.output
  if (data.verbose !== undefined) out.verbose = data.verbose
  if (data.diff !== undefined) out.diff = data.diff
  if (data.ask_become_pass !== undefined) out.askBecomePass = data.ask_become_pass
  return out
}

/**
 * Flags with the config's defaults filled in where the user gave no flag. `fromCli(key)` says whether the
 * user set the flag (commander: `cmd.getOptionValueSource(key) === 'cli'`).
 *
 * @example
 * ```ts
 * const flags = withConfig(o, await loadConfig(process.cwd()), (k) => cmd.getOptionValueSource(k) === 'cli')
 * ```
 */
export function withConfig<T extends object>(flags: T, config: ConfigDefaults, fromCli: (key: string) => boolean): T {
  const out: Record<string, unknown> = { ...(flags as Record<string, unknown>) }
  for (const [key, value] of Object.entries(config)) {
    if (key === 'file' || value === undefined || fromCli(key)) continue
    out[key] = value
  }
  return out as T
}
