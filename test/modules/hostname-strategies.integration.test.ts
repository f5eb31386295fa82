/**
 * `hostname`'s `use:` strategies that edit a file, side by side with ansible-playbook: each case runs both engines
 * with the local connection (twice, as root) in a private mount and UTS namespace whose /etc is an overlay on this
 * machine's, so what they write lands in a throw-away folder and the running name they set is the namespace's own.
 * The recap counts, the files written under /etc and the running name must agree, except the one difference the
 * README lists: Ansible 2.14's `alpine` runs `hostname -F /etc/hostname` before it writes the file (the running name
 * becomes the old one), tsplay after it.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { etcNamespaces } from '../helpers/etcns.js'

const ns = etcNamespaces()
afterAll(() => ns.ok && ns.done())

const book = (use: string, name: string) =>
  '- hosts: all\n  gather_facts: false\n  tasks:\n' +
  `    - hostname: { name: ${name}, use: ${use} }\n      ignore_errors: true\n`

const CASES: {
  use: string
  name?: string
  setup?: string
  running?: [string, string]
  wrote?: Record<string, string>
}[] = [
  { use: 'sles', wrote: { HOSTNAME: 'b1\n' } },
  { use: 'openbsd' },
  // the one difference: Ansible sets the running name from the file before writing it
  { use: 'alpine', setup: 'echo old > /etc/hostname', running: ['old', 'b1'] },
  { use: 'alpine', setup: 'echo b1 > /etc/hostname' },
  { use: 'redhat' },
  {
    use: 'redhat',
    setup: 'mkdir -p /etc/sysconfig; printf "NETWORKING=yes\\nHOSTNAME=old\\n" > /etc/sysconfig/network',
  },
  { use: 'redhat', setup: 'mkdir -p /etc/sysconfig; printf "NETWORKING=yes\\n" > /etc/sysconfig/network' },
  { use: 'openrc', setup: 'mkdir -p /etc/conf.d; printf "x=1\\nhostname=\\"old\\"\\n" > /etc/conf.d/hostname' },
  { use: 'openrc', setup: 'mkdir -p /etc/conf.d; printf "  hostname=old \\n" > /etc/conf.d/hostname' },
  { use: 'freebsd', setup: 'mkdir -p /etc/rc.conf.d', wrote: { 'rc.conf.d/hostname': 'hostname="b1"\n' } },
  { use: 'freebsd', setup: 'mkdir -p /etc/rc.conf.d; printf "a=1\\nhostname=\\"x\\"\\n" > /etc/rc.conf.d/hostname' },
  {
    use: 'freebsd',
    name: 'orig-host',
    setup: 'mkdir -p /etc/rc.conf.d; printf "hostname=\\"x\\"\\n" > /etc/rc.conf.d/hostname',
  },
]

describe.skipIf(!ns.ok)(`hostname use: strategies agree with ansible-playbook (${ns.ok ? 'root' : ns.why})`, () => {
  it.each(CASES.map((c, i) => ({ ...c, title: `${c.use} ${i}: ${c.setup ?? 'no file'}` })))(
    '$title',
    ({ use, name = 'b1', setup = 'true', running, wrote }) => {
      if (!ns.ok) return
      const ansible = ns.run('ansible', book(use, name), setup)
      const tsplay = ns.run('tsplay', book(use, name), setup)
      expect(tsplay.recaps).toHaveLength(2)
      expect(tsplay.files).toEqual(ansible.files)
      expect(ansible.files).toMatchObject(wrote ?? {})
      expect(tsplay.recaps).toEqual(ansible.recaps)
      expect([ansible.running, tsplay.running]).toEqual(running ?? [ansible.running, ansible.running])
    },
  )
})
