/**
 * A local /bin/sh read as the persistent shell of an SSH connection is: the hello, then one frame per command,
 * with long scripts as shell functions defined once (and their set-up, such as the stat helper's start, run with
 * the definition). For tests of the shell text itself, without sshd.
 *
 * @example
 * ```ts
 * const got = shellSession([pathProbe('/etc')], { token: 'ab12' })   // → Map { 1 => { rc: 0, out: 'exists…' } }
 * ```
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { FrameReader } from '../../engine/ssh/frames.js'
import { renderCommand, renderFrame, renderHello, scriptFunction, staysInShell } from '../../engine/ssh/quote.js'
import type { Command } from '../../engine/types.js'

/** The frames' nonce. */
export const NONCE = '7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a'

/** Frames for `cmds` as the persistent shell renders them (functions defined once, in-shell calls in `{ …; }`). */
export function framesFor(cmds: readonly Command[], errFile: boolean): string {
  const defined = new Set<string>()
  return cmds
    .map((cmd, i) => {
      const prelude: string[] = []
      const text = renderCommand(cmd, (script, vars) => {
        const fn = scriptFunction(script, vars)
        if (fn && !defined.has(fn.name)) {
          defined.add(fn.name)
          prelude.push(fn.define)
        }
        return fn?.name
      })
      return renderFrame(NONCE, i + 1, text, undefined, prelude.join('\n'), errFile, staysInShell(cmd))
    })
    .join('')
}

/** Options for `shellSession`. */
export interface SessionOptions {
  /** Set up the stderr and scratch files with this hex token (as on a host with /dev/shm on tmpfs). */
  token?: string
  cwd?: string
  env?: NodeJS.ProcessEnv
}

/** Each frame's exit code and stdout by sequence number. */
export type Answers = Map<number, { rc: number; out: string }>

/** Split a session's stdout into its frames' answers. */
export function answersOf(stdout: Buffer): Answers {
  const got: Answers = new Map()
  new FrameReader(NONCE, (seq, rc, d) => got.set(seq, { rc, out: d.toString('utf8') })).push(stdout)
  return got
}

/** Run the hello and the frames of `cmds` in one /bin/sh; the answers and the finished process. */
export function shellRun(
  cmds: readonly Command[],
  opts: SessionOptions = {},
): { got: Answers; res: SpawnSyncReturns<Buffer> } {
  const input = renderHello(NONCE, opts.token) + framesFor(cmds, opts.token !== undefined)
  const res = spawnSync('/bin/sh', [], { input, cwd: opts.cwd, env: opts.env })
  return { got: answersOf(res.stdout), res }
}

/** `shellRun`'s answers. */
export const shellSession = (cmds: readonly Command[], opts: SessionOptions = {}): Answers => shellRun(cmds, opts).got

/**
 * A probe's answer with the access time of each metadata line (type, mode, …, mtime, atime, …) left out: a probe
 * that reads a file (for its checksum) moves the access time the next one sees, to the nanosecond.
 */
export function withoutAtime(out: string): string {
  return out
    .split('\n')
    .map((l) => {
      const f = l.split('\t')
      return f.length >= 12 ? [...f.slice(0, 8), ...f.slice(9)].join('\t') : l
    })
    .join('\n')
}
