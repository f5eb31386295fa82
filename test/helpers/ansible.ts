/**
 * Whether a test can run ansible-playbook (the oracle) beside tsplay on loopback sshd: why not, or undefined.
 *
 * @example
 * const skip = whyNoAnsible()
 * describe.skipIf(skip !== undefined)('agrees with ansible-playbook', () => { … })
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './cli.js'
import { canRunSshd } from './sshd.js'

export function whyNoAnsible(): string | undefined {
  const can = canRunSshd()
  if (!can.ok) return can.why
  try {
    execFileSync('ansible-playbook', ['--version'], { stdio: 'ignore' })
  } catch {
    return 'ansible-playbook is missing (apt-get install ansible-core)'
  }
  if (!existsSync(join(ROOT, 'dist/engine/cli/main.js'))) return 'tsplay is not built (npm run build)'
  return undefined
}
