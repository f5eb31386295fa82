/**
 * Virtualization facts as Ansible's Linux facts name them (`ansible_virtualization_type`, `_role`, `_tech_guest`,
 * `_tech_host`), read without starting a program: a container's marker files (`/.dockerenv`, `/run/.containerenv`,
 * systemd's `/run/systemd/container`), the DMI product and vendor a virtual machine shows, and `/dev/kvm` on a
 * host that can run guests. What none of them tells is `NA`, as in Ansible.
 *
 * @example
 * ```ts
 * virtualization({ container: 'docker', product: '', vendor: '', kvm: true })
 * // { type: 'docker', role: 'guest', guest: ['docker', 'container'], host: ['kvm'] }
 * ```
 */

/** Shell for the fact script: prints `virt_*=` lines (builtins and reads only). */
export const VIRT_SCRIPT = [
  'v=; if [ -f /.dockerenv ]; then v=docker; elif [ -f /run/.containerenv ]; then v=podman',
  'else read -r v 2>/dev/null < /run/systemd/container || v=; fi; printf "virt_container=%s\\n" "$v"',
  'x=; read -r x 2>/dev/null < /sys/class/dmi/id/product_name; printf "virt_product=%s\\n" "$x"',
  'x=; read -r x 2>/dev/null < /sys/class/dmi/id/sys_vendor; printf "virt_vendor=%s\\n" "$x"',
  'if [ -e /dev/kvm ]; then echo virt_kvm=1; fi',
].join('\n')

/** What the script read. */
export interface VirtSigns {
  container: string
  product: string
  vendor: string
  kvm: boolean
}

/** The virtualization facts. */
export interface Virtualization {
  type: string
  role: string
  guest: string[]
  host: string[]
}

/** The machine a DMI product and vendor name (Ansible's names), if a virtual one. */
function machine(product: string, vendor: string): string | undefined {
  if (/^(KVM|Bochs)|^Standard PC|^OpenStack/.test(product) || /^(QEMU|Amazon EC2)/.test(vendor)) return 'kvm'
  if (/VMware/.test(product) || /VMware/.test(vendor)) return 'VMware'
  if (/VirtualBox/.test(product) || vendor === 'innotek GmbH') return 'virtualbox'
  if (/^Xen|HVM domU/.test(product) || /^Xen/.test(vendor)) return 'xen'
  if (vendor === 'Microsoft Corporation' && product === 'Virtual Machine') return 'VirtualPC'
  if (/^RHEV Hypervisor|^oVirt/.test(product) || vendor === 'oVirt') return 'RHEV'
  return undefined
}

/** The facts the signs give. */
export function virtualization(s: VirtSigns): Virtualization {
  const host = s.kvm ? ['kvm'] : []
  const c = s.container
  if (c) {
    const named = c === 'docker' || c === 'podman' || c === 'lxc'
    return { type: named ? c : 'container', role: 'guest', guest: named ? [c, 'container'] : ['container'], host }
  }
  const vm = machine(s.product, s.vendor)
  if (vm) return { type: vm, role: 'guest', guest: [vm], host }
  if (s.kvm) return { type: 'kvm', role: 'host', guest: [], host }
  return { type: 'NA', role: 'NA', guest: [], host }
}
