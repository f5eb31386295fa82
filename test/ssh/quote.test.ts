/**
 * `shQuote`/`renderCommand` against hostile strings: the rendered text runs through a real local /bin/sh,
 * the program receives exactly the argv given, and nothing else runs (no file appears, no extra output).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  dollarFree,
  hereDocText,
  renderCommand,
  renderExec,
  renderFrame,
  renderHello,
  renderShellStart,
  scriptFunction,
  shQuote,
} from '../../engine/ssh/quote.js'
import { FrameReader } from '../../engine/ssh/frames.js'
import { UserError } from '../../engine/errors.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-quote-'))
const pwned = join(dir, 'pwned')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const HOSTILE: string[] = [
  `'; touch ${pwned} #`,
  `$(touch ${pwned})`,
  `\`touch ${pwned}\``,
  `"; touch ${pwned}; echo "`,
  `a\nb\ntouch ${pwned}`,
  `\n`,
  '--',
  '-n',
  '',
  ' ',
  '*',
  '~',
  '$HOME ${PATH} $$ $? $1',
  `\\'\\"\\\\`,
  "''''",
  'ünïcødé ✓ 日本語 🚀',
  '&& touch x || ; | > < >> 2>&1 &',
  '\t\r\u0001\u007f',
  '!event',
  '%s %n %d',
]

/** Run shell text through /bin/sh; return stdout. */
function runSh(text: string): string {
  return execFileSync('/bin/sh', ['-c', text], { encoding: 'utf8', cwd: dir })
}

/** Render a call to the external printf, which prints each argument followed by NUL. */
function echoArgs(args: string[], extra: Partial<Parameters<typeof renderCommand>[0]> = {}): string[] {
  const out = runSh(renderCommand({ argv: ['/usr/bin/printf', '%s\\0', ...args], ...extra }))
  const parts = out.split('\0')
  expect(parts.pop()).toBe('')
  return parts
}

describe('shQuote', () => {
  it.each([
    ['', "''"],
    ['abc', "'abc'"],
    ["it's", "'it'\\''s'"],
    ["'", "''\\'''"],
  ])('%j → %s', (input, want) => {
    expect(shQuote(input)).toBe(want)
  })
})

describe('renderCommand through a real /bin/sh', () => {
  it.each(HOSTILE.map((s) => [s]))('argv %j arrives intact and nothing runs', (s) => {
    // printf '%s\0' '' prints nothing for an empty string argument list of one; use a sentinel after it
    expect(echoArgs([s, 'END'])).toEqual([s, 'END'])
    expect(existsSync(pwned)).toBe(false)
  })

  it('all hostile strings at once', () => {
    expect(echoArgs([...HOSTILE, 'END'])).toEqual([...HOSTILE, 'END'])
    expect(existsSync(pwned)).toBe(false)
  })

  it.each(HOSTILE.map((s) => [s]))('env value %j is passed verbatim', (s) => {
    const out = runSh(renderCommand({ argv: ['/usr/bin/printenv', 'TSPLAY_V'], env: { TSPLAY_V: s } }))
    expect(out).toBe(`${s}\n`)
    expect(existsSync(pwned)).toBe(false)
  })

  it('cwd with hostile characters is entered, not executed', () => {
    const name = `d '$(touch pwned)\n-- ü`
    execFileSync('mkdir', ['--', join(dir, name)])
    const out = runSh(renderCommand({ argv: ['pwd'], cwd: join(dir, name) }))
    expect(out).toBe(`${join(dir, name)}\n`)
    expect(existsSync(pwned)).toBe(false)
  })

  it('a cwd that does not exist stops the command', () => {
    expect(() => runSh(renderCommand({ argv: ['touch', pwned], cwd: join(dir, 'missing') }))).toThrow()
    expect(existsSync(pwned)).toBe(false)
  })

  it('a program name that looks like an assignment or keyword is run as a program', () => {
    expect(() => runSh(renderCommand({ argv: [`X=1`, 'touch', pwned] }))).toThrow()
    expect(() => runSh(renderCommand({ argv: ['if', 'true;', 'then', 'touch', pwned, ';fi'] }))).toThrow()
    expect(existsSync(pwned)).toBe(false)
  })

  it('timeoutSec kills the process', () => {
    let rc = 0
    try {
      runSh(renderCommand({ argv: ['sleep', '30'], timeoutSec: 1 }))
    } catch (e) {
      rc = (e as { status: number }).status
    }
    expect(rc).toBe(124)
  })

  it('env, cwd and timeout together', () => {
    const text = renderCommand({
      argv: ['/bin/sh', '-c', 'pwd; echo "$A"', 'sh'],
      env: { A: "x'y" },
      cwd: '/',
      timeoutSec: 5,
    })
    expect(runSh(text)).toBe("/\nx'y\n")
  })

  it('sh -c SCRIPT NAME ARGS: the script sees NAME as $0 and ARGS as $1…, as a real sh -c gives them', () => {
    expect(runSh(renderCommand({ argv: ['sh', '-c', 'echo "$0|$1|$#"', 'a b', 'c'] }))).toBe('a b|c|1\n')
    expect(runSh(renderCommand({ argv: ['sh', '-c', 'echo "${0}"', 'n'] }))).toBe('n\n')
    expect(runSh(renderCommand({ argv: ['sh', '-c', 'echo "$1|$#"', 'sh', 'x y'] }))).toBe('x y|1\n')
  })

  it.each([
    [{ argv: [] }],
    [{ argv: ['true'], env: { 'A B': '1' } }],
    [{ argv: ['true'], env: { 'A=B': '1' } }],
    [{ argv: ['true'], env: { '': '1' } }],
    [{ argv: ['true'], timeoutSec: 0 }],
    [{ argv: ['true'], timeoutSec: Number.NaN }],
  ])('rejects %j with a UserError', (cmd) => {
    expect(() => renderCommand(cmd)).toThrow(UserError)
  })

  it('leaves no stray files behind', () => {
    expect(readdirSync(dir).filter((f) => f !== `d '$(touch pwned)\n-- ü`)).toEqual([])
  })
})

