/**
 * Where async jobs live on the host: `$HOME/.tsplay/jobs/ID/` (of the user the task becomes) holds `pid`, `start`,
 * `log` (stdout and stderr), `mark` (`unchanged`, for a job whose plan changes nothing) and, once the job ended,
 * `rc`. engine/run/async.ts starts and polls jobs; `async_status` reads and removes those started with `poll: 0`.
 * Each script takes the job ID as `$1`.
 *
 * @example
 * ```ts
 * io.run({ argv: ['sh', '-c', JOB_STATUS, 'sh', jid] }) // "finished 0\n<log>" | "running" | "missing"
 * ```
 */

/** Sets `d` to the folder of job `$1`. */
export const JOB_DIR = 'd="$HOME/.tsplay/jobs/$1"'

/** Remove the job's folder, then the jobs folders if no other job is left (tsplay leaves nothing behind). */
export const JOB_FORGET = 'rm -rf "$d"; rmdir "$HOME/.tsplay/jobs" "$HOME/.tsplay" 2>/dev/null; :'

/**
 * True while job `$1` runs: no `rc` yet and its process alive. The job writes `rc` before its process ends, so
 * looking for `rc` first and for the process second never misses a job that ends in between: a dead process
 * with no `rc` is a job that is truly gone (the other order reads a job ending at that moment as lost).
 */
export const JOB_RUNNING = '[ ! -f "$d/rc" ] && [ -f "$d/pid" ] && kill -0 "$(cat "$d/pid")" 2>/dev/null'

/** Print the job's log (its last 256 KiB). */
export const JOB_LOG = 'tail -c 262144 "$d/log" 2>/dev/null'

/**
 * Print `finished RC` (`finished RC MARK` when the job has a mark: `unchanged`) then the log (last 256 KiB), or
 * `running`, or `missing` (no such job, or it was lost).
 */
export const JOB_STATUS = [
  JOB_DIR,
  `if ${JOB_RUNNING}; then echo running;`,
  'elif [ -f "$d/rc" ]; then m=$(cat "$d/mark" 2>/dev/null || :);',
  `printf "finished %s%s\\n" "$(cat "$d/rc")" "\${m:+ $m}"; ${JOB_LOG};`,
  'else echo missing; fi',
].join('\n')

/** Remove job `$1`'s folder (Ansible's `async_status: mode: cleanup`). */
export const JOB_CLEANUP = [JOB_DIR, JOB_FORGET].join('\n')
