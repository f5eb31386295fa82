/**
 * vars_files as Ansible 2.14 reads them: lists of candidates (the first that exists), names found in the play's
 * vars/ folder, templated names rendered from play vars and -e at load time, and names needing host variables
 * left for run time (a warning) and loaded per host then.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { UserError } from '../../engine/errors.js'
import { loadPlaybook } from '../../engine/load/playbook.js'
import { lateVarsFiles } from '../../engine/run/varsfiles.js'
import { fixtureModules } from './fixtures.js'
import { loadErrors, tree } from './helpers.js'

const FILES = {
  'vars/common.yml': 'c: 1\n',
  'vars/Debian.yml': 'os: debian\n',
  'vars/default.yml': 'os: other\n',
  'vars/blue.yml': 'colour: blue\n',
}

async function loadWith(varsFiles: string, extraVars = {}) {
  const dir = tree({
    ...FILES,
    'playbook.yml': `- hosts: all\n  vars: { flavour: blue }\n  vars_files: ${varsFiles}\n  tasks: []\n`,
  })
  const warnings: UserError[] = []
  const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules: fixtureModules(), extraVars, warnings })
  return { play: pb.plays[0], warnings: warnings.map((w) => w.message), dir }
}

describe('vars_files', () => {
  it('finds names in the play’s vars/ folder and takes the first candidate that exists', async () => {
    const { play } = await loadWith('[common.yml, [vars/missing.yml, vars/default.yml]]')
    expect(play.varsFiles).toEqual({ c: 1, os: 'other' })
    expect(play.lateVarsFiles).toBeUndefined()
  })
  it('renders names from play vars and -e when the playbook is loaded', async () => {
    expect((await loadWith('["vars/{{ flavour }}.yml"]')).play.varsFiles).toEqual({ colour: 'blue' })
    expect((await loadWith('["vars/{{ os_name }}.yml"]', { os_name: 'Debian' })).play.varsFiles).toEqual({
      os: 'debian',
    })
  })
  it('leaves a name needing host variables for run time, with a warning, and loads it per host', async () => {
    const { play, warnings } = await loadWith('[["vars/{{ ansible_os_family }}.yml", vars/default.yml]]')
    expect(play.varsFiles).toEqual({})
    expect(warnings.join('\n')).toMatch(/needs host variables: it is loaded per host at run time/)
    const late = play.lateVarsFiles!
    expect(late).toHaveLength(1)
    const key = {}
    expect(lateVarsFiles(key, 'h1', late, () => ({ ansible_os_family: 'Debian' }))).toEqual({ os: 'debian' })
    expect(lateVarsFiles(key, 'h2', late, () => ({ ansible_os_family: 'Alpine' }))).toEqual({ os: 'other' })
    // before facts: skipped, and tried again later
    const key2 = {}
    expect(lateVarsFiles(key2, 'h3', late, () => ({}))).toEqual({})
    expect(lateVarsFiles(key2, 'h3', late, () => ({ ansible_os_family: 'Debian' }))).toEqual({ os: 'debian' })
  })
  it('refuses a literal name found nowhere, at its line', async () => {
    const errs = await loadErrors({
      ...FILES,
      'playbook.yml': '- hosts: all\n  vars_files:\n    - [nope.yml, nope2.yml]\n  tasks: []\n',
    })
    expect(errs).toEqual([expect.stringMatching(/^playbook.yml:3:7 vars file not found: nope.yml, nope2.yml/)])
  })
})
