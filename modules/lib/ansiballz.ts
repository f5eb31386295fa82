/**
 * Ansible's AnsiballZ payloads, built on the controller by ansible-core's own `module_common.modify_module`: a
 * Python library module that imports Ansible's `module_utils` (or a role's own `module_utils/`) is sent as one
 * self-contained program with everything it imports and its arguments inside, so it runs on a host whose Python has
 * no ansible-core, as with Ansible. One Python process builds them for the whole run (started at the first module,
 * answering in order); its local temp folder (ansible-core's cache) is tsplay's (`pythonEnv`). It needs
 * ansible-core importable by the controller's Python (`hasAnsible`); without it modules are sent as they are.
 *
 * @example
 * ```ts
 * const z = await ansiballz({ name: 'hello', path: '/srv/site/library/hello.py', args: { who: 'x' }, dirs: [] })
 * z // the program's bytes: run it with the host's Python and no arguments file
 * ```
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import type { Socket } from 'node:net'
import { controllerPython, pythonEnv } from '../../engine/expr/pyplugins.js'
import { ModuleFailure } from '../../engine/module.js'

const SCRIPT = String.raw`
import base64, json, os, sys
answers = os.fdopen(os.dup(1), 'w', encoding='utf-8')
os.dup2(2, 1)
sys.stdout = sys.stderr
from ansible.executor.module_common import modify_module
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import module_utils_loader
from ansible.template import Templar
templar = Templar(loader=DataLoader())
added = set()
for line in sys.stdin:
    req = json.loads(line)
    try:
        if req.get('playbook_dirs'):
            from ansible.utils.collection_loader import AnsibleCollectionConfig
            AnsibleCollectionConfig.playbook_paths = req['playbook_dirs']
        for d in req['dirs']:
            if d not in added:
                module_utils_loader.add_directory(d)
                added.add(d)
        data, style, shebang = modify_module(req['name'], req['path'], req['args'], templar,
                                             task_vars={'ansible_python_interpreter': '/usr/bin/python3'})
        out = {'ok': base64.b64encode(data).decode('ascii')}
    except Exception as e:
        out = {'error': '%s: %s' % (type(e).__name__, e)}
    answers.write(json.dumps(out) + '\n')
    answers.flush()
`

/**
 * What to build: the module's name and file, its arguments (Ansible's internal ones too), module_utils folders, and
 * for a collection's module the playbook's folder (its `collections/` are searched first, as ansible-playbook does;
 * the configured collections' folders are the builder's own, read from the same settings).
 */
export interface ZipRequest {
  name: string
  path: string
  args: Record<string, unknown>
  dirs: string[]
  playbook_dirs?: string[]
}

type Answer = { ok: string; error?: undefined } | { error: string; ok?: undefined }

interface Builder {
  child: ChildProcess
  waiting: Array<(a: Answer) => void>
  tail: string[]
}

let builder: Builder | undefined

/** Keep tsplay running while an answer is due; idle, the builder never does (tsplay's end closes its input). */
function hold(b: Builder, on: boolean): void {
  for (const x of [b.child, b.child.stdin, b.child.stdout, b.child.stderr] as unknown as Socket[])
    if (on) x.ref()
    else x.unref()
}

function start(): Builder {
  const child = spawn(controllerPython(), ['-c', SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'], env: pythonEnv() })
  const b: Builder = { child, waiting: [], tail: [] }
  const fail = (why: string) => {
    for (const w of b.waiting.splice(0)) w({ error: `${why} ${b.tail.join(' ')}`.trim() })
    if (builder === b) builder = undefined
  }
  child.on('error', (e) => fail(e.message))
  child.on('close', (code, sig) => fail(`the AnsiballZ builder ended (${sig ?? `exit code ${code}`})`))
  child.stdin!.on('error', () => {})
  createInterface({ input: child.stderr! }).on('line', (l) => (b.tail = [...b.tail, l].slice(-3)))
  createInterface({ input: child.stdout! }).on('line', (l) => {
    b.waiting.shift()?.(JSON.parse(l) as Answer)
    if (b.waiting.length === 0) hold(b, false)
  })
  hold(b, false)
  return b
}

/** The AnsiballZ program for one call of a library module. */
export async function ansiballz(req: ZipRequest): Promise<Buffer> {
  const b = (builder ??= start())
  const answer = await new Promise<Answer>((resolve) => {
    b.waiting.push(resolve)
    if (b.waiting.length === 1) hold(b, true)
    b.child.stdin!.write(`${JSON.stringify(req)}\n`)
  })
  if (answer.error !== undefined) throw new ModuleFailure(`${req.name}: building its AnsiballZ failed: ${answer.error}`)
  return Buffer.from(answer.ok, 'base64')
}
