/** The shipped playbooks load and validate with the real modules (what `tsplay validate` does first). */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { UserErrors } from '../../engine/errors.js'
import { loadPlaybook } from '../../engine/load/playbook.js'
import { loadAllModules } from '../../modules/registry.js'

const dir = join(import.meta.dirname, '../../playbooks')
const playbooks = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))

describe('shipped playbooks', () => {
  it.each(playbooks)('%s loads without errors', async (name) => {
    const modules = await loadAllModules()
    try {
      const pb = await loadPlaybook(join(dir, name), { modules })
      expect(pb.plays.length).toBeGreaterThan(0)
    } catch (e) {
      if (e instanceof UserErrors) expect.fail(e.errors.map((x) => x.format()).join('\n'))
      throw e
    }
  })
})
