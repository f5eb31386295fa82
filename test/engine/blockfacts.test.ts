/**
 * The parsers of Ansible's block device facts and its smaller Linux facts, on the fact script's sections as a host
 * with a partitioned disk, a device-mapper holder, by-id/by-uuid links and LVM would print them. What
 * ansible-playbook gathers on the test machine itself is compared by the agreement case `facts_more`
 * (test/compat/cases/gather.ts).
 *
 * @example
 * ```sh
 * npx vitest run test/engine/blockfacts.test.ts
 * ```
 */
import { describe, expect, it } from 'vitest'
import { blockFacts, bytesToHuman } from '../../engine/blockfacts.js'
import { otherFacts } from '../../engine/otherfacts.js'
import type { Vars } from '../../engine/types.js'

const sections = (s: Record<string, string[]>) => (name: string) => s[name] ?? []

const SDA = '../devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda'
const HOST = {
  disklinks: [
    '/dev/disk/by-id\tata-Disk_123\t../../sda',
    '/dev/disk/by-id\twwn-0x5000c500a1b2c3d4\t../../sda',
    '/dev/disk/by-id\tata-Disk_123-part1\t../../sda1',
    '/dev/disk/by-uuid\t1111-2222\t../../sda1',
    '/dev/disk/by-uuid\tabcd-ef\t../../dm-0',
    '/dev/disk/by-label\tboot\t../../sda1',
  ],
  slaves: ['/sys/block/dm-0/slaves/sda2'],
  blocks: [`sda\t${SDA}`, 'dm-0\t../devices/virtual/block/dm-0'],
  blockdirs: ['/sys/block/sda\tsda2', '/sys/block/sda\tsda1', '/sys/block/dm-0\tholders0'],
  blockfiles: [
    'sda\tdevice/vendor\tATA',
    'sda\tdevice/model\tDisk',
    'sda\tremovable\t0',
    'sda\tqueue/discard_granularity\t0',
    'sda\tqueue/rotational\t1',
    'sda\tqueue/scheduler\tmq-deadline kyber [bfq] none',
    'sda\tsize\t976773168',
    'sda\tqueue/logical_block_size\t512',
    'sda/sda1\tstart\t2048',
    'sda/sda1\tsize\t1048576',
    'sda/sda2\tstart\t1050624',
    'sda/sda2\tsize\t2359296',
    'sda/sda2\tholder\tvg-root',
    'dm-0\tsize\t0',
    'dm-0\tqueue/scheduler\tnone',
  ],
  lspci: ['0000:00:1f.2 SATA controller: Intel Corporation 8 Series SATA Controller 1 [AHCI mode] (rev 04)'],
}

describe('blockFacts', () => {
  const f = blockFacts(sections(HOST))
  const devices = f.ansible_devices as Record<string, Record<string, unknown>>

  it('lists the devices in /sys/block order, with the fields Ansible gives', () => {
    expect(Object.keys(devices)).toEqual(['sda', 'dm-0'])
    expect(Object.keys(devices.sda)).toEqual([
      ...['virtual', 'links', 'vendor', 'model', 'sas_address', 'sas_device_handle', 'removable'],
      ...['support_discard', 'wwn', 'partitions', 'rotational', 'scheduler_mode', 'sectors', 'sectorsize', 'size'],
      ...['host', 'holders'],
    ])
    expect(devices.sda).toMatchObject({
      ...{ virtual: 1, vendor: 'ATA', model: 'Disk', sas_address: null, removable: '0', wwn: '0x5000c500a1b2c3d4' },
      ...{ rotational: '1', scheduler_mode: 'bfq', sectors: '976773168', sectorsize: '512', size: '465.76 GB' },
      host: 'SATA controller: Intel Corporation 8 Series SATA Controller 1 [AHCI mode] (rev 04)',
      links: { ids: ['ata-Disk_123', 'wwn-0x5000c500a1b2c3d4'], uuids: [], labels: [], masters: [] },
    })
  })

  it("gives partitions in the folder's order, their uuid, links and device-mapper holders", () => {
    const parts = devices.sda.partitions as Record<string, Record<string, unknown>>
    expect(Object.keys(parts)).toEqual(['sda2', 'sda1'])
    expect(parts.sda1).toEqual({
      links: { ids: ['ata-Disk_123-part1'], uuids: ['1111-2222'], labels: ['boot'], masters: [] },
      ...{ start: '2048', sectors: '1048576', sectorsize: 512, size: '512.00 MB', uuid: '1111-2222', holders: [] },
    })
    expect(parts.sda2).toMatchObject({ uuid: null, holders: ['vg-root'], links: { masters: ['dm-0'] } })
  })

  it('fills what a device lacks as Ansible does (no model, no sector size, no scheduler in brackets)', () => {
    expect(devices['dm-0']).toMatchObject({
      ...{ model: null, vendor: null, sectors: '0', sectorsize: 512, size: '0.00 Bytes', scheduler_mode: '' },
      ...{ host: '', partitions: {}, links: { ids: [], uuids: ['abcd-ef'], labels: [], masters: [] } },
    })
  })

  it("takes a disk's serial from sysfs, or, where sg_inq is installed, from sg_inq only", () => {
    const withSerial = {
      ...HOST,
      blockfiles: [...HOST.blockfiles, 'sda\tdevice/serial\tWD-123', 'dm-0\tdevice/serial\tX'],
    }
    const sysfs = blockFacts(sections(withSerial)).ansible_devices as Record<string, Record<string, unknown>>
    expect([sysfs.sda.serial, sysfs['dm-0'].serial]).toEqual(['WD-123', 'X'])
    const sg = [
      '=sg sda',
      'standard INQUIRY:',
      ' Vendor identification: ATA',
      ' Unit serial number: WDC0042',
      '=sg dm-0',
    ]
    const both = blockFacts(sections({ ...withSerial, sginq: sg })).ansible_devices as Record<string, Vars>
    expect([both.sda.serial, 'serial' in both['dm-0']]).toEqual(['WDC0042', false])
  })

  it('collects device_links per kind, sorted, and masters from the slaves folders', () => {
    expect(f.ansible_device_links).toEqual({
      ids: { sda: ['ata-Disk_123', 'wwn-0x5000c500a1b2c3d4'], sda1: ['ata-Disk_123-part1'] },
      uuids: { sda1: ['1111-2222'], 'dm-0': ['abcd-ef'] },
      labels: { sda1: ['boot'] },
      masters: { sda2: ['dm-0'] },
    })
  })

  it('gives lvm as N/A unless the script found LVM for root, then its volume groups, volumes and PVs', () => {
    expect(f.ansible_lvm).toBe('N/A')
    const lvm = blockFacts(
      sections({
        lvm: ['on'],
        vgs: ['  vg,1,2,0,wz--n-,99.50,10.00'],
        lvs: ['  root,vg,-wi-ao----,80.00,,,,,,,', '  swap,vg,-wi-ao----,9.50,,,,,,,'],
        pvs: ['  /dev/dm-3,vg,lvm2,a--,99.50,10.00', '  /dev/sda2,vg2,lvm2,a--,5.00,5.00'],
        dm: ['/dev/dm-3\tcrypt-pv  '],
      }),
    ).ansible_lvm
    expect(lvm).toEqual({
      lvs: { root: { size_g: '80.00', vg: 'vg' }, swap: { size_g: '9.50', vg: 'vg' } },
      vgs: { vg: { size_g: '99.50', free_g: '10.00', num_lvs: '2', num_pvs: '1' } },
      pvs: {
        '/dev/mapper/crypt-pv': { size_g: '99.50', free_g: '10.00', vg: 'vg' },
        '/dev/sda2': { size_g: '5.00', free_g: '5.00', vg: 'vg2' },
      },
    })
    expect(blockFacts(sections({ lvm: ['on'] })).ansible_lvm).toEqual({ lvs: {}, vgs: {}, pvs: {} })
  })
})

