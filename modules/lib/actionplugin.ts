/**
 * One run of an Ansible action plugin: the controller's Python (the one ansible-playbook runs with, see
 * `controllerPython`) runs the plugin file with ansible-core (modules/lib/actionplugin-script.ts), and each thing
 * the plugin asks of the host — run a module, run a command, copy a file there or back — is done by tsplay through
 * `host`, one at a time, in the order asked. The process is the plugin's alone and ends with it; Ctrl-C (the run's
 * signal) stops it.
 *
 * @example
 * ```ts
 * const result = await runActionPlugin(
 *   { file: '/srv/site/action_plugins/hello.py', name: 'hello', args: { who: 'x' }, vars, check: false, … },
 *   host,
 * )
 * result // { changed: true, said: 'x' }
 * ```
 */
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import { controllerPython, fromPython, pythonEnv, pythonJson } from '../../engine/expr/pyplugins.js'
import { ModuleFailure } from '../../engine/module.js'
import type { CommandResult, Vars } from '../../engine/types.js'
import { ACTION_PLUGIN_PY } from './actionplugin-script.js'

/** What the plugin is run with (Ansible's task, play context and task variables, in short). */
export interface ActionJob {
  file: string
  name: string
  args: Record<string, unknown>
  /** The task's variables (not rendered: the plugin's Templar renders what it reads). */
  vars: Vars
  check: boolean
  diff: boolean
  /** Ansible's task search path: role folder, then the playbook's. */
  search: string[]
  basedir: string
  host: string
  remote_user?: string
  /** A collection's plugin: its Python module name, imported instead of `file`, and the playbook's folders. */
  module?: string
  playbook_dirs?: string[]
}

/** What the plugin may ask of the host; tsplay's answers. */
export interface ActionHost {
  /** Run module `name` (tsplay's own or a library module) with `args`: its registered result. */
  module(name: string, args: Record<string, unknown>): Promise<Record<string, unknown>>
  /** Run shell text `cmd` (as the task's user) with `stdin`. */
  command(cmd: string, opts: { stdin?: Buffer; executable?: string; chdir?: string }): Promise<CommandResult>
  put(path: string, data: Buffer): Promise<void>
  fetch(path: string): Promise<Buffer>
  /** A line the plugin printed (its warnings, its display). */
  log(line: string): void
  signal: AbortSignal
}

type Request = { op: string; [k: string]: unknown }

const fromB64 = (s: unknown) => (typeof s === 'string' ? Buffer.from(s, 'base64') : undefined)

/** Answer one request of the plugin. */
async function answer(req: Request, host: ActionHost): Promise<unknown> {
  switch (req.op) {
    case 'module':
      return host.module(String(req.name), (req.args ?? {}) as Record<string, unknown>)
    case 'command': {
      const opts = {
        stdin: fromB64(req.stdin),
        executable: typeof req.executable === 'string' ? req.executable : undefined,
        chdir: typeof req.chdir === 'string' ? req.chdir : undefined,
      }
      return host.command(String(req.cmd), opts)
    }
    case 'put':
      await host.put(String(req.path), fromB64(req.data) ?? Buffer.alloc(0))
      return null
    case 'fetch':
      return (await host.fetch(String(req.path))).toString('base64')
    default:
      throw new Error(`unknown request ${req.op}`)
  }
}

/** Run the plugin of `job` to its result (what Ansible's `ActionModule.run` returned). */
export async function runActionPlugin(
  job: ActionJob,
  host: ActionHost,
  python = controllerPython(),
): Promise<Record<string, unknown>> {
  const child = spawn(python, ['-c', ACTION_PLUGIN_PY], { stdio: ['pipe', 'pipe', 'pipe', 'pipe'], env: pythonEnv() })
  const stop = () => child.kill('SIGTERM')
  host.signal.addEventListener('abort', stop, { once: true })
  let tail: string[] = []
  for (const out of [child.stdout, child.stderr])
    createInterface({ input: out }).on('line', (l) => {
      tail = [...tail, l].slice(-5)
      host.log(l)
    })
  const input = child.stdin as Writable
  input.on('error', () => {})
  const ended = new Promise<string>((resolve) => {
    child.on('error', (e) => resolve(`${python}: ${e.message}`))
    child.on('close', (code, sig) => resolve(`${python} ended (${sig ?? `exit code ${code}`})`))
  })
  try {
    input.write(`${pythonJson(job)}\n`)
    for await (const line of createInterface({ input: child.stdio[3] as Readable })) {
      const req = JSON.parse(line, fromPython) as Request
      if (req.op === 'done') {
        // let it end by itself (ansible-core cleans up at exit); a process that lingers is stopped
        input.end()
        await Promise.race([ended, new Promise((r) => setTimeout(r, 5000).unref())])
        return req.result as Record<string, unknown>
      }
      let reply: string
      try {
        reply = pythonJson({ ok: await answer(req, host) })
      } catch (e) {
        if (!(e instanceof ModuleFailure)) throw e
        reply = JSON.stringify({ error: e.message })
      }
      input.write(`${reply}\n`)
    }
    const why = await ended
    if (host.signal.aborted) throw new ModuleFailure(`action plugin ${job.name}: interrupted`)
    const noAnsible = tail.some((l) => /No module named '?ansible/.test(l))
    throw new ModuleFailure(
      noAnsible
        ? `action plugin ${job.name} (${job.file}) needs ansible-core on the controller: ${python} cannot import it`
        : `action plugin ${job.name} (${job.file}) gave no result: ${why}: ${tail.join(' ').slice(-600)}`,
    )
  } finally {
    host.signal.removeEventListener('abort', stop)
    input.end()
    if (child.exitCode === null) child.kill('SIGTERM')
  }
}
