/**
 * Agreement cases for the modules around host facts and refreshing: `ping`, `setup` (what Ansible's `ping` and
 * `gathering_facts` targets pin down), and apt's `update_cache` and `package` in check mode: the refresh step
 * neither engine runs (changed when the lists are older than `cache_valid_time`, ok when younger). A real `package`
 * run needs root on the target for Ansible's apt (the dpkg lock), which the loopback target user lacks: the fleet
 * test (test/modules-fleet) runs package and service for real. `gather_defaults`: the play's fact gathering takes
 * `setup`'s module_defaults and, over them, `gather_facts`', rendered per host: a bad `gather_subset` fails that
 * host's gathering; `gather_defaults_template`: the same given whole by templates (a value that is no map fails
 * that host's gathering). `gather_become`: the play's `become` reaches its fact gathering (facts are root's).
 * `gather_filter`: setup's module_defaults `filter` keeps only the matching facts (`ansible_` prefix optional).
 * `gather_subsets`: the facts of each `gather_subset` are Ansible's (engine/factsubset.ts), and add up over gatherings.
 */
import type { CompatCase } from '../harness.js'

const play = (name: string, tasks: string) => `- hosts: ${name}\n  gather_facts: false\n  tasks:\n${tasks}`

/** Writes a local fact file `mine` ({x: 1}) under `{{ root }}/d`. */
const FACT = `
    - file: { path: "{{ root }}/d", state: directory, mode: "0755" }
    - copy: { content: '{"x": 1}', dest: "{{ root }}/d/mine.fact", mode: "0644" }
`

