/** Ansible's become variables override the become keywords (test/compat/cases/become.ts runs them against Ansible). */
import { describe, expect, it } from 'vitest'
import { becomeWithVars, type BecomeSettings } from '../../engine/run/become-vars.js'

describe('become variables', () => {
  it.each<[string, BecomeSettings, Record<string, unknown>, BecomeSettings]>([
    ['no variables: the keywords', { become: true, becomeUser: 'app' }, {}, { become: true, becomeUser: 'app' }],
    [
      'every variable wins over its keyword',
      { become: false, becomeUser: 'root', becomeMethod: 'sudo' },
      {
        ansible_become: true,
        ansible_become_user: 'app',
        ansible_become_method: 'ansible.builtin.su',
        ansible_become_flags: '-l',
        ansible_become_exe: '/bin/su',
      },
      { become: true, becomeUser: 'app', becomeMethod: 'su', becomeFlags: '-l', becomeExe: '/bin/su' },
    ],
    ['ansible_become false turns become off', { become: true }, { ansible_become: false }, { become: false }],
    [
      'templates rendered with the variables',
      { become: true },
      { who: 'db', ansible_become_user: '{{ who }}', ansible_become: '{{ 1 == 1 }}' },
      { become: '{{ 1 == 1 }}', becomeUser: 'db' },
    ],
    [
      "the method's own variables win over the general ones (sudo by default)",
      { become: true },
      { ansible_become_user: 'a', ansible_sudo_user: 'b', ansible_su_user: 'c', ansible_sudo_flags: '-H' },
      { become: true, becomeUser: 'b', becomeFlags: '-H' },
    ],
    [
      "su's, when the method is su",
      { become: true, becomeMethod: 'su' },
      { ansible_sudo_user: 'b', ansible_su_user: 'c', ansible_su_exe: '/bin/su', ansible_become_flags: '-l' },
      { become: true, becomeMethod: 'su', becomeUser: 'c', becomeExe: '/bin/su', becomeFlags: '-l' },
    ],
    [
      'a layered variable counts',
      { become: true },
      Object.create({ ansible_become_user: 'x' }),
      { become: true, becomeUser: 'x' },
    ],
  ])('%s', (_name, kw, vars, want) => {
    expect(becomeWithVars(kw, vars)).toEqual(want)
  })

  it('refuses a method tsplay does not have, as the keyword is refused', () => {
    expect(() => becomeWithVars({ become: true }, { ansible_become_method: 'pbrun' })).toThrow(
      /ansible_become_method "pbrun" is not supported by tsplay/,
    )
    // not becoming: the other variables are not read
    expect(becomeWithVars({ become: false }, { ansible_become_method: 'pbrun' })).toEqual({ become: false })
    expect(
      becomeWithVars({ become: true }, { ansible_become_method: 'community.general.doas', ansible_doas_user: 'a' }),
    ).toEqual({ become: true, becomeMethod: 'doas', becomeUser: 'a' })
  })
})
