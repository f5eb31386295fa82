/**
 * Security: values that reach a command are data, never shell (or SQL, or options). End to end through
 * the CLI against a real loopback sshd (and a private PostgreSQL cluster): every module argument that reaches a
 * command gets hostile values (`'; touch M #`, `$(touch M)`, backticks, quotes, newlines, SQL breakouts,
 * `--option=` smuggling); each task may fail, but no marker file may appear. A control task that does run
 * `touch` proves the markers would show. Not covered here: `reboot` (would reboot this machine) and
 * `wait_for.host` (a hostile name would go to DNS); test/modules/hostile.test.ts covers them locally.
 */
import { execFileSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runArgs, writeTree } from '../helpers/cli.js'
import { canRunSshd, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { bounded, explain } from '../faults/util.js'
import { canRunPg, HYDRA_STANDIN, startPg, type PgCluster } from './pg.js'

const can = canRunSshd()
const pgOk = canRunPg()

/** Hostile values; `M` is the marker path. */
const SHELL = [
  (m: string) => `'; touch ${m} #`,
  (m: string) => `$(touch ${m})`,
  (m: string) => `\`touch ${m}\``,
  (m: string) => `"; touch ${m}; "`,
  (m: string) => `x\ntouch ${m}`,
]
const SQL = [
  (m: string) => `x"; COPY (SELECT 1) TO PROGRAM 'touch ${m}'; --`,
  (m: string) => `x'; COPY (SELECT 1) TO PROGRAM 'touch ${m}'; --`,
]
const OPTION = [(m: string) => `--upload-pack=touch ${m}`, (m: string) => `-oDPkg::Pre-Invoke::=touch ${m}`]

/** A module, its valid base arguments, the arguments to poison, whether it needs become, which values. */
interface Case {
  module: string
  base: Record<string, unknown>
  poison: string[]
  become?: boolean
  sql?: boolean
  option?: boolean
  pg?: boolean
}
/** Arguments that are paths: the hostile value goes under the scratch folder (never litters a home). */
const PATHS = new Set(['chdir', 'creates', 'removes', 'dest', 'path', 'file', 'home', 'separate_git_dir', 'key_file'])

function cases(s: string): Case[] {
  return [
    { module: 'command', base: { argv: ['true'] }, poison: ['argv', 'cmd', 'chdir', 'creates', 'removes', 'stdin'] },
    {
      module: 'shell',
      base: { cmd: 'echo {{ hostile }}' },
      poison: ['cmd', 'chdir', 'creates', 'removes', 'stdin', 'executable'],
    },
    {
      module: 'copy',
      base: { content: 'x\n', dest: `${s}/c` },
      poison: ['content', 'dest', 'owner', 'group', 'mode', 'validate'],
    },
    {
      module: 'template',
      base: { src: 't.j2', dest: `${s}/t` },
      poison: ['dest', 'owner', 'group', 'mode', 'validate'],
    },
    { module: 'file', base: { path: `${s}/d`, state: 'directory' }, poison: ['path', 'owner', 'group', 'mode', 'src'] },
    {
      module: 'lineinfile',
      base: { path: `${s}/f`, line: 'b', create: true },
      poison: ['path', 'line', 'regexp', 'insertafter', 'owner', 'group', 'mode', 'validate'],
    },
    { module: 'stat', base: { path: `${s}/f` }, poison: ['path'] },
    { module: 'wait_for', base: { path: `${s}/f`, timeout: 1 }, poison: ['path', 'search_regex'] },
    { module: 'apt', base: { name: 'tsplay-no-such-package' }, poison: ['name'], become: true, option: true },
    {
      module: 'git',
      base: { repo: `${s}/repo.git`, dest: `${s}/clone` },
      poison: ['repo', 'dest', 'version', 'remote'],
      option: true,
    },
    {
      module: 'git',
      base: { repo: `${s}/full`, dest: `${s}/clone2`, archive: `${s}/a.zip` },
      poison: ['refspec', 'separate_git_dir', 'archive_prefix', 'ssh_opts', 'key_file'],
      option: true,
    },
    {
      module: 'make',
      base: { chdir: `${s}/mk`, target: 'all' },
      poison: ['chdir', 'target', 'file', 'params', 'params-key'],
      option: true,
    },
    { module: 'systemd', base: { name: 'tsplay-no-such.service', state: 'started' }, poison: ['name'], become: true },
    {
      module: 'user',
      base: { name: 'tsplayinj', create_home: false },
      poison: ['name', 'comment', 'shell', 'home', 'group', 'groups', 'password'],
      become: true,
      option: true,
    },
    { module: 'group', base: { name: 'tsplayinjg' }, poison: ['name'], become: true, option: true },
    {
      module: 'postgres_user',
      base: { name: 'inj', password: 'pw' },
      poison: ['name', 'password', 'role_attr_flags', 'login_db'],
      become: true,
      sql: true,
      pg: true,
    },
    {
      module: 'postgres_db',
      base: { name: 'injdb' },
      poison: ['name', 'owner', 'encoding', 'template', 'extensions', 'login_db'],
      become: true,
      sql: true,
      pg: true,
    },
    {
      module: 'hydra_create_user',
      base: { name: 'inj', password: 'pw' },
      poison: ['name', 'full_name', 'email', 'password', 'roles', 'database'],
      become: true,
      sql: true,
      pg: true,
    },
  ]
}

/**
 * The task arguments with `arg` set to the hostile value. It arrives through `{{ hostile }}` (a task variable),
 * as user values do, so load-time validation cannot catch it: the module itself must keep it data.
 */
function place(c: Case, arg: string, v: string, s: string): Record<string, unknown> {
  const a: Record<string, unknown> = { ...c.base }
  const h = '{{ hostile }}'
  if (arg === 'argv') a.argv = ['echo', h]
  else if (arg === 'cmd' && c.module === 'command') {
    delete a.argv
    a.cmd = `echo ${h}`
  } else if (arg === 'cmd')
    // shell's cmd is shell by design: a {{ }} value inside it is quoted (a script that is one value is that script)
    a.cmd = `echo ${h}`
  else if (arg === 'params') a.params = { X: h }
  else if (arg === 'validate') a.validate = `${h} %s`
  else if (arg === 'params-key') a.params = { [v]: '1' }
  else if (['groups', 'roles', 'extensions'].includes(arg)) a[arg] = [h]
  else if (arg === 'src' && c.module === 'file') Object.assign(a, { path: `${s}/link`, src: h, state: 'link' })
  else a[arg] = PATHS.has(arg) ? `${s}/${h}` : h
  return a
}

describe.skipIf(!can.ok)(`no injection through any module argument${can.ok ? '' : ` (skipped: ${can.why})`}`, () => {
  let fleet: SshdFleet
  let pg: PgCluster | undefined
  let dir: string
  let marks: string
  let scratch: string
  const args = (book: string) => runArgs(dir, book, fleet, ['--json'])

  beforeAll(async () => {
    fleet = await startSshd({ count: 1, sudo: 'nopasswd' })
    if (pgOk) pg = await startPg()
    marks = mkdtempSync(join(tmpdir(), 'tsplay-inj-'))
    chmodSync(marks, 0o1777)
    scratch = join(marks, 's')
    mkdirSync(join(scratch, 'mk'), { recursive: true })
    writeFileSync(join(scratch, 'mk', 'Makefile'), 'all:\n\t@true\n')
    writeFileSync(join(scratch, 'f'), 'a\n')
    execFileSync('git', ['init', '-q', '--bare', join(scratch, 'repo.git')])
    // a repository with a commit, so the git arguments below reach the clone, archive and fetch commands
    const who = ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid']
    execFileSync('git', ['init', '-q', '-b', 'main', join(scratch, 'full')])
    execFileSync('git', ['-C', join(scratch, 'full'), ...who, 'commit', '-q', '--allow-empty', '-m', 'one'])
    execFileSync('chown', ['-R', `${fleet.user}:`, scratch])
    dir = writeTree({ 'inventory.yml': fleet.inventoryYaml(), 't.j2': 'hello\n' })
  })

  afterAll(async () => {
    for (const [cmd, name] of [
      ['userdel', 'tsplayinj'],
      ['groupdel', 'tsplayinjg'],
    ]) {
      try {
        execFileSync(cmd, [name], { stdio: 'ignore' })
      } catch {
        /* not created */
      }
    }
    await pg?.stop()
    await fleet?.stop()
    if (marks) rmSync(marks, { recursive: true, force: true })
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  const families = [
    ['shell metacharacters', SHELL],
    ['SQL breakouts', SQL],
    ['option smuggling', OPTION],
  ] as const
  it.each(families)(
    '%s: no marker appears, whatever the task outcome',
    async (family, values) => {
      const tasks: string[] = []
      const names: string[] = []
      for (const c of cases(scratch)) {
        if (c.pg && !pg) continue
        if (family === 'SQL breakouts' && !c.sql) continue
        if (family === 'option smuggling' && !c.option) continue
        for (const arg of c.poison) {
          values.forEach((val, k) => {
            const name = `${c.module}.${arg}.${k}`
            const v = val(join(marks, name))
            const a = place(c, arg, v, scratch)
            const env =
              c.pg && pg
                ? {
                    PGHOST: pg.host,
                    PGPORT: pg.port,
                    PATH: `${HYDRA_STANDIN}:/usr/sbin:/usr/bin:/sbin:/bin`,
                    HYDRA_DBI: `dbi:Pg:dbname=postgres;host=${pg.host};port=${pg.port};`,
                  }
                : undefined
            names.push(name)
            tasks.push(
              JSON.stringify({
                name,
                [c.module]: a,
                vars: { hostile: v },
                become: c.become ?? false,
                ignore_errors: true,
                ...(env ? { environment: env } : {}),
              }),
            )
          })
        }
      }
      const control = join(marks, `control-${names.length}`)
      tasks.push(JSON.stringify({ name: 'control', command: { argv: ['sh', '-c', `touch ${control}`] } }))
      const book = `inj-${names.length}.yml`
      writeFileSync(
        join(dir, book),
        `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks.map((t) => `    - ${t}\n`).join('')}`,
      )
      const r = await bounded(args(book), { limitMs: 280_000 })
      expect(r.killed, explain(r)).toBe(false)
      expect(r.code, explain(r)).toBe(0) // every hostile task has ignore_errors; exit 5 would mean nothing ran
      const ran = new Set(r.events.filter((e) => e.type === 'task').map((e) => e.task))
      expect(names.filter((n) => !ran.has(n))).toEqual([])
      expect(existsSync(control)).toBe(true) // the markers would show
      expect(readdirSync(marks).filter((f) => f !== 's' && !f.startsWith('control-'))).toEqual([])
      // the values did reach the host, as data: written verbatim, or a role of that very name
      const last = values.length - 1
      if (family === 'shell metacharacters') {
        expect(readFileSync(join(scratch, 'c'), 'utf8')).toBe(values[last](join(marks, `copy.content.${last}`)))
        expect(readFileSync(join(scratch, 'f'), 'utf8')).toContain(values[last](join(marks, `lineinfile.line.${last}`)))
      }
      if (family === 'SQL breakouts' && pg) {
        // a name of at most 63 bytes is created verbatim; a longer one (PostgreSQL would truncate it) is refused
        const wanted = values.map((v, k) => v(join(marks, `postgres_user.name.${k}`)))
        const roles = pg
          .sql('postgres', "SELECT rolname FROM pg_roles WHERE rolname LIKE 'x_; COPY%' ORDER BY 1")
          .split('\n')
          .filter(Boolean)
        expect(roles).toEqual(wanted.filter((n) => Buffer.byteLength(n) <= 63).sort())
        for (const [k, n] of wanted.entries()) {
          if (Buffer.byteLength(n) <= 63) continue
          const res = r.events.find((e) => e.type === 'task' && e.task === `postgres_user.name.${k}`)
          expect(res?.msg, explain(r)).toMatch(/PostgreSQL keeps only the first 63/)
        }
      }
    },
    300_000,
  )
})
