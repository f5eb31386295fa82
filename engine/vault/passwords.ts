/**
 * Where vault passwords come from, as ansible-playbook reads them: `--vault-password-file FILE` and
 * `ANSIBLE_VAULT_PASSWORD_FILE` (vault id `default`), `--vault-id [LABEL@]SOURCE` (SOURCE a file or `prompt`) and
 * `ANSIBLE_VAULT_IDENTITY_LIST`, `--ask-vault-pass`. A file's content, trimmed, is the password; an executable
 * file is run (no shell, the terminal's stdin and stderr, so it may prompt) and its standard output, without
 * trailing line breaks, is the password; a script named `…-client` or `…-client.EXT` is also given
 * `--vault-id LABEL`.
 *
 * @example
 * ```ts
 * const secrets = await readVaultSources({ ids: ['prod@~/.vault-prod'], files: [], ask: false }, askPassword)
 * ```
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { basename, extname } from 'node:path'
import { UserError } from '../errors.js'
import type { SourcePos } from '../types.js'
import type { VaultSecret } from './keyring.js'

/** The vault options of a command line. */
export interface VaultOptions {
  /** `--vault-id` values, in order. */
  ids: readonly string[]
  /** `--vault-password-file` values, in order. */
  files: readonly string[]
  /** `--ask-vault-pass`. */
  ask: boolean
  /** `ANSIBLE_VAULT_PASSWORD_FILE`: one more password file, after the `--vault-password-file` ones. */
  envFile?: string
  /** `ANSIBLE_VAULT_IDENTITY_LIST` (comma-separated `[LABEL@]SOURCE`): vault ids before the `--vault-id` ones. */
  envIds?: string
}

const CLI: SourcePos = { file: '(command line)', line: 1, col: 1 }
/** `--ask-vault-pass`'s source (its prompt has no vault id, as Ansible's). */
const ASK = Symbol('ask')

/** Read every password the options name; `ask` prompts on the terminal without echo. */
export async function readVaultSources(
  o: VaultOptions,
  ask: (prompt: string) => Promise<string>,
): Promise<VaultSecret[]> {
  const out: VaultSecret[] = []
  const sources: { label: string; source: string | typeof ASK }[] = []
  const envIds = (o.envIds ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
  for (const id of [...envIds, ...o.ids]) {
    const at = id.indexOf('@')
    const label = at > 0 ? id.slice(0, at) : 'default'
    const source = at >= 0 ? id.slice(at + 1) : id
    if (!source) throw new UserError(`--vault-id ${JSON.stringify(id)}: give a file or "prompt" after the "@"`, CLI)
    sources.push({ label, source })
  }
  for (const f of [...o.files, ...(o.envFile ? [o.envFile] : [])]) sources.push({ label: 'default', source: f })
  if (o.ask) sources.unshift({ label: 'default', source: ASK })
  for (const { label, source } of sources) {
    if (source === 'prompt' || source === ASK) {
      const pw = (await ask(source === ASK ? 'Vault password: ' : `Vault password (${label}): `)).trim()
      if (!pw) throw new UserError('Invalid vault password was provided: the answer was empty', CLI)
      out.push({ label, password: pw })
    } else out.push({ label, password: passwordFromFile(source.replace(/^~(?=\/|$)/, homedir()), label) })
  }
  return out
}

/** A password file's password, or an executable's output. */
function passwordFromFile(file: string, label: string): string {
  let st
  try {
    st = statSync(file)
  } catch {
    throw new UserError(`vault password file not found: ${file}`, CLI)
  }
  if (st.isDirectory()) throw new UserError(`vault password file ${file} is a folder`, CLI)
  if ((st.mode & 0o111) === 0) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (e) {
      throw new UserError(`cannot read vault password file ${file}: ${(e as Error).message}`, CLI)
    }
    const pw = text.trim()
    if (!pw) throw new UserError(`Invalid vault password was provided from file (${file}): it is empty`, CLI)
    return pw
  }
  const client = basename(file, extname(file)).endsWith('-client')
  const r = spawnSync(file, client ? ['--vault-id', label] : [], {
    stdio: ['inherit', 'pipe', 'inherit'],
    encoding: 'utf8',
  })
  if (r.error) {
    throw new UserError(
      `cannot run vault password script ${file}: ${r.error.message}`,
      CLI,
      '(if it is not a script, remove its executable bit)',
    )
  }
  if (r.status !== 0) {
    const why = client && r.status === 2 ? ` (it found no secret for vault id "${label}")` : ''
    throw new UserError(`vault password script ${file} exited with status ${r.status ?? r.signal}${why}`, CLI)
  }
  const pw = r.stdout.replace(/^[\r\n]+|[\r\n]+$/g, '')
  if (!pw) throw new UserError(`Invalid vault password was provided from script (${file}): it printed nothing`, CLI)
  return pw
}
