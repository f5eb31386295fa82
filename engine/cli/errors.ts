/**
 * How the CLI ends on an error: user mistakes print one clear paragraph each (file:line:col) and exit 5;
 * anything else is an internal error (exit 1), with the stack only when TSPLAY_DEBUG is set.
 */
import { UserError, UserErrors } from '../errors.js'

export const EXIT = { ok: 0, internal: 1, failed: 2, unreachable: 4, invalid: 5, interrupted: 130 } as const

/** Print findings that do not stop the run (`[WARNING]: file:line:col: message (hint)`), on stderr. */
export function printWarnings(warnings: readonly UserError[]): void {
  if (warnings.length) process.stderr.write(warnings.map((w) => `[WARNING]: ${w.format()}\n`).join(''))
}

/** Print an error the way a user should see it; returns the exit code. */
export function reportError(e: unknown): number {
  if (e instanceof UserErrors) {
    const n = e.errors.length
    process.stderr.write(
      `${e.errors.map((x) => `ERROR: ${x.format()}`).join('\n')}\n` +
        `${n > 1 ? `${n} errors; nothing was contacted.\n` : 'Nothing was contacted.\n'}`,
    )
    return EXIT.invalid
  }
  if (e instanceof UserError) {
    process.stderr.write(`ERROR: ${e.format()}\nNothing was contacted.\n`)
    return EXIT.invalid
  }
  const msg = e instanceof Error ? e.message : String(e)
  process.stderr.write(
    `INTERNAL ERROR: ${msg}\nThis is a bug in tsplay; please report ` +
      `it.${process.env.TSPLAY_DEBUG && e instanceof Error ? `\n${e.stack}` : ' (set TSPLAY_DEBUG=1 for details)'}\n`,
  )
  return EXIT.internal
}
