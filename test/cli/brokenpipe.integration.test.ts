/**
 * The reader of tsplay's output goes away mid-run (`tsplay run … --json | head -1`): no stack trace; the run stops
 * as after a first Ctrl-C (the running task finishes, no new one starts) and exits 130.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { BIN, writeTree } from '../helpers/cli.js'
import { needTier } from '../helpers/tier.js'

const steps = Array.from(
  { length: 6 },
  (_, i) => `    - command: touch {{ out }}/step-${i}\n    - command: sleep 0.3\n`,
)
const dir = writeTree({ 'long.yml': `- hosts: localhost\n  gather_facts: false\n  tasks:\n${steps.join('')}` })
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('a broken pipe on the output', () => {
  it.each([['--json'], ['--output', 'plain']])(
    '%s: stops the run cleanly, exit 130, no stack trace',
    async (...flags) => {
      needTier('runs of the built CLI', 'integration')
      const out = join(dir, flags[0].replace(/\W/g, ''))
      const args = [BIN, 'run', join(dir, 'long.yml'), '-i', 'localhost,', '-c', 'local', '-e', `out=${out}`, ...flags]
      mkdirSync(out, { recursive: true })
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
      let stderr = ''
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      // read the first chunk of output, then go away as `head -1` does
      child.stdout.once('data', () => child.stdout.destroy())
      const code = await new Promise<number | null>((r) => child.on('close', r))
      expect(stderr).not.toMatch(/\n\s+at .*:\d+/)
      expect(stderr).not.toMatch(/EPIPE/)
      expect(code).toBe(130)
      expect(existsSync(join(out, 'step-0'))).toBe(true)
      expect(existsSync(join(out, 'step-5'))).toBe(false)
    },
  )
})
