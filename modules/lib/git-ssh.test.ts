import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { gitSshOptions, withSsh } from './git-ssh.js'

describe('git ssh options', () => {
  it.each([
    [{}, undefined],
    [{ accept_hostkey: true }, "'-o' 'StrictHostKeyChecking=no' '-o' 'BatchMode=yes'"],
    [{ accept_newhostkey: true }, "'-o' 'StrictHostKeyChecking=accept-new' '-o' 'BatchMode=yes'"],
    [
      { ssh_opts: '-o StrictHostKeyChecking=accept-new', accept_hostkey: true },
      "'-o' 'StrictHostKeyChecking=accept-new' '-o' 'BatchMode=yes'",
    ],
    [{ ssh_opts: '-p 2222 -o "ProxyCommand=a b"' }, "'-p' '2222' '-o' 'ProxyCommand=a b' '-o' 'BatchMode=yes'"],
    [{ key_file: "/k/it's" }, `'-o' 'BatchMode=yes' '-i' '/k/it'\\''s' '-o' 'IdentitiesOnly=yes'`],
    [{ key_file: '~/.ssh/id x' }, "'-o' 'BatchMode=yes' '-i' ~/'.ssh/id x' '-o' 'IdentitiesOnly=yes'"],
    [
      { ssh_opts: '-o BatchMode=yes -i /k -o IdentitiesOnly=yes', key_file: '/k' },
      "'-o' 'BatchMode=yes' '-i' '/k' '-o' 'IdentitiesOnly=yes'",
    ],
  ])('%j', (args, want) => expect(gitSshOptions(args)).toBe(want))

  it('hostile values stay words: ssh receives them verbatim, nothing runs', () => {
    const opts = gitSshOptions({ ssh_opts: "-o 'x=$(touch /tmp/M)' -o y=\\;id", key_file: '/k/`id`' })!
    const cmd = withSsh({ argv: ['sh', '-c', 'sh -c "$GIT_SSH_COMMAND \\"\\$@\\"" ssh "$1"', 'sh', 'host'] }, opts)
    // as git runs GIT_SSH_COMMAND; the environment's GIT_SSH is the base: printf, so the words come back one a line
    const out = execFileSync(cmd.argv[0]!, cmd.argv.slice(1), {
      env: { ...cmd.env, PATH: process.env.PATH, GIT_SSH: "printf '%s\\n'" },
    })
    expect(out.toString().split('\n')).toEqual([
      '-o',
      'x=$(touch /tmp/M)',
      '-o',
      'y=;id',
      '-o',
      'BatchMode=yes',
      '-i',
      '/k/`id`',
      '-o',
      'IdentitiesOnly=yes',
      'host',
      '',
    ])
  })

  it('refuses ssh_opts that are not shell words (an open quote)', () => {
    expect(() => gitSshOptions({ ssh_opts: "-o 'x" })).toThrow(/ssh_opts "-o 'x" are not shell words: unterminated/)
  })
})
