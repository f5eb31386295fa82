import { WRITE_END } from '../engine/commands.js'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import apt_repository, { parseSources, revertCommands, type SourcesState } from './apt_repository.js'
import { parseLine, suggestFilename } from './lib/sourceslist.js'
import {
  gatherOf,
  localIO,
  ok,
  planOf,
  runWith,
  scriptedIO,
  testCtx,
  type WrittenArgs,
} from '../test/helpers/module-ctx.js'

const D = '/etc/apt/sources.list.d'
const MAIN = '/etc/apt/sources.list'
const DEBIAN = 'deb http://deb.debian.org/debian bookworm main'
const state = (files: Record<string, string>): SourcesState => ({
  files: Object.entries(files).map(([path, text]) => ({ path, text })),
})
/** The text a write sends, without the end line that proves it arrived whole (checked here). */
const written = (stdin: string) => {
  expect(stdin.endsWith(`${WRITE_END}\n`)).toBe(true)
  return stdin.slice(0, -(WRITE_END.length + 1))
}
/** What the plan does, in words: `write PATH` (with the written text) or the argv. */
const effects = (p: ReturnType<typeof planOf>) =>
  p.commands.map((c) =>
    c.argv[0] === 'sh' && c.argv[4]?.startsWith('/')
      ? `write ${c.argv[4]}: ${written(String(c.stdin))}`
      : c.argv[0] === 'sh'
        ? 'apt-get update'
        : c.argv.join(' '),
  )

describe('the file name Ansible derives', () => {
  test.each([
    [DEBIAN, `${D}/deb_debian_org_debian.list`],
    [
      'deb [arch=amd64 signed-by=/k.gpg] https://user:pw@download.example.com/linux/debian bookworm stable',
      `${D}/download_example_com_linux_debian.list`,
    ],
    ['deb [trusted=yes] file:/srv/repo ./', `${D}/file_srv_repo.list`],
    ['deb-src http://deb.debian.org/debian bookworm main', `${D}/deb_debian_org_debian.list`],
  ])('%s → %s', (line, file) => expect(suggestFilename(line)).toBe(file))
  test('filename: in sources.list.d unless it has a /', () => {
    expect(suggestFilename(DEBIAN, 'backports')).toBe(`${D}/backports.list`)
    expect(suggestFilename(DEBIAN, '/etc/apt/other')).toBe('/etc/apt/other.list')
  })
  test('lines: disabled, comments, invalid', () => {
    expect(parseLine('#deb  http://x  y main # note')).toEqual({
      valid: true,
      enabled: false,
      source: 'deb http://x y main',
      comment: 'note',
    })
    expect(parseLine('# plain text').valid).toBe(false)
  })
})

