import { describe, expect, test } from 'vitest'
import { LocalConnector } from '../engine/local/connector.js'
import { afterRaw, planRaw } from './raw.js'

const local = new LocalConnector('localhost')

describe('raw', () => {
  const cases = [
    { name: 'a shell string, as one argv element', args: { free_form: 'echo a; echo b' }, rc: 0, out: ['a', 'b'] },
    { name: 'shell features work', args: { free_form: 'x=1; [ "$x" = 1 ] && echo yes | tr y Y' }, rc: 0, out: ['Yes'] },
    { name: 'executable', args: { free_form: 'echo $0', executable: '/bin/bash' }, rc: 0, out: ['/bin/bash'] },
    { name: 'non-zero fails', args: { free_form: 'echo no >&2; exit 3' }, rc: 3, out: [] },
  ]
  test.each(cases)('$name', async ({ args, rc, out }) => {
    const plan = planRaw(args)
    expect(plan.commands).toHaveLength(1)
    expect(plan.commands[0].argv).toEqual([args.executable ?? '/bin/sh', '-c', args.free_form])
    const r = afterRaw([await local.run(plan.commands[0])])
    expect(r.data).toMatchObject({ rc, stdout_lines: out, changed: true })
    expect(r.fail).toBe(rc === 0 ? undefined : 'non-zero return code')
  })

  test('check mode: skipped, as Ansible', () => {
    expect(planRaw({ free_form: 'reboot' }, true)).toMatchObject({ commands: [], skip: expect.any(String) })
    expect(afterRaw([])).toEqual({})
  })
})
