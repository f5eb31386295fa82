/**
 * What an Ansible module's documentation says it takes: the options (and their aliases) of its `DOCUMENTATION`
 * YAML and of the documentation fragments it extends. tsplay asks it before it runs Ansible's module in place of its
 * own for arguments its own lacks (engine/load/library.ts `collectionForArgs`): only documented arguments qualify.
 *
 * @example
 * ```ts
 * documentedOptions('/usr/lib/python3/dist-packages/ansible/modules/user.py', '/srv/site')?.has('seuser') // true
 * ```
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { collectionRoots, pythonSide } from './collections.js'

/**
 * The arguments a Python module documents: its `DOCUMENTATION` options and their aliases, and those of the
 * documentation fragments it extends (`community.postgresql.postgres`: `login_host`, …; ansible-core's `files`);
 * undefined when its documentation cannot be read.
 */
export function documentedOptions(file: string, playbookDir: string): Set<string> | undefined {
  const doc = docYaml(file, 'DOCUMENTATION')
  if (!doc) return undefined
  const out = new Set<string>()
  const add = (d: DocYaml | undefined) => {
    for (const [name, o] of Object.entries(d?.options ?? {})) {
      out.add(name)
      if (Array.isArray(o?.aliases)) for (const a of o.aliases) out.add(String(a))
    }
  }
  add(doc)
  for (const f of [doc.extends_documentation_fragment].flat()) {
    if (typeof f !== 'string') continue
    const at = fragmentFile(f, playbookDir)
    if (at) add(docYaml(at.file, at.variable))
  }
  return out
}

type DocYaml = { options?: Record<string, { aliases?: unknown }>; extends_documentation_fragment?: unknown }

/** The YAML of `variable` (`DOCUMENTATION = r'''…'''`) in a Python file, parsed; undefined when it is not there. */
function docYaml(file: string, variable: string): DocYaml | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
  const m = new RegExp(`^\\s*${variable}\\s*=\\s*r?('{3}|"{3})\\n([\\s\\S]*?)\\n\\s*\\1`, 'm').exec(text)
  if (!m) return undefined
  try {
    return (parse(m[2]!) ?? {}) as DocYaml
  } catch {
    return undefined
  }
}

/**
 * The file and variable of documentation fragment `name`: `files` (ansible-core's), `ns.coll.name`, each with an
 * optional `.variable` (`community.general.attributes.platform` → `PLATFORM`).
 */
function fragmentFile(name: string, playbookDir: string): { file: string; variable: string } | undefined {
  const side = pythonSide()
  if (!side) return undefined
  const parts = name.split('.')
  const inCore = parts.length <= 2
  const base = inCore
    ? join(side.ansibleDir, 'plugins', 'doc_fragments')
    : collectionRoots(playbookDir)
        .map((r) => join(r, parts[0]!, parts[1]!, 'plugins', 'doc_fragments'))
        .find((d) => existsSync(d))
  const [frag, variable] = inCore ? parts : parts.slice(2)
  if (!base || !frag) return undefined
  return { file: join(base, `${frag}.py`), variable: variable ? variable.toUpperCase() : 'DOCUMENTATION' }
}
