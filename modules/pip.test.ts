import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import pip, { parseProbe, type PipState } from './pip.js'
import { compareVersions, parseFreeze, parseRequirement, recoverNames, satisfied } from './lib/pipreq.js'
import { localIO, planOf, runWith, testCtx, type WrittenArgs } from '../test/helpers/module-ctx.js'

describe('pip requirement strings', () => {
  it.each([
    [['django>1.11.1', '<1.11.3', 'ipaddress', 'simpleproject>1.1.0', '<2.0.0'], 3],
    [['django>1.11.1,<1.11.3,ipaddress', 'simpleproject>1.1.0,<2.0.0'], 3],
    [['req[a,b]>=1', 'six'], 2],
  ])('rejoins %j', (names, n) => expect(recoverNames(names)).toHaveLength(n))

  it.each([
    ['Foo_Bar>=1.0,<2', 'foo-bar', 2],
    ['six', 'six', 0],
    ['req[x]==1.*', 'req', 1],
    ['./pkg', undefined, 0],
    ['git+https://x/y.git', undefined, 0],
  ])('parses %s', (text, name, specs) => {
    const r = parseRequirement(text)
    expect(r?.name).toBe(name)
    if (r) expect(r.specs).toHaveLength(specs)
  })

  it.each([
    ['foo>=1.0', '1.0', true],
    ['foo>=1.0', '0.9', false],
    ['foo==1.0', '1.0.0', true],
    ['foo==1.*', '1.4', true],
    ['foo==1.*', '2.0', false],
    ['foo~=1.4', '1.9', true],
    ['foo~=1.4.2', '1.5', false],
    ['foo<2', '2.0rc1', true],
    ['foo!=1.0', '1.0', false],
    ['foo>1.0,<1.5', '1.2', true],
  ])('%s satisfied by %s: %s', (req, v, want) => expect(satisfied(parseRequirement(req)!, v)).toBe(want))

  it('orders versions', () => {
    expect(compareVersions('1.10', '1.9')).toBeGreaterThan(0)
    expect(compareVersions('1.0rc1', '1.0')).toBeLessThan(0)
    expect(compareVersions('1.0.post1', '1.0')).toBeGreaterThan(0)
  })

  it('reads the package list', () => {
    expect([...parseFreeze('pip==23.0.1\nSome_Pkg==1.2\n-e git+x#egg=y\n')]).toEqual([
      ['pip', '23.0.1'],
      ['some-pkg', '1.2'],
    ])
  })

  it('parses the probe', () => {
    expect(parseProbe('venv there\nargv /v/bin/pip3\npkg six==1.16.0\n', true)).toEqual({
      venv: 'there',
      pip: ['/v/bin/pip3'],
      freeze: 'six==1.16.0',
    })
    expect(parseProbe('venv missing\n', true).venv).toBe('missing')
  })
})

