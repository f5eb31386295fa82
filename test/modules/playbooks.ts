/**
 * The playbooks and files of the basic-module integration tests (test/modules/playbooks.integration.test.ts).
 * Inventory host vars: `base` (a fresh folder), `open_port`/`closed_port` (loopback ports the test controls).
 *
 * @example
 * ```ts
 * writeTree({ 'inventory.yml': fleet.inventoryYaml({ base, open_port, closed_port }), ...PLAYBOOKS })
 * ```
 */

const VARS = `
  vars:
    d: "{{ base }}/{{ inventory_hostname }}"
    hostile: "'; touch {{ base }}/pwned #"
    hostile_cmd: "$(touch {{ base }}/pwned)"
    hostile_name: "$(touch pwned2);'x'"`

/** Every task here changes on a fresh host (except the last two) and never again. */
const SITE = `
- name: basic modules converge
  hosts: all
  gather_facts: false${VARS}
  tasks:
    - name: a folder
      file: { path: "{{ d }}/conf", state: directory, mode: "0750" }
    - name: inline content
      copy: { content: "hello {{ inventory_hostname }}\\n", dest: "{{ d }}/conf/hello.txt", mode: "0640" }
    - name: a controller file into a folder
      copy: { src: app.conf, dest: "{{ d }}/conf/", force: false }
    - name: one line changed
      lineinfile: { path: "{{ d }}/conf/app.conf", regexp: "^port=", line: "port=8080" }
    - name: a template
      template: { src: motd.hbs, dest: "{{ d }}/motd" }
    - name: a symlink
      file: { src: conf/app.conf, dest: "{{ d }}/app.conf", state: link }
    - name: touched at a fixed time
      file: { path: "{{ d }}/stamp", state: touch, modification_time: "202001010000.00", access_time: preserve }
    - name: a command guarded by creates
      command: touch {{ d }}/made
      args: { creates: "{{ d }}/made" }
    - name: a shell script with a hostile variable
      shell: echo {{ hostile }} > {{ d }}/shell.out
      args: { creates: "{{ d }}/shell.out" }
    - name: owned by root through become
      copy: { content: "secret\\n", dest: "{{ d }}/root-owned", owner: root, group: root, mode: "0600" }
      become: true
    - name: hostile file name and content
      copy: { content: "{{ hostile }}\\n", dest: "{{ d }}/{{ hostile_name }}" }
    - name: hostile line
      lineinfile: { path: "{{ d }}/hostile.conf", line: "x={{ hostile }}", create: true }
    - name: nothing to remove
      file: { path: "{{ d }}/old", state: absent }
    - name: hostile arguments to command
      command: echo {{ hostile_cmd }}
      changed_when: false
    - name: hostile argv to command
      command: { argv: [echo, "{{ hostile }}"] }
      changed_when: false
`

const VERIFY = `
- name: read-only modules
  hosts: all
  gather_facts: false${VARS}
  tasks:
    - name: stat through the link
      stat: { path: "{{ d }}/app.conf", follow: true }
      register: st
    - name: stat a missing path
      stat: { path: "{{ d }}/missing" }
      register: gone
    - name: stat results
      assert:
        that:
          - st.stat.exists
          - st.stat.isreg
          - st.stat.size > 0
          - st.stat.checksum is defined
          - not gone.stat.exists
    - name: read a file
      command: cat {{ d }}/conf/app.conf
      register: conf
      changed_when: false
    - name: command results
      assert: { that: ["conf.stdout_lines[1] == 'port=8080'", "conf.rc == 0"] }
    - name: set a fact
      set_fact: { greeting: "hi {{ inventory_hostname }}" }
    - name: show the fact
      debug: { var: greeting }
    - name: the template is there
      wait_for: { path: "{{ d }}/motd", search_regex: "Welcome", timeout: 5 }
    - name: a port that is open
      wait_for: { port: "{{ open_port }}", timeout: 5 }
    - name: a port that is closed
      wait_for: { port: "{{ closed_port }}", state: stopped, timeout: 5 }
`

const FAILING = `
- name: failures
  hosts: all
  gather_facts: false${VARS}
  tasks:
    - name: fail with a message
      fail: { msg: unsupported board }
      ignore_errors: true
    - name: assert with a message
      assert: { that: "1 == 2", fail_msg: not enough memory }
      ignore_errors: true
    - name: a command that fails
      shell: "echo broken >&2; exit 3"
      ignore_errors: true
    - name: a port that never opens
      wait_for: { port: "{{ closed_port }}", timeout: 1, sleep: 0.2 }
      ignore_errors: true
    - name: attributes of a missing file
      file: { path: "{{ d }}/missing", state: file, mode: "0600" }
      ignore_errors: true
    - name: edit a missing file
      lineinfile: { path: "{{ d }}/missing.conf", line: x }
      ignore_errors: true
    - name: validate refuses
      copy: { content: "bad\\n", dest: "{{ d }}/conf/hello.txt", validate: "grep -q good %s" }
`

/** File tree for `writeTree`. */
export const PLAYBOOKS: Record<string, string> = {
  'site.yml': SITE,
  'verify.yml': VERIFY,
  'failing.yml': FAILING,
  'files/app.conf': 'name=app\nport=80\n',
  'templates/motd.hbs': 'Welcome to {{ inventory_hostname }}\n',
}