type Row = { name: string; files: Record<string, string>; args: WrittenArgs<typeof apt_repository>; want: string[] }
describe('plan: args + state → commands', () => {
  test.each<Row>([
    {
      name: 'a new source: its own file, mode 0644, then apt-get update',
      files: { [MAIN]: `${DEBIAN}\n` },
      args: { repo: 'deb [trusted=yes] file:/srv/repo ./' },
      want: [`write ${D}/file_srv_repo.list: deb [trusted=yes] file:/srv/repo ./\n`, 'apt-get update'],
    },
    { name: 'already there (any file): nothing', files: { [MAIN]: `${DEBIAN}\n` }, args: { repo: DEBIAN }, want: [] },
    {
      name: 'there but disabled: enabled in place; every file normalised',
      files: { [MAIN]: `#${DEBIAN}\n#comment\n`, [`${D}/x.list`]: 'deb  http://x y  main\n' },
      args: { repo: DEBIAN, update_cache: false },
      want: [`write ${MAIN}: ${DEBIAN}\n# comment\n`, `write ${D}/x.list: deb http://x y main\n`],
    },
    {
      name: 'absent: the last line goes, and the file with it',
      files: { [MAIN]: `${DEBIAN}\n`, [`${D}/x.list`]: 'deb http://x y main\n' },
      args: { repo: 'deb http://x y main', state: 'absent', update_cache: false },
      want: [`rm -f -- ${D}/x.list`],
    },
    {
      name: 'absent: a disabled line stays',
      files: { [MAIN]: `# ${DEBIAN}\n` },
      args: { repo: DEBIAN, state: 'absent' },
      want: [],
    },
  ])('$name', ({ files, args, want }) => {
    const p = planOf(apt_repository, state(files), args)
    expect(effects(p)).toEqual(want)
    expect(p.changes?.length ?? 0).toBe(want.length ? 1 : 0)
  })

  test('mode of a new file; the diff names only the changed file', () => {
    const p = planOf(apt_repository, state({ [MAIN]: '# x\n' }), { repo: DEBIAN, mode: '0600', filename: 'deb' })
    expect(p.commands[0].argv.slice(4, 6)).toEqual([`${D}/deb.list`, '0600'])
    expect(p.diff).toEqual([{ path: `${D}/deb.list`, before: '', after: `${DEBIAN}\n` }])
    // an unquoted `mode: 0640` reads as the number 640 (YAML 1.2): its digits are octal, as in the file modules
    expect(planOf(apt_repository, state({}), { repo: DEBIAN, mode: 640 }).commands[0].argv[5]).toBe('0640')
  })

  test("mode on an existing file the line is added to (as Ansible's); a removal keeps the file's own", () => {
    const file = `${D}/deb.list`
    const add = planOf(apt_repository, state({ [file]: 'deb-src http://x y z\n' }), {
      repo: DEBIAN,
      mode: '0600',
      filename: 'deb',
    })
    expect(add.commands[0].argv.slice(4, 6)).toEqual([file, '0600'])
    const keep = planOf(apt_repository, state({ [file]: 'deb-src http://x y z\n' }), { repo: DEBIAN, filename: 'deb' })
    expect(keep.commands[0].argv.slice(4, 6)).toEqual([file, ''])
    const gone = planOf(apt_repository, state({ [file]: `${DEBIAN}\nx\n` }), { repo: DEBIAN, state: 'absent', mode: 1 })
    expect(gone.commands[0].argv.slice(4, 6)).toEqual([file, ''])
  })

  test('refusals: invalid line, ppa', () => {
    const f = (repo: string) => planOf(apt_repository, state({}), { repo }).fail
    expect(f('# deb http://x y')).toMatch(/^Invalid repository string/)
    expect(f('http://x y')).toMatch(/^Invalid repository string/)
    expect(f('ppa:deadsnakes/ppa')).toMatch(/ppa: sources are not supported/)
  })

  test('a failed update puts the files back', () => {
    const s = state({ [MAIN]: 'deb http://a b c\n' })
    const cmds = revertCommands(s, [MAIN, `${D}/new.list`])
    expect(cmds[0].stdin).toBe(`deb http://a b c\n${WRITE_END}\n`)
    expect(cmds[1].argv).toEqual(['rm', '-f', '--', `${D}/new.list`])
  })
})

describe('a whole run', () => {
  test('a failed update puts back every file the run wrote, as gather read it, and fails', async () => {
    const raw = 'deb  http://a b c\n' // rewritten (normalised) by the edit
    const io = scriptedIO([
      [/apt-get -q .*update/, { rc: 100, stdout: '', stderr: 'E: no route\n' }],
      [/sources\.list\.d\/\*\.list/, ok(`\x1e${MAIN}\n${raw}`)],
      [/^(sh|rm) /, ok()],
    ])
    const run = await runWith(apt_repository, { repo: DEBIAN, filename: 'new' }, testCtx(), io)
    expect(run.failed).toBe('Failed to update apt cache: E: no route')
    const reverts = io.seen.slice(4)
    expect(reverts.map((c) => c.describe)).toEqual([`restore ${MAIN}`, `remove ${D}/new.list`])
    expect(reverts[0].stdin).toBe(`${raw}${WRITE_END}\n`)
  })
})

describe('gather', () => {
  test('every sources file in one command, marked', async () => {
    const out = `\x1e${MAIN}\n${DEBIAN}\n\x1e${D}/x.list\n\n#c\n`
    const s = await gatherOf(apt_repository, { repo: DEBIAN }, testCtx(), scriptedIO([[/^sh -c/, ok(out)]]))
    expect(s.files).toEqual([
      { path: MAIN, text: `${DEBIAN}\n` },
      { path: `${D}/x.list`, text: '\n#c\n' },
    ])
    expect(parseSources('')).toEqual([])
  })
})

describe('gather on this machine (read-only)', () => {
  test('reads sources.list and every sources.list.d/*.list as they are', async () => {
    const want = [
      MAIN,
      ...readdirSync(D)
        .filter((f) => f.endsWith('.list'))
        .map((f) => join(D, f)),
    ]
      .filter((p) => existsSync(p))
      .map((path) => {
        const text = readFileSync(path, 'utf8')
        return { path, text: text === '' || text.endsWith('\n') ? text : `${text}\n` }
      })
    const s = await gatherOf(apt_repository, { repo: DEBIAN }, testCtx(), localIO())
    expect([...s.files].sort((a, b) => a.path.localeCompare(b.path))).toEqual(
      want.sort((a, b) => a.path.localeCompare(b.path)),
    )
  })
})
