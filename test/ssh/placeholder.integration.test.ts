/**
 * The example inventory's addresses (192.0.2.x, a documentation range) are named as placeholders when a host
 * cannot be reached or logged in to. The CLI case fails before any packet is sent: no key, no agent.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { placeholderNote } from '../../engine/ssh/placeholder.js'
import { tsplay, writeTree } from '../helpers/cli.js'

describe('placeholder addresses', () => {
  it('names the documentation ranges, and nothing else', () => {
    for (const h of ['192.0.2.10', '198.51.100.7', '203.0.113.250', '2001:db8::1'])
      expect(placeholderNote(h)).toMatch(/documentation range.*edit inventory\/hosts\.yml/)
    for (const h of ['192.0.20.1', '10.0.0.5', 'pi1.local', '127.0.0.1', '2001:db9::1'])
      expect(placeholderNote(h)).toBe('')
  })

  it('a run against an example address says the inventory still holds it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'tsplay-home-'))
    const dir = writeTree({
      'hosts.yml': 'all:\n  hosts:\n    hydra-pi: { ansible_host: 192.0.2.10, ansible_user: pi }\n',
      'play.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: { argv: ["true"] }\n',
    })
    try {
      const r = await tsplay(
        ['run', join(dir, 'play.yml'), '-i', join(dir, 'hosts.yml'), '--known-hosts', join(home, 'kh')],
        { env: { HOME: home, SSH_AUTH_SOCK: '' } },
      )
      expect(r.code, r.stdout + r.stderr).toBe(4)
      expect(r.stdout).toContain('192.0.2.10 is in 192.0.2.0/24, a documentation range')
    } finally {
      rmSync(home, { recursive: true, force: true })
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
