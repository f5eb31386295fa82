/**
 * The splitter's cases, as data: the unit tests (split.test.ts) check tsplay against these expected values, and the
 * agreement test (agree.integration.test.ts) checks the same expected values against Ansible itself (Python's
 * `shlex.split` for shell words, `ansible.parsing.splitter.parse_kv` for `key=value` strings), so neither can drift.
 *
 * @example
 * ```ts
 * for (const [input, want] of SHELL_CASES) expect(splitArgs(input)).toEqual(want)
 * ```
 */

/** Shell words (`shlex.split`): input → words. */
export const SHELL_CASES: Array<[string, string[]]> = [
  ['echo hello', ['echo', 'hello']],
  [`echo "a b" 'c d' e\\ f`, ['echo', 'a b', 'c d', 'e f']],
  [`echo '; touch /tmp/pwned #' `, ['echo', '; touch /tmp/pwned #']],
  ['echo $(id)', ['echo', '$(id)']],
  ['echo "$(id)" `id`', ['echo', '$(id)', '`id`']],
  ['a  b\tc', ['a', 'b', 'c']],
  ['a\nb\r\nc', ['a', 'b', 'c']],
  ['x"y"z', ['xyz']],
  ['', []],
  ['echo ""', ['echo', '']],
  [`echo "a\\"b" "c\\d" "e\\\\f"`, ['echo', 'a"b', 'c\\d', 'e\\f']],
  [`echo "\\$x" "a\\\`b"`, ['echo', '\\$x', 'a\\`b']],
  ['ls *.txt | wc -l; rm -rf /', ['ls', '*.txt', '|', 'wc', '-l;', 'rm', '-rf', '/']],
  ['echo a#b # c', ['echo', 'a#b', '#', 'c']],
  [`it\\'s`, ["it's"]],
  [`a'b\\'`, ['ab\\']],
  [`'a"b' "c'd"`, ['a"b', "c'd"]],
  ['printf "%s\\n" x', ['printf', '%s\\n', 'x']],
  ['echo {{ x }}', ['echo', '{{', 'x', '}}']],
  ['\\\\', ['\\']],
]

/** Shell strings that cannot be split: input → the error and the offset it names. */
export const SHELL_ERRORS: Array<[string, string, number]> = [
  [`echo 'open`, 'unterminated single quote', 5],
  ['echo "open', 'unterminated double quote', 5],
  ['trailing \\', 'trailing backslash (nothing to escape)', 9],
  ['"a\\"', 'unterminated double quote', 0],
]

/** Words of Ansible argument strings (`split_args`), kept as written: input → words. */
export const ANSIBLE_WORD_CASES: Array<[string, string[]]> = [
  ['msg={{ a ~ "x y" }} n=1', ['msg={{ a ~ "x y" }}', 'n=1']],
  [`a=\\' b=\\"`, [`a=\\'`, `b=\\"`]],
  ['a\\ b', ['a\\', 'b']],
  ['x {% for i in l %}{{ i }} {% endfor %} y', ['x', '{% for i in l %}{{ i }}', '{% endfor %}', 'y']],
  [`echo 'a\\' b'`, ['echo', `'a\\' b'`]],
  ['a={% if x %}', ['a={% if x %}']],
  ['a=b\\', ['a=b\\']],
]

/** Ansible argument strings that cannot be split: input → the error and the offset it names. */
export const ANSIBLE_ERRORS: Array<[string, string, number]> = [
  ['a={{ b', 'unclosed "{{"', 2],
  ['a={# c', 'unclosed "{#"', 2],
  [`msg=it's`, 'unterminated single quote', 6],
  ['a="x', 'unterminated double quote', 2],
]

/** `key=value` strings (Ansible's `parse_kv`): input → map. */
export const KV_CASES: Array<[string, Record<string, string>]> = [
  // a templated key, named at run time (set_fact: "{{ item }}=set")
  ['{{ item }}=set x=1', { '{{ item }}': 'set', x: '1' }],
  ['name=git state=present', { name: 'git', state: 'present' }],
  // a key with a hyphen: systemd's `daemon-reload=true` (an alias Ansible's module declares)
  ['a-b=1 daemon-reload=true', { 'a-b': '1', 'daemon-reload': 'true' }],
  ['name={{ pkgs | join(" ") }} state=latest', { name: '{{ pkgs | join(" ") }}', state: 'latest' }],
  [`msg='hello world' x="a b"`, { msg: 'hello world', x: 'a b' }],
  ['', {}],
  ['x={{ y }}', { x: '{{ y }}' }],
  ['a=x"y z"w', { a: 'x"y z"w' }],
  ['a={% if y %}1{% endif %} b={# c d #}', { a: '{% if y %}1{% endif %}', b: '{# c d #}' }],
  ['a=x\\ny', { a: 'x\ny' }],
  ['a=\\\\d+', { a: '\\d+' }],
  ['a=x\\=y', { a: 'x\\=y' }],
  ['a=b=c', { a: 'b=c' }],
  ['a=', { a: '' }],
  ['a="x\\"y"', { a: 'x"y' }],
  [`a="it\\'s"`, { a: "it's" }],
  ['a={{ "x y" }}', { a: '{{ "x y" }}' }],
  [`a={{ {'k': 'v v'} }}`, { a: `{{ {'k': 'v v'} }}` }],
  ['a=1  b=2', { a: '1', b: '2' }],
  ['a=1 \\\nb=2', { a: '1', b: '2' }],
  ['a=\\x41\\u00e9', { a: 'Aé' }],
  [`a='x y'z`, { a: `'x y'z` }],
  [`a=''`, { a: '' }],
  ['a="x" y=1', { a: 'x', y: '1' }],
  ['line=^foo\\s+bar$', { line: '^foo\\s+bar$' }],
  ['path=C:\\\\dir', { path: 'C:\\dir' }],
]

/** Free-form strings (`parse_kv` with `check_raw`, `creates`/`removes`/`chdir` known): input → text and params. */
export const FREE_FORM_CASES: Array<[string, { text: string; params: Record<string, string> }]> = [
  ['ls -l chdir=/tmp', { text: 'ls -l', params: { chdir: '/tmp' } }],
  ['echo a=b', { text: 'echo a=b', params: {} }],
  ['chdir=/a echo hi', { text: 'echo hi', params: { chdir: '/a' } }],
  ['echo "{{ x }}" removes=/y', { text: 'echo "{{ x }}"', params: { removes: '/y' } }],
]
