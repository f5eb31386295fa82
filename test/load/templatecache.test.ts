/**
 * Template files' syntax checks in the parse cache: a file that is fine is remembered, one with an error never is
 * and is reported the same way at every load.
 */
import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempParseCache } from '../helpers/parsecache.js'
import { loadErrors } from './helpers.js'

const cacheDir = tempParseCache('tsplay-tplcache-')

describe('template syntax checks in the parse cache', () => {
  it('remembers the files that are fine and reports a broken one at every load', async () => {
    const files = {
      'playbook.yml':
        '- hosts: all\n  tasks:\n    - template: { src: ok.hbs, dest: /y }\n' +
        '    - template: { src: site.conf, dest: /z }\n    - template: { src: good.j2, dest: /w }\n',
      'templates/ok.hbs': 'fine {{ x }}\n',
      'templates/good.j2': '{% for i in x %}{{ i }}{% endfor %}\n',
      'templates/site.conf': 'line one\nport {{ a +* b }}\n',
    }
    const expected = ['site.conf:2:12 invalid template: expected a value, found "*"']
    expect(await loadErrors(files)).toEqual(expected)
    const entries = readdirSync(join(cacheDir(), 'templates'))
    expect(entries).toHaveLength(2)
    for (const e of entries) expect(readFileSync(join(cacheDir(), 'templates', e), 'utf8')).toBe('ok')
    expect(await loadErrors(files)).toEqual(expected)
    expect(readdirSync(join(cacheDir(), 'templates'))).toEqual(entries)
    const broken = { ...files, 'templates/ok.hbs': 'fine {{#if x}}\n' }
    expect(await loadErrors(broken)).toEqual([expect.stringMatching(/^ok\.hbs:.* invalid template/), ...expected])
  })

  it('remembers inline strings that take handlebars, not plain ones, and reports a broken one every time', async () => {
    const play = (msg: string) => ({
      'playbook.yml': `- hosts: all\n  tasks:\n    - debug: { msg: "${msg}" }\n    - debug: { msg: "{{ x }} y" }\n`,
    })
    expect(await loadErrors(play('{{#if x}}a{{/if}}'))).toEqual([])
    expect(readdirSync(join(cacheDir(), 'templates'))).toHaveLength(1)
    expect(await loadErrors(play('{{#if x}}a{{/if}}'))).toEqual([])
    for (let i = 0; i < 2; i++)
      expect(await loadErrors(play('{{#if x}}a'))).toEqual([
        expect.stringMatching(/^playbook\.yml:3:.* invalid template/),
      ])
    expect(readdirSync(join(cacheDir(), 'templates'))).toHaveLength(1)
  })
})
