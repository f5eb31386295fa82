/**
 * Host patterns against a small inventory built from INI text; every row's hosts, in order, are what
 * `ansible -i INVENTORY PATTERN --list-hosts` (ansible-core 2.14) lists for it.
 */
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { InventoryBuilder } from '../../engine/inventory/builder.js'
import { parseIni } from '../../engine/inventory/ini.js'
import { parseYamlInventory } from '../../engine/inventory/yaml.js'
import { selectHosts } from '../../engine/inventory/patterns.js'

function inventory(text: string) {
  const b = new InventoryBuilder(['test.ini'])
  parseIni(text, 'test.ini', b)
  return b.finish()
}

const inv = inventory(`solo
[hydra_server]
pi1
[hydra_builders]
pi2
pi3
web-1
[empty]
[prod]
pi1
pi3
[hydra:children]
hydra_server
hydra_builders
`)

describe('selectHosts', () => {
  it.each<[string, string[], string[]]>([
    ['all', ['solo', 'pi1', 'pi3', 'pi2', 'web-1'], []],
    ['*', ['solo', 'pi1', 'pi3', 'pi2', 'web-1'], []],
    ['pi2', ['pi2'], []],
    ['hydra', ['pi1', 'pi2', 'pi3', 'web-1'], []],
    ['ungrouped', ['solo'], []],
    ['pi3:pi1', ['pi3', 'pi1'], []],
    ['pi3,pi1', ['pi3', 'pi1'], []],
    ['prod:hydra', ['pi1', 'pi3', 'pi2', 'web-1'], []],
    ['hydra:&prod', ['pi1', 'pi3'], []],
    ['hydra:!prod', ['pi2', 'web-1'], []],
    ['!prod:hydra', ['pi2', 'web-1'], []],
    ['!prod', ['solo', 'pi2', 'web-1'], []],
    ['&prod', ['pi1', 'pi3'], []],
    ['pi*', ['pi1', 'pi2', 'pi3'], []],
    ['web-?', ['web-1'], []],
    ['pi[23]', [], ['pi[23]']],
    ['hydra_*', ['pi1', 'pi2', 'pi3', 'web-1'], []],
    ['~pi[12]', ['pi1', 'pi2'], []],
    ['~i1', [], ['~i1']],
    ['hydra_builders[0]', ['pi2'], []],
    ['hydra_builders[-1]', ['web-1'], []],
    ['hydra_builders[1:2]', ['pi3', 'web-1'], []],
    ['hydra_builders[1:]', ['pi3', 'web-1'], []],
    ['nope', [], ['nope']],
    ['pi1:nope:&nada:!zip', [], ['nope', '&nada', '!zip']],
    ['empty', [], []],
    [' pi1 , pi2 ', ['pi1', 'pi2'], []],
    ['', [], []],
  ])('%j', (pattern, hosts, unmatched) => {
    expect(selectHosts(inv, pattern)).toEqual({ hosts, unmatched })
  })

  it('refuses an invalid regular expression', () => {
    expect(() => selectHosts(inv, '~pi(')).toThrow(/invalid regular expression in host pattern "~pi\("/)
  })
})

/** A YAML inventory whose groups list hosts in another order than they are first written, nested two deep. */
const yamlInv = (() => {
  const b = new InventoryBuilder(['test.yml'])
  parseYamlInventory(
    parse(`all:
  children:
    web:
      children:
        web_b:
          hosts: { wb1: , wb2: }
        web_a:
          hosts: { wa1: }
      hosts: { w0: , wb2: }
    db:
      hosts: { d1: , w0: }
  hosts:
    top1:
    top2:
other:
  hosts: { o1: , top1: }
`),
    'test.yml',
    b,
  )
  return b.finish()
})()

describe("selectHosts on a YAML inventory, in Ansible's order", () => {
  it.each<[string, string[]]>([
    ['all', ['top1', 'top2', 'w0', 'wb2', 'd1', 'o1', 'wb1', 'wa1']],
    ['web', ['w0', 'wb2', 'wb1', 'wa1']],
    ['db', ['d1', 'w0']],
    ['other', ['o1', 'top1']],
    ['ungrouped', ['top2']],
    ['web:other', ['w0', 'wb2', 'wb1', 'wa1', 'o1', 'top1']],
    ['all:!web', ['top1', 'top2', 'd1', 'o1']],
    ['web_b', ['wb1', 'wb2']],
  ])('%j', (pattern, hosts) => {
    expect(selectHosts(yamlInv, pattern).hosts).toEqual(hosts)
  })
})