describe('bytesToHuman', () => {
  it.each([
    [0, '0.00 Bytes'],
    [1023, '1023.00 Bytes'],
    [1024, '1.00 KB'],
    [1.125 * 2 ** 30, '1.12 GB'], // a tie rounds to even, as Python's '%.2f'
    [1.375 * 2 ** 30, '1.38 GB'],
    [536870912 * 512, '256.00 GB'],
    [3 * 2 ** 40, '3.00 TB'],
  ])('%d bytes → %s', (n, text) => expect(bytesToHuman(n)).toBe(text))
})

describe('otherFacts', () => {
  const DEBIAN = 'PRETTY_NAME=Debian GNU/Linux 12 (bookworm)\nNAME=Debian GNU/Linux\nID=debian'

  it('reads iscsi, nvme and fibre channel names, skipping comments', () => {
    const f = otherFacts(
      sections({
        iscsi: ['## set by the installer', 'InitiatorName=iqn.1993-08.org.debian:01:44a42c8ddb8b', ''],
        nvme: ['# host', 'nqn.2014-08.org.nvmexpress:uuid:2cd61a74'],
        fc: ['0x21000014ff52a9bb', '0x21000014ff52a9bc '],
        osfile: ['present'],
      }),
      DEBIAN,
    )
    expect(f).toMatchObject({
      ansible_iscsi_iqn: 'iqn.1993-08.org.debian:01:44a42c8ddb8b',
      ansible_hostnqn: 'nqn.2014-08.org.nvmexpress:uuid:2cd61a74',
      ansible_fibre_channel_wwn: ['21000014ff52a9bb', '21000014ff52a9bc'],
      ...{ ansible_distribution_file_path: '/etc/os-release', ansible_distribution_file_variety: 'Debian' },
      ansible_distribution_file_parsed: true,
    })
  })

  it('gives empty names, N/A capabilities and no distribution file where the host has none of them', () => {
    expect(otherFacts(sections({}), DEBIAN)).toEqual({
      ...{ ansible_iscsi_iqn: '', ansible_hostnqn: '', ansible_fibre_channel_wwn: [] },
      ...{ ansible_system_capabilities_enforced: 'N/A', ansible_system_capabilities: 'N/A' },
    })
    expect(otherFacts(sections({ osfile: ['present'] }), 'NAME=Fedora Linux')).not.toHaveProperty(
      'ansible_distribution_file_path',
    )
  })

  it.each([
    [['Current: =ep', '@capsrc 0'], 'False', []],
    [['Current: =ep cap_sys_resource-ep', 'Bounding set =cap_chown', '@capsrc 0'], 'True', ['ep cap_sys_resource-ep']],
    [['Current: = cap_chown,cap_kill+ep', '@capsrc 0'], 'True', ['cap_chown', 'cap_kill+ep']],
    [['Bounding set =cap_chown', '@capsrc 0'], 'NA', []],
    [['Current: =ep', '@capsrc 1'], 'N/A', 'N/A'],
  ])('capsh %j → enforced %s', (caps, enforced, list) => {
    const f = otherFacts(sections({ caps }), DEBIAN)
    expect([f.ansible_system_capabilities_enforced, f.ansible_system_capabilities]).toEqual([enforced, list])
  })
})
