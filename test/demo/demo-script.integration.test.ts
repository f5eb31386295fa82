/**
 * `npm run demo` on a machine without some of the packages it needs: it names exactly the missing Debian packages
 * and the command that installs them, before it touches anything (run with a PATH that lacks iptables and
 * mmdebstrap; every other tool is there).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/cli.js'

const root = process.getuid?.() === 0

describe.skipIf(!root)(`demo.sh prerequisites${root ? '' : ' (skipped: needs root, as the demo does)'}`, () => {
  it('names the missing packages and the apt-get line, and stops', () => {
    const bin = mkdtempSync(join(tmpdir(), 'tsplay-path-'))
    const hidden = new Set(['iptables', 'iptables-legacy', 'iptables-nft', 'mmdebstrap'])
    try {
      for (const d of ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
        if (!existsSync(d)) continue
        for (const f of readdirSync(d))
          if (!hidden.has(f) && !existsSync(join(bin, f))) symlinkSync(join(d, f), join(bin, f))
      }
      const r = spawnSync('bash', [join(ROOT, 'scripts', 'demo.sh')], {
        env: { ...process.env, PATH: bin, TSPLAY_DEMO_SLOT: '198' },
        encoding: 'utf8',
      })
      expect(r.status, r.stderr).toBe(1)
      expect(r.stderr).toContain('missing here: iptables mmdebstrap')
      expect(r.stderr).toContain('apt-get install -y iptables mmdebstrap')
      expect(r.stdout).not.toContain('Booting')
    } finally {
      rmSync(bin, { recursive: true, force: true })
    }
  })
})