describe('renderFrame through a real /bin/sh reading its stdin (as the persistent shell does)', () => {
  const nonce = 'a1b2c3d4e5f60718293a4b5c6d7e8f90'

  /** Feed frames to `sh` on stdin; collect stdout/stderr frames by sequence number. */
  function session(frames: string): Map<number, { rc: number; out: string; err: string }> {
    const res = spawnSync('/bin/sh', [], { input: renderHello(nonce) + frames, cwd: dir })
    const got = new Map<number, { rc: number; out: string; err: string }>()
    new FrameReader(nonce, (seq, rc, d) =>
      got.set(seq, { rc, out: d.toString('utf8'), err: got.get(seq)?.err ?? '' }),
    ).push(res.stdout)
    new FrameReader(nonce, (seq, _rc, d) => {
      const g = got.get(seq)
      if (g) g.err = d.toString('utf8')
    }).push(res.stderr)
    return got
  }

  it('argv, stdin bytes and exit codes survive; hostile values never run', () => {
    const stdin = Buffer.from(HOSTILE.join('\n') + '\n_TSPLAY_' + nonce + '\n', 'utf8')
    const frames =
      renderFrame(nonce, 1, renderCommand({ argv: ['/usr/bin/printf', '%s\\0', ...HOSTILE] })) +
      renderFrame(nonce, 2, renderCommand({ argv: ['cat'] }), stdin) +
      renderFrame(nonce, 3, renderCommand({ argv: ['sh', '-c', 'echo e >&2; exit 9'] })) +
      renderFrame(nonce, 4, renderCommand({ argv: ['exit', '4'] })) +
      renderFrame(nonce, 5, renderCommand({ argv: ['cat'] }))
    const got = session(frames)
    expect(got.get(0)?.rc).toBeGreaterThan(1) // the shell's pid
    expect(got.get(1)?.out.split('\0').slice(0, -1)).toEqual(HOSTILE)
    expect(got.get(2)?.out).toBe(stdin.toString('utf8'))
    expect(got.get(3)).toEqual({ rc: 9, out: '', err: 'e\n' })
    expect(got.get(4)?.rc).toBe(4) // `exit` ran in a subshell: the session went on
    expect(got.get(5)).toEqual({ rc: 0, out: '', err: '' }) // no stdin: EOF, the session's input is not eaten
    expect(existsSync(pwned)).toBe(false)
  })

  it('text stdin is sent as it is, and arrives byte for byte', () => {
    const text = Buffer.from('a\\b $x `y` $(touch pwned)\n\r\nü\t\n' + 'z'.repeat(9000) + '\n', 'utf8')
    const frame = renderFrame(nonce, 1, renderCommand({ argv: ['cat'] }), text)
    expect(frame).not.toContain('base64')
    expect(session(frame).get(1)).toEqual({ rc: 0, out: text.toString('utf8'), err: '' })
    expect(existsSync(pwned)).toBe(false)
  })
})

