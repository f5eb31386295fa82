/**
 * The terminal test tier's screen: run the real `tsplay` CLI as the only program of a tmux pane (a real
 * pseudo-terminal, as a user's terminal), read the screen as a user sees it, press Ctrl-C, get the exit status.
 * Each screen has its own tmux server (`-L`, a socket of its own), so parallel tests and a user's tmux never meet.
 * The pane stays on screen after the program exits (`remain-on-exit`), so its last screen is kept; the exit status
 * is written to a file by a small parent process.
 *
 * @example
 * ```ts
 * const s = await openScreen(['run', book, '-i', inv, '--known-hosts', kh])
 * await s.waitFor((t) => t.includes('PLAY RECAP'), 30_000)
 * expect(await s.exitCode()).toBe(0)
 * await s.close()
 * ```
 */
import { execFile, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BIN, ROOT } from '../helpers/cli.js'

/** Whether tmux can be used here, and why not. */
export function canRunTmux(): { ok: true } | { ok: false; why: string } {
  if (spawnSync('sh', ['-c', 'command -v tmux']).status !== 0)
    return { ok: false, why: 'tmux is not installed (apt-get install tmux)' }
  return { ok: true }
}

/** A running program on a tmux screen. */
export interface Screen {
  /** The whole screen with its scroll-back, as text (no colours). */
  text(): Promise<string>
  /** Only the visible rows (what the terminal shows now). */
  visible(): Promise<string>
  /** Press keys (tmux key names: `C-c`, `Enter`, or text). */
  keys(...keys: string[]): Promise<void>
  /** Poll the screen until `ok(text)` holds; rejects with the screen after `ms`. */
  waitFor(ok: (text: string) => boolean, ms: number, what?: string): Promise<string>
  /** The program's exit status once it has ended (a signal N gives 128+N), or undefined while it runs. */
  status(): Promise<number | undefined>
  /** Wait up to `ms` for the program to end; its status, or undefined if it still runs (a hang). */
  exitCode(ms?: number): Promise<number | undefined>
  /** Stop the program if it still runs and the tmux server, remove the socket. */
  close(): Promise<void>
}

function tmux(sock: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('tmux', ['-S', sock, ...args], { encoding: 'utf8' }, (err, stdout, stderr) =>
      err ? reject(new Error(`tmux ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout),
    )
  })
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Start `tsplay <args>` on a new `cols`×`rows` terminal (TERM=xterm-256color, no CI or NO_COLOR in its
 * environment, so tsplay picks its live view as it does on a user's terminal).
 */
export async function openScreen(
  args: string[],
  o: { cols?: number; rows?: number; cwd?: string; env?: Record<string, string> } = {},
): Promise<Screen> {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-tmux-'))
  const sock = join(dir, 'sock')
  const conf = join(dir, 'tmux.conf')
  writeFileSync(conf, 'set -g remain-on-exit on\nset -g history-limit 100000\nset -g status off\n')
  const name = `t${randomBytes(4).toString('hex')}`
  const cache = process.env.TSPLAY_CACHE_DIR ?? 'off' // the tier's setting, whatever tmux's own environment
  const envArgs = Object.entries({ TERM: 'xterm-256color', TSPLAY_CACHE_DIR: cache, ...o.env }).map(
    ([k, v]) => `${k}=${v}`,
  )
  const rcFile = join(dir, 'rc')
  // A small parent writes tsplay's exit status to a file (tmux's own view of it can lag by seconds). It ignores
  // Ctrl-C, which the terminal sends to both; tsplay alone decides what Ctrl-C does.
  const parent = `const { spawn } = require('node:child_process'); const fs = require('node:fs');
    process.on('SIGINT', () => {});
    const c = spawn(process.argv[1], process.argv.slice(2), { stdio: 'inherit' });
    const status = (code, sig) => (sig ? 128 + require('node:os').constants.signals[sig] : code);
    c.on('exit', (code, sig) => fs.writeFileSync(${JSON.stringify(rcFile)}, String(status(code, sig))))`
  const argv = [
    'env',
    '-u',
    'CI',
    '-u',
    'NO_COLOR',
    '-u',
    'FORCE_COLOR',
    ...envArgs,
    process.execPath,
    '-e',
    parent,
    process.execPath,
    BIN,
    ...args,
  ]
  await tmux(sock, [
    '-f',
    conf,
    'new-session',
    '-d',
    '-s',
    name,
    '-x',
    String(o.cols ?? 120),
    '-y',
    String(o.rows ?? 40),
    '-c',
    o.cwd ?? ROOT,
    '--',
    ...argv,
  ])
  const target = `${name}:0.0`
  const text = () => tmux(sock, ['capture-pane', '-p', '-J', '-t', target, '-S', '-', '-E', '-'])
  const status = async (): Promise<number | undefined> => {
    const rc = existsSync(rcFile) ? readFileSync(rcFile, 'utf8') : ''
    return rc ? Number(rc) : undefined
  }
  const s: Screen = {
    text,
    visible: () => tmux(sock, ['capture-pane', '-p', '-t', target]),
    keys: async (...keys) => void (await tmux(sock, ['send-keys', '-t', target, ...keys])),
    async waitFor(ok, ms, what = 'the expected screen') {
      const end = Date.now() + ms
      for (;;) {
        const t = await text()
        if (ok(t)) return t
        if (Date.now() > end) throw new Error(`waited ${ms} ms for ${what}; the screen shows:\n${t}`)
        await sleep(250)
      }
    },
    status,
    async exitCode(ms = 0) {
      const end = Date.now() + ms
      for (;;) {
        const st = await status()
        if (st !== undefined || Date.now() >= end) return st
        await sleep(200)
      }
    },
    async close() {
      await tmux(sock, ['kill-server']).catch(() => undefined)
      rmSync(dir, { recursive: true, force: true })
    },
  }
  return s
}

/** Braille spinner glyphs of listr2's live view: a row still showing one is still running (or frozen). */
export const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/

/** The rows of a finished screen that still show a spinner. */
export function spinningRows(screen: string): string[] {
  return screen.split('\n').filter((l) => SPINNER.test(l))
}