const sys: PipState = { venv: 'none', pip: ['python3', '-m', 'pip'], freeze: 'six==1.16.0\nrequests==2.28.1' }
const venv: PipState = { venv: 'there', pip: ['/v/bin/pip3'], freeze: 'six==1.16.0' }
type Row = [string, WrittenArgs<typeof pip>, PipState, { argv?: string[][]; fail?: RegExp; check?: boolean }]
const rows: Row[] = [
  ['present and satisfied: nothing', { name: 'six' }, sys, { argv: [] }],
  ['umask with nothing to do: nothing', { name: 'six', umask: '0077' }, sys, { argv: [] }],
  [
    'umask: the virtualenv and the install run with it',
    { name: 'six', virtualenv: '/v', virtualenv_command: 'python3 -m venv', umask: '0077' },
    { venv: 'missing', pip: [], freeze: '' },
    {
      argv: [
        ['sh', '-c', 'umask "$1" && shift && exec "$@"', 'sh', '0077', 'python3', '-m', 'venv', '/v'],
        ['sh', '-c', 'umask "$1" && shift && exec "$@"', 'sh', '0077', '/v/bin/pip', 'install', 'six'],
      ],
    },
  ],
  ['present with a met specifier', { name: ['six>=1.0', 'requests'] }, sys, { argv: [] }],
  [
    'an unmet version installs',
    { name: 'six', version: '1.17.0' },
    sys,
    { argv: [['python3', '-m', 'pip', 'install', 'six==1.17.0']] },
  ],
  [
    'a version specifier in version',
    { name: 'six', version: '>=2' },
    sys,
    { argv: [['python3', '-m', 'pip', 'install', 'six >=2']] },
  ],
  ['absent and not there: nothing', { name: 'flask', state: 'absent' }, sys, { argv: [] }],
  [
    'absent and there',
    { name: 'six', state: 'absent' },
    sys,
    { argv: [['python3', '-m', 'pip', 'uninstall', '-y', 'six']] },
  ],
  [
    'latest always runs',
    { name: 'six', state: 'latest' },
    sys,
    { argv: [['python3', '-m', 'pip', 'install', '-U', 'six']] },
  ],
  [
    'forcereinstall',
    { name: 'six', state: 'forcereinstall' },
    sys,
    { argv: [['python3', '-m', 'pip', 'install', '-U', '--force-reinstall', 'six']] },
  ],
  [
    'a path always runs, extra_args split, editable adds -e',
    { name: './src', editable: true, extra_args: "--no-index --find-links '/w h'", chdir: '/app' },
    sys,
    { argv: [['python3', '-m', 'pip', 'install', '--no-index', '--find-links', '/w h', '-e', './src']] },
  ],
  [
    'requirements file',
    { requirements: 'req.txt', virtualenv: 'venv', chdir: '/app' },
    venv,
    { argv: [['/v/bin/pip3', 'install', '-r', 'req.txt']] },
  ],
  [
    'missing venv is created with venv',
    { name: 'six', virtualenv: '/opt/v', virtualenv_command: '/usr/bin/python3 -m venv' },
    { venv: 'missing', pip: [], freeze: '' },
    {
      argv: [
        ['/usr/bin/python3', '-m', 'venv', '/opt/v'],
        ['/opt/v/bin/pip', 'install', 'six'],
      ],
    },
  ],
  [
    'missing venv with virtualenv and site packages',
    { name: 'six', virtualenv: '/opt/v', virtualenv_site_packages: true, virtualenv_python: 'python3.11' },
    { venv: 'missing', pip: [], freeze: '' },
    {
      argv: [
        ['virtualenv', '--system-site-packages', '-ppython3.11', '/opt/v'],
        ['/opt/v/bin/pip', 'install', 'six'],
      ],
    },
  ],
  ['check mode: satisfied', { name: 'six' }, sys, { argv: [], check: true }],
  ['check mode: extra_args always changes', { name: 'six', extra_args: '-q' }, sys, { argv: [[]], check: true }],
  ['latest with version fails', { name: 'six', version: '1', state: 'latest' }, sys, { fail: /incompatible/ }],
  ['version with two names fails', { name: ['six', 'flask'], version: '1' }, sys, { fail: /ambiguous/ }],
  ['version with a specifier fails', { name: 'six>1', version: '2' }, sys, { fail: /conflicts/ }],
  ['no pip', { name: 'six' }, { venv: 'none', pip: [], freeze: '' }, { fail: /python3-pip/ }],
  [
    'no pip in the venv',
    { name: 'six', virtualenv: '/v' },
    { venv: 'there', pip: [], freeze: '' },
    { fail: /Unable to find pip in the virtualenv \/v/ },
  ],
  [
    'venv_python with -m venv fails',
    { name: 'six', virtualenv: '/v', virtualenv_command: 'python3 -m venv', virtualenv_python: 'python3' },
    { venv: 'missing', pip: [], freeze: '' },
    { fail: /virtualenv_python/ },
  ],
]

