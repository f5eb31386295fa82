/**
 * Helpers for modules that write files: finding a controller `src` on the search path, reading a host file's
 * old content (for `--diff` and `lineinfile`), and an atomic write that can run a `validate` command on the
 * temp file before it replaces the old one.
 *
 * @example
 * ```ts
 * const file = await findSource('motd.hbs', ctx.searchPaths, 'templates') // roles/x/templates/motd.hbs
 * ```
 */
import { stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { sourceCandidates } from '../../engine/source/files.js'
import { copyFile, sh, writeFile, type WriteFileOptions } from '../../engine/commands.js'
import { ModuleFailure } from '../../engine/module.js'
import type { Command, CommandResult } from '../../engine/types.js'
import { splitArgs, SplitError } from '../../engine/source/split.js'

/** Old content bigger than this is not fetched for `--diff`. */
export const DIFF_MAX_BYTES = 1 << 20

/**
 * The controller path of `src`: absolute as given, else the first `DIR/<kind>/src` or `DIR/src` that exists
 * over the task's search paths (role folders first, then the playbook's folder). A folder is found only when
 * `folders` is set.
 */
export function findSource(
  src: string,
  searchPaths: readonly string[],
  kind: 'files' | 'templates',
  folders = false,
): Promise<string> {
  // the same source is looked up for every host of a task: once per run is enough (files do not move meanwhile)
  const key = `${kind}\0${folders}\0${src}\0${searchPaths.join('\0')}`
  let found = sources.get(key)
  if (!found) {
    found = lookUp(src, searchPaths, kind, folders)
    sources.set(key, found)
    found.catch(() => sources.delete(key)) // a missing file may appear later (an earlier task creates it)
  }
  return found
}

const sources = new Map<string, Promise<string>>()

async function lookUp(
  src: string,
  searchPaths: readonly string[],
  kind: 'files' | 'templates',
  folders: boolean,
): Promise<string> {
  const candidates = sourceCandidates(src, searchPaths, kind)
  for (const c of candidates) {
    const st = await stat(c).catch(() => undefined)
    if (st?.isDirectory() && !folders) throw new ModuleFailure(`src ${c} is a folder, not a file`)
    if (st) return c
  }
  throw new ModuleFailure(`could not find src '${src}' (looked in: ${candidates.join(', ') || 'no search path'})`)
}

/**
 * Print the file when it is a readable regular file of at most `maxBytes` (rc 3 otherwise). Read-only. Without a
 * limit (`Infinity`) the file is read with no size check: one process on the host instead of two.
 */
export function readCommand(path: string, maxBytes = DIFF_MAX_BYTES): Command {
  if (maxBytes === Infinity)
    return sh('p=$1; if [ -f "$p" ] && [ -r "$p" ]; then exec cat -- "$p"; fi; exit 3', [path], {
      describe: `read ${path}`,
    })
  return sh(
    'p=$1; if [ -f "$p" ] && [ -r "$p" ] && [ "$(stat -L -c %s -- "$p")" -le "$2" ]; then exec cat -- "$p"; fi; exit 3',
    [path, String(maxBytes)],
    { describe: `read ${path}` },
  )
}

/** The text a `readCommand` returned, or undefined when not read or not text (NUL bytes, invalid UTF-8). */
export function textOf(r: CommandResult | undefined): string | undefined {
  if (!r || r.rc !== 0) return undefined
  return isText(r.stdout) ? r.stdout : undefined
}

/** Whether decoded output looks like text. */
export function isText(s: string): boolean {
  return !s.includes('\0') && !s.includes('\uFFFD')
}

/** Options for `putFile`. */
export interface PutFileOptions {
  mode?: string
  owner?: string
  group?: string
  backup?: boolean
  /** Ansible's `validate`: a command with `%s` standing for the new file, run before it replaces the old one. */
  validate?: string
  /** Random suffix for the temp file that `validate` checks (from gather, so plans stay pure). */
  nonce: string
}

/** Atomic write of `content` to `dest` (engine `writeFile`), with `validate` run on the temp file first. */
export function putFile(dest: string, content: string | Uint8Array, opts: PutFileOptions): Command {
  const v = validation(dest, opts)
  return writeFile(dest, content, {
    ...attrs(opts),
    ...v,
    describe: v && `write ${dest} (validated by ${v.validate[0]})`,
  })
}

/**
 * Atomic copy of the host file `src` to `dest` (`copy: remote_src`; engine `copyFile`): with the source's times
 * and, as any write, the replaced file's mode and owner (0644 for a new one) unless `mode`/`owner` are given, and
 * `validate` run on the temp file first.
 */
export function putCopy(src: string, dest: string, opts: PutFileOptions): Command {
  return copyFile(src, dest, { ...attrs(opts), ...validation(dest, opts) })
}

/** The options `putFile` and `putCopy` pass on as they are. */
function attrs(opts: PutFileOptions): WriteFileOptions {
  return { mode: opts.mode, owner: opts.owner, group: opts.group, backup: opts.backup }
}

/** `validate` as argv with `%s` replaced by the temp file it names (beside `dest`); undefined without one. */
function validation(dest: string, opts: PutFileOptions): { validate: string[]; validateTemp: string } | undefined {
  if (!opts.validate) return undefined
  if (!opts.validate.includes('%s')) throw new ModuleFailure(`validate must contain %s: ${opts.validate}`)
  const tmp = join(dirname(dest), `.tsplay-validate.${opts.nonce}`)
  try {
    return { validate: splitArgs(opts.validate).map((w) => w.split('%s').join(tmp)), validateTemp: tmp }
  } catch (e) {
    if (e instanceof SplitError)
      throw new ModuleFailure(`validate: ${e.message} at character ${e.offset + 1} of: ${opts.validate}`)
    throw e
  }
}