describe('long scripts as shell functions, defined once per persistent shell', () => {
  const nonce = '0f1e2d3c4b5a69788796a5b4c3d2e1f0'
  // a long script (functions are for long ones) that prints its arguments NUL-separated, then exits with $2's length
  const pad = `: ${'x'.repeat(200)}`
  const script = `${pad}\nprintf '%s\\0' "$#" "$@"; exit \${#2}`
  const broken = `${pad}\nif then fi (`

  /** Render `argv` as the persistent shell does; collect the definitions it asks for. */
  function render(argv: string[], defs: string[]): string {
    return renderCommand({ argv }, (s) => {
      const fn = scriptFunction(s)
      if (fn && !defs.includes(fn.define)) defs.push(fn.define)
      return fn?.name
    })
  }

  function session(frames: string): Map<number, { rc: number; out: string }> {
    const res = spawnSync('/bin/sh', [], { input: renderHello(nonce) + frames, cwd: dir })
    const got = new Map<number, { rc: number; out: string }>()
    new FrameReader(nonce, (seq, rc, d) => got.set(seq, { rc, out: d.toString('utf8') })).push(res.stdout)
    return got
  }

  it('a call passes hostile arguments as they are; the definition is sent once and kept by the session', () => {
    const defs: string[] = []
    const first = render(['sh', '-c', script, 'sh', ...HOSTILE], defs)
    const again = render(['sh', '-c', script, 'sh', 'a', 'bcd'], defs)
    expect(defs).toHaveLength(1)
    expect(first).not.toContain(pad) // the call is short: the script is in the definition only
    const got = session(renderFrame(nonce, 1, first, undefined, defs[0]) + renderFrame(nonce, 2, again))
    expect(got.get(1)?.out.split('\0').slice(0, -1)).toEqual([String(HOSTILE.length), ...HOSTILE])
    expect(got.get(1)?.rc).toBe(HOSTILE[1].length) // exit ends the call's subshell, not the session
    expect(got.get(2)).toEqual({ rc: 3, out: '2\0a\0bcd\0' })
    expect(existsSync(pwned)).toBe(false)
  })

  it('a syntax error in a script fails its own call only', () => {
    const defs: string[] = []
    const bad = render(['sh', '-c', broken, 'sh'], defs)
    const good = render(['sh', '-c', script, 'sh', 'x', 'yz'], defs)
    const got = session(renderFrame(nonce, 1, bad, undefined, defs.join('\n')) + renderFrame(nonce, 2, good))
    expect(got.get(1)?.rc).toBe(2)
    expect(got.get(2)).toEqual({ rc: 2, out: '2\0x\0yz\0' })
  })

  it('keeps one function per script and variable list', () => {
    const vars = ['p', 'q']
    const a = scriptFunction(script, vars)
    expect(scriptFunction(script, [...vars])).toBe(a)
    expect(scriptFunction(script)).toBe(scriptFunction(script))
    const names = [a, scriptFunction(script), scriptFunction(script, []), scriptFunction(script, ['p'])].map(
      (f) => f?.name,
    )
    expect(new Set(names).size).toBe(4)
    expect(a?.define).toContain('unset p q')
  })

  it.each([
    ['short', 'echo "$1"'],
    ['uses return', `${pad}\nf() { return 3; }; f`],
    ['uses local', `${pad}\nlocal x=1`],
  ])('a script that is %s is sent inline', (_, s) => {
    expect(scriptFunction(s)).toBeUndefined()
    const defs: string[] = []
    expect(render(['sh', '-c', s, 'sh'], defs)).toContain('eval')
    expect(defs).toEqual([])
  })
})

