/**
 * The reader of tsplay's output went away (`tsplay run site.yml --json | head -1`): Node reports the broken pipe as
 * an error on stdout (or stderr), which would end tsplay with a stack trace in the middle of a run. Instead the
 * error is taken as a stop request: a run finishes the tasks it is running and starts no new ones, as after a
 * first Ctrl-C, and what is written after that is dropped.
 *
 * @example
 * ```ts
 * watchOutput()                                         // once, at start-up
 * const off = onOutputGone(() => (stopping.requested = true))
 * ```
 */

const listeners = new Set<() => void>()
let gone = false

/** Take a broken pipe on stdout or stderr as "the output is gone" (other write errors stay errors). */
export function watchOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e
      if (gone) return
      gone = true
      for (const f of listeners) f()
    })
  }
}

/** Call `f` when the output goes away (at once if it has); returns the unsubscribe function. */
export function onOutputGone(f: () => void): () => void {
  if (gone) f()
  listeners.add(f)
  return () => listeners.delete(f)
}
