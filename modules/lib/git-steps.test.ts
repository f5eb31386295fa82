import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Command } from '../../engine/types.js'
import { archiveCheck, archiveCommand, verifyCommand } from './git-steps.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-git-steps-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const env = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  ...{ GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_AUTHOR_DATE: '2020-01-01T00:00:00Z' },
  ...{ GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid', GIT_COMMITTER_DATE: '2020-01-01T00:00:00Z' },
  HOME: dir,
}
/** Run a command here, as the host would. */
function run(cmd: Command, extra: Record<string, string> = {}) {
  const r = spawnSync(cmd.argv[0]!, cmd.argv.slice(1), {
    env: { ...env, ...extra },
    cwd: cmd.cwd ?? dir,
    encoding: 'utf8',
  })
  return { rc: r.status, stdout: r.stdout.trim(), stderr: r.stderr.trim() }
}
const git = (...a: string[]) => run({ argv: ['git', '-C', join(dir, 'r'), ...a] })
run({ argv: ['git', 'init', '-q', '-b', 'main', join(dir, 'r')] })
run({ argv: ['sh', '-c', 'echo a > "$1/a"', 'sh', join(dir, 'r')] })
git('add', 'a')
git('commit', '-qm', 'a1')

describe('git archive steps, run on a local repository', () => {
  const repo = join(dir, 'r')
  const zip = join(dir, 'a.zip')
  it('writes a missing archive, then finds it the same, and rewrites it when the prefix changes', () => {
    expect(run(archiveCheck(repo, zip, 'zip', 'main')).stdout).toBe('differs')
    expect(run(archiveCommand(repo, zip, 'zip', 'main'))).toMatchObject({ rc: 0, stdout: 'written' })
    expect(statSync(zip).mode & 0o777).toBe(0o644 & ~process.umask())
    expect(run(archiveCheck(repo, zip, 'zip', 'main')).stdout).toBe('same')
    expect(run(archiveCommand(repo, zip, 'zip', 'main')).stdout).toBe('same')
    expect(run(archiveCheck(repo, zip, 'zip', 'main', 'p/')).stdout).toBe('differs')
    expect(run(archiveCommand(repo, zip, 'zip', 'main', 'p/')).stdout).toBe('written')
    expect(run(archiveCheck(repo, zip, 'zip', 'main', 'p/')).stdout).toBe('same')
  })
  it('a tar.gz comes out the same twice (the check compares bytes)', () => {
    const tgz = join(dir, 'a.tar.gz')
    expect(run(archiveCommand(repo, tgz, 'tar.gz', 'HEAD', '$(touch x)/')).stdout).toBe('written')
    expect(run(archiveCheck(repo, tgz, 'tar.gz', 'HEAD', '$(touch x)/')).stdout).toBe('same')
    expect(existsSync(join(dir, 'x'))).toBe(false)
  })
})

describe('git signature step, run on a local repository', () => {
  const repo = join(dir, 'r')
  const hasGpg = spawnSync('sh', ['-c', 'command -v gpg']).status === 0
  it.skipIf(!hasGpg)('fails on an unsigned commit with Ansible’s words', () => {
    const r = run(verifyCommand(repo, 'main', []))
    expect(r.rc).toBe(1)
    expect(r.stderr).toBe('Failed to verify GPG signature of commit/tag "main"')
  })
  it('fails clearly when gpg is missing', () => {
    const bin = join(dir, 'bin')
    run({ argv: ['mkdir', '-p', bin] })
    const gitPath = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim()
    symlinkSync(gitPath, join(bin, 'git'))
    const r = spawnSync('/bin/sh', verifyCommand(repo, 'main', []).argv.slice(1), {
      env: { ...env, PATH: bin },
      encoding: 'utf8',
    })
    expect(r.status).toBe(3)
    expect(r.stderr.trim()).toBe('gpg is not installed on the host: cannot verify "main"')
  })
})