describe('hereDocText', () => {
  const d = '_TSPLAY_x'
  it.each([
    ['plain text', 'a\nb\n', 'a\nb\n'],
    ['no final newline', 'a', undefined],
    ['empty', '', undefined],
    ['a NUL byte', 'a\0b\n', undefined],
    ['the delimiter as a line', `a\n${d}\nb\n`, undefined],
    ['the delimiter first', `${d}\n`, undefined],
    ['the delimiter inside a line', `a ${d} b\n`, `a ${d} b\n`],
  ])('%s', (_, text, want) => expect(hereDocText(Buffer.from(text, 'utf8'), d)).toBe(want))
  it('refuses bytes that are not UTF-8', () => {
    expect(hereDocText(Buffer.from([0x61, 0xff, 0x0a]), d)).toBeUndefined()
  })
})

describe('a frame cut short (connection dropped mid-write) runs nothing', () => {
  const nonce = 'fedcba98765432100123456789abcdef'
  const content = Buffer.from('x'.repeat(5000) + 'END', 'utf8')
  const target = join(dir, 'cut-target')
  const frame = renderFrame(nonce, 1, renderCommand({ argv: ['sh', '-c', 'cat > "$1"', 'sh', target] }), content)

  it.each(Array.from({ length: 25 }, (_, i) => Math.floor((frame.length * i) / 25)))(
    'cut after %i bytes: no file, or the whole file',
    (cut) => {
      rmSync(target, { force: true })
      spawnSync('/bin/sh', [], { input: frame.slice(0, cut), cwd: dir })
      expect(existsSync(target)).toBe(false)
    },
  )

  const text = Buffer.from('line\n'.repeat(1500), 'utf8')
  const textFrame = renderFrame(nonce, 1, renderCommand({ argv: ['sh', '-c', 'cat > "$1"', 'sh', target] }), text)
  it.each(Array.from({ length: 25 }, (_, i) => Math.floor((textFrame.length * i) / 25)))(
    'text stdin, cut after %i bytes: no file',
    (cut) => {
      rmSync(target, { force: true })
      spawnSync('/bin/sh', [], { input: textFrame.slice(0, cut), cwd: dir })
      expect(existsSync(target)).toBe(false)
    },
  )

  it('the whole frame writes the whole file', () => {
    rmSync(target, { force: true })
    spawnSync('/bin/sh', [], { input: frame, cwd: dir })
    expect(readFileSync(target)).toEqual(content)
    rmSync(target, { force: true })
  })
})

describe('sudo as the shell start and exec channels say it', () => {
  it('passes become_flags on before -u, each word quoted; none: the plain line', () => {
    expect(renderShellStart({ user: 'app' })).toMatch(/^exec sudo -n -H -u 'app' -- \/bin\/sh -c /)
    expect(renderShellStart({ user: 'app', flags: ['-E', '--preserve-env=A,B'] })).toMatch(
      /^exec sudo -n -H '-E' '--preserve-env=A,B' -u 'app' -- \/bin\/sh -c /,
    )
    expect(renderExec({ argv: ['id'] }, { user: 'app', flags: ['-P'], askpass: '/d/askpass' })).toMatch(
      /^env SUDO_ASKPASS='\/d\/askpass' sudo -A -H '-P' -u 'app' -- /,
    )
  })
})

describe('doas as the shell start and exec channels say it', () => {
  it('runs doas -n with its program and flags before -u, each word quoted, and the command as argv words', () => {
    expect(renderShellStart({ method: 'doas', user: 'app' })).toMatch(/^exec 'doas' '-n' '-u' 'app' \/bin\/sh -c /)
    const spec = { method: 'doas', user: "o'k", exe: '/usr/bin/doas', flags: ['-n'] } as const
    expect(renderExec({ argv: ['id'] }, spec)).toMatch(
      /^exec '\/usr\/bin\/doas' '-n' '-n' '-u' 'o'\\''k' \/bin\/sh -c '/,
    )
  })

  it('hands the wrapper to the program as doas would, which runs it with its exit code', () => {
    // a stand-in doas on PATH that drops its options and runs the rest as argv, as doas does after becoming USER
    const bin = mkdtempSync(join(dir, 'doas-'))
    writeFileSync(join(bin, 'doas'), '#!/bin/sh\nwhile [ "$1" != -u ]; do shift; done; shift 2; exec "$@"\n', {
      mode: 0o755,
    })
    const line = renderExec(
      { argv: ['sh', '-c', 'echo "$1 $HOME"; exit 3', 'sh', "it's"] },
      { method: 'doas', user: 'x' },
    )
    const r = spawnSync('/bin/sh', ['-c', line], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } })
    expect(r.status).toBe(3)
    expect(r.stdout.toString()).toBe(`it's ${process.env.HOME}\n`)
    rmSync(bin, { recursive: true })
  })
})