export const GATHER: CompatCase[] = [
  {
    name: 'ping_setup',
    covers: 'ping, gathering_facts',
    files: {
      'main.yml': play(
        'ping_setup',
        `
    - ping:
    - ping: { data: hello }
      register: p
    - assert: { that: ["p.ping == 'hello'", p is not changed] }
    - ping: { data: crash }
      ignore_errors: true
    - setup: { filter: "ansible_distribution*" }
    - assert:
        that:
          - ansible_distribution == 'Debian'
          - ansible_distribution_release | length > 0
          - ansible_facts.distribution == 'Debian'
    - setup: { gather_subset: ["!all", "min"] }
    - debug: { msg: "a Debian host" }
      when: ansible_facts.os_family == 'Debian' and ansible_os_family == 'Debian'
    - copy: { content: "{{ ansible_architecture }}\\n", dest: "{{ root }}/arch", mode: "0644" }
`,
      ),
    },
  },
  {
    // the facts beyond the distribution's that roles read: written to a file both engines must write alike (those
    // that change from moment to moment only by their keys)
    name: 'facts_more',
    covers:
      'setup: network, date_time, env, user, memory, processor, cmdline, dns, lsb, DMI, mounts, host keys, ' +
      'block devices and their links, lvm, iscsi, nvme, fibre channel, capabilities, distribution file, an ' +
      "interface's sysfs and ethtool fields",
    clean: true,
    files: {
      'main.yml': `- hosts: facts_more
  gather_facts: true
  tasks:
    - copy:
        dest: "{{ root }}/facts.json"
        mode: "0644"
        content: "{{ picked | to_nice_json }}\\n"
      vars:
        iface: "{{ ansible_default_ipv4.interface | default('lo') }}"
        picked:
          interfaces: "{{ ansible_interfaces | sort }}"
          default: "{{ [ansible_default_ipv4, ansible_default_ipv6] }}"
          all: "{{ [ansible_all_ipv4_addresses | sort, ansible_all_ipv6_addresses | sort] }}"
          lo: "{{ ansible_lo }}"
          iface: "{{ hostvars[inventory_hostname]['ansible_' + iface] }}"
          dns: "{{ [ansible_dns, ansible_domain, ansible_lsb] }}"
          memory: "{{ [ansible_memory_mb.real.total, ansible_memory_mb.swap.total, ansible_swaptotal_mb] }}"
          cpu: "{{ [ansible_processor, ansible_processor_count, ansible_processor_cores,
            ansible_processor_threads_per_core] }}"
          cmdline: "{{ [ansible_cmdline, ansible_proc_cmdline] }}"
          user: "{{ [ansible_user_uid, ansible_user_gid, ansible_user_gecos, ansible_user_shell, ansible_real_user_id,
            ansible_effective_user_id, ansible_real_group_id, ansible_effective_group_id, ansible_user_dir,
            ansible_env.HOME, ansible_env.USER, ansible_env.LOGNAME, ansible_env.SHELL, ansible_env.PWD] }}"
          system: "{{ [ansible_kernel_version, ansible_userspace_bits, ansible_userspace_architecture, ansible_fips,
            ansible_is_chroot, ansible_apparmor, ansible_distribution_minor_version | default('none')] }}"
          dmi: "{{ [ansible_product_name, ansible_product_serial, ansible_system_vendor, ansible_bios_version,
            ansible_board_name, ansible_chassis_vendor, ansible_form_factor] }}"
          mounts: "{{ ansible_mounts | map(attribute='mount') | list }}"
          sized: "{{ ansible_mounts | map(attribute='block_total') | list }}"
          keys: "{{ [ansible_ssh_host_key_ed25519_public | default(''), ansible_ssh_host_key_rsa_public_keytype
            | default('')] }}"
          date_time: "{{ [ansible_date_time.keys() | sort, ansible_date_time.tz, ansible_date_time.tz_dst,
            ansible_date_time.tz_offset] }}"
          loadavg: "{{ ansible_loadavg.keys() | sort }}"
          # block devices: loop devices (which other tests may attach) by their fields only
          devices: "{{ ansible_devices | dict2items | rejectattr('key', 'match', 'loop') | items2dict }}"
          device_names: "{{ ansible_devices | list | reject('match', 'loop') | list }}"
          loop_fields: "{{ ansible_devices | dict2items | selectattr('key', 'match', 'loop') | map(attribute='value')
            | map('list') | unique | list }}"
          storage: "{{ [ansible_device_links, ansible_lvm, ansible_iscsi_iqn, ansible_fibre_channel_wwn,
            ansible_hostnqn] }}"
          caps: "{{ [ansible_system_capabilities, ansible_system_capabilities_enforced] }}"
          selinux: "{{ [ansible_selinux, ansible_selinux_python_present] }}"
          dist_file: "{{ [ansible_distribution_file_path, ansible_distribution_file_variety,
            ansible_distribution_file_parsed] }}"
    - assert:
        that:
          - ansible_uptime_seconds > 0 and ansible_memfree_mb > 0 and ansible_swapfree_mb >= 0
          - ansible_date_time.epoch | int > 0 and ansible_env.PATH is defined
`,
    },
  },
  {
    name: 'gather_defaults',
    covers: "gathering_facts (setup's and gather_facts' module_defaults per host; a bad gather_subset fails it)",
    files: {
      'main.yml': `${play('gather_defaults', FACT)}
- hosts: gather_defaults
  gather_facts: true
  module_defaults:
    ansible.builtin.setup:
      gather_subset: "{{ 'no-such-subset' if inventory_hostname.endswith('_a') else 'all' }}"
      fact_path: /nonexistent
    gather_facts: { fact_path: "{{ root }}/d" }
  tasks:
    - assert: { that: ["ansible_local.mine.x == 1"] }
    - file: { path: "{{ root }}/gathered", state: directory, mode: "0755" }
`,
    },
  },
  {
    name: 'gather_defaults_template',
    covers: "gathering_facts (setup's and gather_facts' module_defaults given whole by templates, per host)",
    files: {
      'main.yml': `- hosts: gather_defaults_template
  gather_facts: true
  vars:
    dflt: "{{ 3 if inventory_hostname.endswith('_a') else {'filter': ['ansible_distribution*', 'user_id']} }}"
    more: { gather_subset: ["!all", "min"] }
  module_defaults:
    setup: "{{ dflt }}"
    ansible.builtin.gather_facts: "{{ more }}"
  tasks:
    - copy:
        content: >-
          {{ [ansible_distribution is defined, ansible_user_id is defined, ansible_architecture is defined]
          | map('ternary', 'y', 'n') | join(' ') }}
        dest: "{{ root }}/seen"
        mode: "0644"
`,
    },
  },
  {
    name: 'gather_become',
    covers: "gathering_facts (the play's become: facts are the become user's)",
    clean: true,
    files: {
      'main.yml': `- hosts: gather_become
  gather_facts: true
  become: true
  tasks:
    - copy: { content: "{{ ansible_user_id }} {{ ansible_user_dir }}\\n", dest: "{{ root }}/who", mode: "0644" }
      become: false
    - assert: { that: ["ansible_user_id == 'root'", "ansible_facts.user_dir == '/root'"] }
`,
    },
  },
  {
    name: 'gather_filter',
    covers: "gathering_facts (setup's module_defaults filter, with or without the ansible_ prefix; gather_timeout)",
    clean: true,
    files: {
      'main.yml': `- hosts: gather_filter
  gather_facts: true
  gather_timeout: 20
  module_defaults:
    setup: { filter: ["ansible_distribution*", "user_id"], gather_timeout: 30 }
  tasks:
    - copy:
        content: >-
          {{ [ansible_distribution is defined, ansible_user_id is defined, ansible_architecture is defined,
          ansible_facts.architecture is defined, ansible_facts.distribution_release is defined]
          | map('ternary', 'y', 'n') | join(' ') }}
        dest: "{{ root }}/seen"
        mode: "0644"
`,
    },
  },
  {
    // the facts each subset gives (all but the interpreter Ansible found), a bad name's message, and facts
    // that add up: a later, smaller gathering keeps what an earlier one read
    name: 'gather_subsets',
    covers:
      "setup's and the play's gather_subset: Ansible's collectors (all, min, !all, hardware, network, virtual, " +
      'a fact id, !min with what a collector needs), its error for a bad name, and facts kept over gatherings',
    clean: true,
    files: {
      'main.yml': `- hosts: gather_subsets
  gather_facts: false
  tasks:
    - setup: { gather_subset: "{{ item }}" }
      register: r
      loop: "{{ subsets }}"
    - setup: { gather_subset: [network, bogus] }
      register: bad
      ignore_errors: true
    - copy:
        dest: "{{ root }}/keys"
        mode: "0644"
        content: |
          {% for x in r.results %}
          {{ x.item }}: {{ x.ansible_facts.keys() | map('regex_replace', '^ansible_', '')
             | reject('in', ['discovered_interpreter_python']) | sort | join(' ') }}
          {% endfor %}
          {{ bad.msg }}
  vars:
    subsets:
      - all
      - min
      - "!all"
      - hardware
      - "!hardware"
      - "!all,network"
      - ["!all", "!min", "hardware"]
      - "!min,service_mgr"
      - "network,!hardware,!virtual"
      - "!all,devices"
      - "!devices"
      - "!network,interfaces"
      - "!all,!min"
      - "!all,virtual,!virtualization_type"
      - "!all,is_chroot,loadavg,iscsi,nvme,fibre_channel_wwn,facter,ohai"
      - "!caps,!chroot"
      - []
- hosts: gather_subsets
  gather_facts: true
  gather_subset: [min]
  tasks:
    - setup: { gather_subset: ["!all", "hardware"] }
    - copy:
        dest: "{{ root }}/kept"
        mode: "0644"
        content: >-
          {{ [ansible_devices is defined, ansible_default_ipv4 is defined, ansible_distribution is defined,
          gather_subset, module_setup, ansible_facts.gather_subset, ansible_facts.module_setup] }}
- hosts: gather_subsets
  gather_facts: true
  gather_subset: "!hardware,!network"
  tasks:
    - copy:
        dest: "{{ root }}/later"
        mode: "0644"
        content: "{{ [ansible_devices is defined, ansible_lo is defined, gather_subset, ansible_facts.gather_subset] }}"
    - setup: { gather_subset: "!all,network" }
    - setup: { gather_subset: ["!all,hardware"] }
      register: one
    - copy:
        dest: "{{ root }}/split"
        mode: "0644"
        content: >-
          {{ [ansible_lo is defined, one.ansible_facts.ansible_lo is defined, one.ansible_facts.ansible_devices
          is defined, gather_subset] }}
`,
    },
  },
  {
    name: 'refresh_check',
    covers: 'apt update_cache in check mode',
    flags: ['--check'],
    files: {
      'main.yml': play(
        'refresh_check',
        `
    - apt: { update_cache: true, cache_valid_time: 1 }
    - apt: { update_cache: true, cache_valid_time: 999999999 }
    - package: { name: coreutils, state: present }
`,
      ),
    },
  },
]
