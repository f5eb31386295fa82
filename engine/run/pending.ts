/**
 * Pending handlers recorded on the host, so a notification survives a run that never got to its handler (a later
 * task failed, `any_errors_fatal`, `end_play`, Ctrl-C, a killed controller or a dropped link).
 *
 * When a changed task notifies a handler on a host, a small record is written there atomically (temp file +
 * rename) in `STATE/pending-handlers/`; when the handler has run on the host (ok, changed or skipped by its
 * `when`), the record is removed. A play reads the records of its handlers at its start: a record found re-queues
 * the handler for that host (engine/run/handlers.ts decides when it runs). STATE is the host variable
 * `tsplay_state_dir`, else `/var/lib/tsplay` for root and `${XDG_STATE_HOME:-~/.local/state}/tsplay` for other
 * users; records are read, written and removed as the user the handler runs as. Check mode writes nothing.
 *
 * A record's name is `<handler>-<hash>`, the hash over the playbook's path, the play's name, the handler's
 * identity and the inventory host: two hosts on one machine, or two playbooks, never share a record.
 */
import { createHash } from 'node:crypto'
import type { Task } from '../ast.js'
import { sh } from '../commands.js'
import type { Command } from '../types.js'

const DIR = [
  'd=$1; shift',
  'if [ -z "$d" ]; then if [ "$(id -u)" = 0 ]; then d=/var/lib/tsplay; else ' +
    'd=${XDG_STATE_HOME:-$HOME/.local/state}/tsplay; fi; fi',
  'd=$d/pending-handlers',
].join('\n')

const LIST = `${DIR}\n[ -d "$d" ] || exit 0\ncd "$d" && for f in *; do [ -f "$f" ] && printf '%s\\n' "$f"; done; exit 0`

const WRITE = [
  DIR,
  'set -e',
  'mkdir -p -m 0755 "$d"',
  'while [ $# -gt 1 ]; do',
  '  printf \'%s\\n\' "$2" > "$d/.$1.tmp"',
  '  chmod 0644 "$d/.$1.tmp"',
  '  mv -f "$d/.$1.tmp" "$d/$1"',
  '  shift 2',
  'done',
].join('\n')

const REMOVE = `${DIR}\nfor f in "$@"; do rm -f -- "$d/$f"; done`

/** The stable name of a handler in a play, as records know it. */
export function handlerKey(hd: Task): string {
  return JSON.stringify([hd.role ?? '', hd.name ?? '', hd.listen ?? [], hd.module])
}

function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'handler'
  )
}

/** The record's file name for handler `hd` of a play, on inventory host `host`. */
export function recordId(playbookFile: string, playName: string, hd: Task, host: string): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([playbookFile, playName, handlerKey(hd), host]))
    .digest('hex')
    .slice(0, 16)
  return `${slug(hd.name ?? hd.listen?.[0] ?? hd.module)}-${hash}`
}

/** What a record holds (for people reading the host; the engine only looks at its name). */
export function recordBody(playbookFile: string, playName: string, handler: string, host: string, by: string): string {
  return JSON.stringify({
    playbook: playbookFile,
    play: playName,
    handler,
    host,
    notified_by: by,
    notified_at: new Date().toISOString(),
  })
}

/** List the records in the state folder (`dir` empty: the default for the user). */
export function listRecords(dir: string): Command {
  return sh(LIST, [dir], { describe: 'list pending handlers' })
}

/** Write records `[id, body]` atomically. */
export function writeRecords(dir: string, records: ReadonlyArray<readonly [string, string]>): Command {
  return sh(WRITE, [dir, ...records.flat()], { describe: 'record pending handlers' })
}

/** Remove records by id. */
export function removeRecords(dir: string, ids: readonly string[]): Command {
  return sh(REMOVE, [dir, ...ids], { describe: 'handlers ran: remove their pending records' })
}