describe('renderExec (exec channels) through a real /bin/sh', () => {
  const target = join(dir, 'exec-target')
  const content = Buffer.from('y'.repeat(100_000), 'utf8')

  it('reports its pid first, then runs the command with all of its stdin', () => {
    rmSync(target, { force: true })
    const r = spawnSync(
      '/bin/sh',
      ['-c', renderExec({ argv: ['sh', '-c', 'cat > "$1"', 'sh', target] }, undefined, content.length)],
      { input: content, cwd: dir },
    )
    // eslint-disable-next-line no-control-regex -- the marker starts with a record separator
    expect(r.stderr.toString('latin1')).toMatch(/^\x1eTSPPID:\d+\n$/)
    expect(readFileSync(target)).toEqual(content)
    rmSync(target, { force: true })
  })

  it.each([0, 1, 50_000, 99_999])(
    'stdin cut short after %i bytes: the command does not run, no temp file stays',
    (cut) => {
      rmSync(target, { force: true })
      const tmp = mkdtempSync(join(dir, 'tmpdir-'))
      const r = spawnSync(
        '/bin/sh',
        ['-c', renderExec({ argv: ['sh', '-c', 'cat > "$1"', 'sh', target] }, undefined, content.length)],
        {
          input: content.subarray(0, cut),
          cwd: dir,
          env: { ...process.env, TMPDIR: tmp },
        },
      )
      expect(r.status).toBe(125)
      expect(r.stderr.toString()).toContain('stdin cut short')
      expect(existsSync(target)).toBe(false)
      expect(readdirSync(tmp)).toEqual([])
      rmSync(tmp, { recursive: true })
    },
  )

  it('without stdin the command runs directly with its exit code', () => {
    const r = spawnSync('/bin/sh', ['-c', renderExec({ argv: ['sh', '-c', 'echo hi; exit 7'] })])
    expect(r.status).toBe(7)
    expect(r.stdout.toString()).toBe('hi\n')
  })
})

/** What sudo's `-i`/`-s` hand a login shell: every character but letters, digits, `_`, `-` and `$` escaped. */
const sudoJoined = (argv: string[]): string => argv.map((a) => a.replace(/[^A-Za-z0-9_$-]/g, '\\$&')).join(' ')

describe('dollarFree: a script that survives the login shell of sudo -i/-s', () => {
  const scripts = [
    'printf "%s|" "$0" "$#" "a  b" \'q"x\' "\\\\n" "%d" "`echo bq`" "$(echo sub)"; echo',
    "x='it''s'; echo \"$x\" 100%",
    'for w in 1 2; do\n  echo "line $w\t(tab)"\ndone\n\n',
    'echo "é ✓ \\$HOME"; exit 3',
  ]
  it.each(scripts)('%j: the same output and exit code as run directly', (script) => {
    const direct = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8' })
    const wrapped = dollarFree(script)
    // between `eval "\`printf '` and `'\`"`: nothing a login shell would expand or unquote
    expect(wrapped.slice(15, -3)).not.toMatch(/[$'"`]/)
    const viaShell = spawnSync('/bin/sh', ['-c', wrapped], { encoding: 'utf8' })
    expect([viaShell.stdout, viaShell.status]).toEqual([direct.stdout, direct.status])
    // as sudo -i hands it on: a login shell runs the escaped line, which runs /bin/sh -c with the text
    const login = spawnSync('/bin/sh', ['-c', sudoJoined(['/bin/sh', '-c', wrapped])], { encoding: 'utf8' })
    expect([login.stdout, login.status]).toEqual([direct.stdout, direct.status])
  })
  it('the control: a script with a variable does not survive that login shell as it is', () => {
    const script = "x='it''s'; echo \"$x\""
    const bare = spawnSync('/bin/sh', ['-c', sudoJoined(['/bin/sh', '-c', script])], { encoding: 'utf8' })
    expect(bare.stdout).not.toBe('its\n')
    expect(spawnSync('/bin/sh', ['-c', dollarFree(script)], { encoding: 'utf8' }).stdout).toBe('its\n')
  })
})
