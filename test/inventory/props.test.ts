/** Property tests: the INI and YAML inventory parsers end in an inventory or clean UserErrors for any input. */
import fc from 'fast-check'
import { stringify } from 'yaml'
import { describe, expect, it } from 'vitest'
import { UserError, UserErrors } from '../../engine/errors.js'
import { InventoryBuilder } from '../../engine/inventory/builder.js'
import { parseIni } from '../../engine/inventory/ini.js'
import { selectHosts } from '../../engine/inventory/patterns.js'
import { expandHostRange } from '../../engine/inventory/ranges.js'
import { groupNames, groupsMap, hostVars } from '../../engine/inventory/vars.js'
import { parseYamlInventory } from '../../engine/inventory/yaml.js'
import { parseYaml } from '../../engine/source/yaml.js'
import type { Inventory } from '../../engine/ast.js'

const OPTS = { numRuns: 300 }

/** Run a parse; return the inventory, or undefined for a clean user error. Other exceptions fail. */
function build(f: (b: InventoryBuilder) => void): Inventory | undefined {
  try {
    const b = new InventoryBuilder(['x'])
    f(b)
    return b.finish()
  } catch (e) {
    if (e instanceof UserError || e instanceof UserErrors) {
      const errs = e instanceof UserErrors ? e.errors : [e]
      for (const u of errs) expect(u.pos?.file ?? 'x').toBe('x') // every error names the file
      return undefined
    }
    throw e
  }
}

/** Every derived view works on a parsed inventory. */
function exercise(inv: Inventory | undefined): void {
  if (!inv) return
  const groups = groupsMap(inv)
  // every host once, in Ansible's order (a group's own hosts, then its children's), not first-seen order
  expect([...groups.all].sort()).toEqual([...inv.hosts.keys()].sort())
  expect(new Set(groups.all).size).toBe(groups.all.length)
  for (const h of inv.hosts.keys()) {
    hostVars(inv, h)
    for (const g of groupNames(inv, h)) expect(groups[g]).toContain(h)
  }
}

const LINES = [
  '[web]',
  '[db]',
  '[web:children]',
  '[db:children]',
  '[web:vars]',
  '[all:vars]',
  '[bad',
  '[x:y:z]',
  'h1',
  'h2 a=1',
  'pi[01:03]',
  'pi[3:1]',
  'n[a:c] k="v w"',
  'h3:2222',
  'web',
  'db',
  'k=v',
  'k = "quoted"',
  'x=[1,2]',
  '# c',
  '; c',
  '',
  'h4 bad',
  "h5 q='",
  'h[1:2:0]',
  'all',
  'ungrouped',
  '[ungrouped]',
  'h6 ansible_port=22',
]
const iniSoup = fc.array(fc.constantFrom(...LINES), { maxLength: 15 }).map((l) => l.join('\n'))

const yamlShape: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  group: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.record(
      {
        hosts: fc.oneof(
          fc.dictionary(
            fc.constantFrom('h1', 'h2', 'pi[1:3]', 'h[9:1]', 'x:22', 'g1'),
            fc.oneof(fc.constant(null), fc.dictionary(fc.string({ minLength: 1, maxLength: 3 }), fc.integer())),
          ),
          fc.array(fc.string()),
          fc.integer(),
        ),
        children: fc.oneof(
          fc.dictionary(fc.constantFrom('g1', 'g2', 'g3', 'all'), tie('group'), { maxKeys: 3 }),
          fc.string(),
        ),
        vars: fc.oneof(fc.dictionary(fc.string({ minLength: 1, maxLength: 3 }), fc.string()), fc.array(fc.integer())),
        extra: fc.integer(),
      },
      { requiredKeys: [] },
    ),
    fc.integer(),
  ),
})).group

describe('inventory parsers never crash', () => {
  it('INI: any text gives an inventory or UserErrors', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), iniSoup), (text) => {
        exercise(build((b) => parseIni(text, 'x', b)))
      }),
      OPTS,
    )
  })

  it('YAML: any text gives an inventory or UserErrors', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        exercise(build((b) => parseYamlInventory(parseYaml(text, 'x').value, 'x', b)))
      }),
      OPTS,
    )
  })

  it('YAML: any group-shaped structure gives an inventory or UserErrors', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('all', 'g1', 'g2', 'ungrouped'), yamlShape, { maxKeys: 3 }), (doc) => {
        const inv = build((b) => parseYamlInventory(parseYaml(stringify(doc), 'x').value, 'x', b))
        exercise(inv)
        if (inv) for (const p of ['all', 'g1:&g2', 'g1:!h1', 'h*', '~h\\d']) selectHosts(inv, p)
      }),
      OPTS,
    )
  })
})

describe('ranges and patterns', () => {
  it('a numeric range yields every number once, padded, in order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 7 }),
        fc.boolean(),
        (a, len, step, pad) => {
          const b = a + len
          const w = String(b).length
          const beg = pad ? String(a).padStart(w + 1, '0') : String(a)
          const end = pad ? String(b).padStart(w + 1, '0') : String(b)
          const names = expandHostRange(`n[${beg}:${end}:${step}]x`)
          expect(names.length).toBe(Math.floor(len / step) + 1)
          names.forEach((n, i) => expect(n).toBe(`n${pad ? String(a + i * step).padStart(w + 1, '0') : a + i * step}x`))
        },
      ),
      OPTS,
    )
  })

  it("union, intersection and exclusion behave like sets, in Ansible's order", () => {
    const hosts = ['h0', 'h1', 'h2', 'h3', 'h4', 'h5']
    const subset = fc.subarray(hosts, { minLength: 1 })
    fc.assert(
      fc.property(subset, subset, (g1, g2) => {
        const text = `${hosts.join('\n')}\n[g1]\n${g1.join('\n')}\n[g2]\n${g2.join('\n')}\n`
        const inv = build((b) => parseIni(text, 'x', b))!
        const once = (xs: string[]) => [...new Set(xs)]
        // a union lists its parts in turn; `all` lists `ungrouped`, then g1, then g2 (its child groups in order)
        const ungrouped = hosts.filter((h) => !g1.includes(h) && !g2.includes(h))
        expect(selectHosts(inv, 'g1:g2').hosts).toEqual(once([...g1, ...g2]))
        expect(selectHosts(inv, 'g2:g1').hosts).toEqual(once([...g2, ...g1]))
        expect(selectHosts(inv, 'g1:&g2').hosts).toEqual(g1.filter((h) => g2.includes(h)))
        expect(selectHosts(inv, 'g1:!g2').hosts).toEqual(g1.filter((h) => !g2.includes(h)))
        expect(selectHosts(inv, 'all:!g1').hosts).toEqual(once([...ungrouped, ...g2]).filter((h) => !g1.includes(h)))
      }),
      OPTS,
    )
  })
})
