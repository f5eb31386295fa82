/**
 * YAML 1.1's other booleans, as Ansible's YAML loader (PyYAML) reads them: `yes`/`no`/`on`/`off` in lower, title or
 * upper case (`enjoy: yes` is true, as in Ansible). `true`/`false` stay the core schema's; quoted, they are text;
 * `y` and `n` stay text, as PyYAML keeps them. Used by the playbook loader and by `from_yaml`.
 *
 * @example
 * ```ts
 * parse('a: yes\nb: y', { customTags: [YAML11_BOOL] }) // { a: true, b: 'y' }
 * ```
 */
import type { ScalarTag } from 'yaml'

export const YAML11_BOOL: ScalarTag = {
  tag: 'tag:yaml.org,2002:bool',
  default: true,
  test: /^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/,
  resolve: (s: string) => /^(?:yes|on)$/i.test(s),
}