describe('pip plan', () => {
  it.each(rows)('%s', (_n, args, state, want) => {
    let plan
    try {
      plan = planOf(pip, state, args, testCtx({ checkMode: want.check ?? false }))
    } catch (e) {
      return expect(String(e)).toMatch(want.fail!)
    }
    if (want.fail) return expect(plan.fail).toMatch(want.fail)
    expect(plan.fail).toBeUndefined()
    if (want.argv?.[0]?.length === 0) return expect(plan.commands).toHaveLength(1)
    expect(plan.commands.map((c) => c.argv)).toEqual(want.argv)
  })
})

/** A wheel made by hand (a zip with the package and its metadata): no network, no build tools. */
function makeWheel(dir: string, version: string): void {
  const src = mkdtempSync(join(dir, 'src-'))
  const info = join(src, `tinypkg-${version}.dist-info`)
  mkdirSync(join(src, 'tinypkg'))
  mkdirSync(info)
  writeFileSync(join(src, 'tinypkg/__init__.py'), `V = "${version}"\n`)
  writeFileSync(join(info, 'METADATA'), `Metadata-Version: 2.1\nName: tinypkg\nVersion: ${version}\n`)
  writeFileSync(join(info, 'WHEEL'), 'Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n')
  const files = ['tinypkg/__init__.py', 'METADATA', 'WHEEL', 'RECORD'].map((f) =>
    f.includes('/') ? f : `tinypkg-${version}.dist-info/${f}`,
  )
  writeFileSync(join(info, 'RECORD'), files.map((f) => `${f},,\n`).join(''))
  mkdirSync(join(dir, 'wheels'), { recursive: true })
  execFileSync('zip', ['-qr', join(dir, 'wheels', `tinypkg-${version}-py3-none-any.whl`), '.'], { cwd: src })
}

const canVenv = existsSync('/usr/bin/python3') && existsSync('/usr/share/python-wheels')

describe.skipIf(!canVenv)('pip on this machine (a virtualenv in a temp folder, a local wheel, no index)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-pip-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const base = {
    virtualenv: join(dir, 'venv'),
    virtualenv_command: '/usr/bin/python3 -m venv',
    extra_args: `--no-index --find-links ${join(dir, 'wheels')}`,
  }
  const run = (args: WrittenArgs<typeof pip>) => runWith(pip, args, testCtx({ diffMode: false }), localIO())

  it('creates the venv and installs, then is idempotent, upgrades, removes', async () => {
    makeWheel(dir, '1.0')
    const first = await run({ ...base, name: 'tinypkg', version: '1.0' })
    expect(first.failed, first.msg).toBeUndefined()
    expect(first.changed).toBe(true)
    expect(existsSync(join(dir, 'venv/bin/activate'))).toBe(true)
    const again = await run({ ...base, name: 'tinypkg', version: '1.0' })
    expect([again.failed, again.changed, again.results.length]).toEqual([undefined, false, 0])
    makeWheel(dir, '1.1')
    const up = await run({ ...base, name: 'tinypkg', state: 'latest' })
    expect([up.failed, up.changed]).toEqual([undefined, true])
    const same = await run({ ...base, name: 'tinypkg', state: 'latest' })
    expect([same.failed, same.changed, same.results.length]).toEqual([undefined, false, 1])
    const rm = { virtualenv: base.virtualenv, name: 'tinypkg', state: 'absent' as const }
    const gone = await run(rm)
    expect([gone.failed, gone.changed]).toEqual([undefined, true])
    const goneAgain = await run(rm)
    expect([goneAgain.failed, goneAgain.changed, goneAgain.results.length]).toEqual([undefined, false, 0])
    // uninstalling with options pip uninstall lacks fails with pip's own words
    const bad = await run({ ...base, name: 'pip', state: 'absent' })
    expect(bad.failed).toMatch(/no such option: --no-index/)
  }, 120_000)

  it('reports a package pip cannot find', async () => {
    const r = await run({ ...base, name: 'no-such-package-here' })
    expect(r.failed).toMatch(/No matching distribution/)
  }, 60_000)
})
