import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, onTestFinished, test } from 'vitest'
import { LocalConnector } from '../engine/local/connector.js'
import { parseServices, planServiceFacts, scanCommand } from './service_facts.js'

const SYSTEMD = [
  '@sysv',
  ' [ + ]  cron',
  ' [ - ]  hwclock.sh',
  ' [ ? ]  weird',
  '@units',
  '  UNIT                 LOAD      ACTIVE   SUB     DESCRIPTION',
  '  cron.service         loaded    active   running Regular background program processing daemon',
  '● gone.service         not-found inactive dead    gone.service',
  '● broken.service       loaded    failed   failed  Broken',
  '  e2scrub_reap.service loaded    inactive dead    Remove Stale Online ext4 Metadata Check Snapshots',
  '',
  '4 loaded units listed.',
  '@files',
  'UNIT FILE            STATE    VENDOR PRESET',
  'cron.service         enabled  enabled',
  'broken.service       enabled  enabled',
  'e2scrub_reap.service enabled  enabled',
  'getty@.service       enabled  enabled',
  'rescue.service       static   -',
  '',
  '5 unit files listed.',
  '@show',
  'getty@.service ',
  'rescue.service ActiveState=inactive',
  '',
].join('\n')

describe('service_facts', () => {
  test('init scripts and systemd units as Ansible describes them', () => {
    expect(parseServices(SYSTEMD)).toEqual({
      cron: { name: 'cron', state: 'running', source: 'sysv' },
      'hwclock.sh': { name: 'hwclock.sh', state: 'stopped', source: 'sysv' },
      'cron.service': { name: 'cron.service', state: 'running', status: 'enabled', source: 'systemd' },
      'gone.service': { name: 'gone.service', state: 'stopped', status: 'not-found', source: 'systemd' },
      'broken.service': { name: 'broken.service', state: 'stopped', status: 'failed', source: 'systemd' },
      'e2scrub_reap.service': { name: 'e2scrub_reap.service', state: 'stopped', status: 'enabled', source: 'systemd' },
      'getty@.service': { name: 'getty@.service', state: 'unknown', status: 'enabled', source: 'systemd' },
      'rescue.service': { name: 'rescue.service', state: 'inactive', status: 'static', source: 'systemd' },
    })
  })

  test.each([
    { what: 'nothing found is skipped', out: '', skip: /Failed to find any services/ },
    { what: 'found', out: '@sysv\n [ - ]  ssh\n', skip: undefined },
  ])('$what', ({ out, skip }) => {
    const p = planServiceFacts(out)
    if (skip) expect(p.skip).toMatch(skip)
    else {
      expect(p.moduleFacts).toEqual({ services: { ssh: { name: 'ssh', state: 'stopped', source: 'sysv' } } })
      expect(p.changed).toBe(false)
    }
  })

  test('this host: the scan runs and finds the init scripts it has', async () => {
    const r = await new LocalConnector('localhost').run(scanCommand())
    expect(r.rc).toBe(0)
    const services = parseServices(r.stdout)
    expect(Object.keys(services).length).toBeGreaterThan(0)
  })

  test('with systemd: list-units runs once, unloaded unit files get their ActiveState', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-svcfacts-'))
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    writeFileSync(join(dir, 'comm'), 'systemd\n')
    writeFileSync(join(dir, 'systemctl'), stubSystemctl(dir), { mode: 0o755 })
    const cmd = scanCommand(join(dir, 'comm'))
    const out = execFileSync(cmd.argv[0], cmd.argv.slice(1), {
      encoding: 'utf8',
      env: { PATH: `${dir}:/usr/bin:/bin`, LC_ALL: 'C' },
    })
    const calls = readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n')
    expect(calls.filter((c) => c.startsWith('list-units'))).toHaveLength(1)
    expect(calls.filter((c) => c.startsWith('show'))).toEqual(['show idle.service --property=ActiveState'])
    const services = parseServices(out)
    expect(services['ssh.service']).toEqual({
      name: 'ssh.service',
      state: 'running',
      status: 'enabled',
      source: 'systemd',
    })
    expect(services['gone.service']).toMatchObject({ state: 'stopped', status: 'not-found' })
    expect(services['idle.service']).toMatchObject({ state: 'inactive', status: 'disabled' })
  })
})

/** A `systemctl` that logs its arguments to DIR/calls and answers as a small systemd host would. */
function stubSystemctl(dir: string): string {
  return `#!/bin/sh
echo "$*" >> '${dir}/calls'
case "$1" in
list-units) printf '%s\\n' '  UNIT            LOAD      ACTIVE   SUB     DESCRIPTION' \\
  '  ssh.service     loaded    active   running OpenBSD Secure Shell server' \\
  '● gone.service    not-found inactive dead    gone.service' '' 'LOAD   = Reflects whether it loaded.' ;;
list-unit-files) printf '%s\\n' 'UNIT FILE       STATE    VENDOR PRESET' 'ssh.service     enabled  enabled' \\
  'idle.service    disabled enabled' ;;
show) echo ActiveState=inactive ;;
esac
`
}
