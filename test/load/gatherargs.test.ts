/**
 * The arguments of a play's fact gathering, as Ansible builds its implicit gather_facts task: the play's
 * `gather_subset` over `gather_facts`' module_defaults over `setup`'s (any spelling), kept unrendered for the run.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadPlaybook } from '../../engine/load/playbook.js'
import gatherFactsModule from '../../modules/gather_facts.js'
import setup from '../../modules/setup.js'
import { fixtureModules } from './fixtures.js'
import { tree } from './helpers.js'

const T = (s: string) => s.replace(/^\n/, '')
const modules = () => new Map([...fixtureModules(), ['setup', setup], ['gather_facts', gatherFactsModule]])
const load = (text: string) =>
  loadPlaybook(join(tree({ 'playbook.yml': T(text) }), 'playbook.yml'), { modules: modules() })

describe("a play's fact gathering arguments", () => {
  it("take setup's and gather_facts' module_defaults (gather_facts' win), the play's subset over both", async () => {
    const pb = await load(`
- hosts: all
  module_defaults:
    setup: { gather_subset: "{{ subset }}", fact_path: /srv/facts.d, filter: "ansible_*" }
- hosts: all
  module_defaults:
    - ansible.legacy.setup: { gather_subset: [min], fact_path: /srv/facts.d }
    - ansible.builtin.gather_facts: { fact_path: /etc/facts.d }
- hosts: all
  gather_subset: [network]
  module_defaults:
    setup: { gather_subset: [min] }
- hosts: all
  module_defaults:
    debug: { msg: hi }
`)
    expect(pb.plays.map((p) => p.gatherArgs)).toEqual([
      [{ from: 'setup', args: { gather_subset: '{{ subset }}', fact_path: '/srv/facts.d', filter: 'ansible_*' } }],
      [
        { from: 'setup', args: { gather_subset: ['min'], fact_path: '/srv/facts.d' } },
        { from: 'gather_facts', args: { fact_path: '/etc/facts.d' } },
      ],
      [
        { from: 'setup', args: { gather_subset: ['min'] } },
        { from: 'play', args: { gather_subset: ['network'] } },
      ],
      undefined,
    ])
  })

  it('take a later entry for the module whole, whatever its spelling', async () => {
    const pb = await load(`
- hosts: all
  module_defaults:
    setup: { gather_subset: [min], fact_path: /srv/facts.d }
    ansible.builtin.setup: { gather_subset: [network] }
- hosts: all
  module_defaults:
    - ansible.builtin.setup: { gather_subset: [min] }
    - setup: { fact_path: /srv/facts.d }
`)
    expect(pb.plays.map((p) => p.gatherArgs)).toEqual([
      [{ from: 'setup', args: { gather_subset: ['network'] } }],
      [{ from: 'setup', args: { fact_path: '/srv/facts.d' } }],
    ])
  })
})
