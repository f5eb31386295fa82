import { describe, expect, test } from 'vitest'
import { LocalConnector } from '../engine/local/connector.js'
import { ModuleFailure } from '../engine/module.js'
import { currentSelection, planSelection, readCommand } from './dpkg_selections.js'

const res = (stdout: string, rc = 0) => ({ rc, stdout, stderr: '' })

describe('dpkg_selections', () => {
  test.each([
    { out: 'bash\t\t\t\t\t\tinstall\n', want: 'install' },
    { out: 'linux-image-arm64\t\t\thold\n', want: 'hold' },
    { out: '', want: 'not present' },
  ])('current $want', ({ out, want }) => expect(currentSelection(res(out))).toBe(want))

  test('a dpkg failure fails the task', () => {
    expect(() => currentSelection(res('', 2))).toThrow(ModuleFailure)
  })

  test.each([
    { current: 'install', selection: 'install' as const, argv: undefined },
    { current: 'install', selection: 'hold' as const, argv: ['dpkg', '--set-selections'], stdin: 'p hold' },
    { current: 'not present', selection: 'purge' as const, argv: ['dpkg', '--set-selections'], stdin: 'p purge' },
  ])('$current → $selection', ({ current, selection, argv, stdin }) => {
    const p = planSelection(current, { name: 'p', selection })
    expect(p.data).toEqual({ before: current, after: selection })
    if (!argv) expect(p.commands).toEqual([])
    else expect(p.commands).toMatchObject([{ argv, stdin }])
  })

  test('reads the selection of an installed package on this host', async () => {
    const r = await new LocalConnector('localhost').run(readCommand('bash'))
    expect(currentSelection(r)).toBe('install')
  })
})
