/**
 * The lookups that read and write controller files or the network and need the `k=v` reader of engine/source:
 * `password`, `csvfile`, `ini`, `url` and `config` (Ansible's settings), and `inventory_hostnames`, which needs the
 * inventory's host patterns: added to the lookup table (engine/expr/lookups.ts) when the runner loads.
 *
 * @example
 * ```yaml
 * - debug: { msg: "{{ lookup('ini', 'user', section='prod', file='users.ini') }}" }
 * ```
 */
import { registerLookup } from '../expr/lookups.js'
import { configLookup } from './lookup-config.js'
import { csvfileLookup } from './lookup-csv.js'
import { iniLookup } from './lookup-ini.js'
import { inventoryHostnamesLookup } from './lookup-hosts.js'
import { passwordLookup } from './lookup-password.js'
import { urlLookup } from './lookup-url.js'

registerLookup('password', passwordLookup)
registerLookup('csvfile', csvfileLookup)
registerLookup('ini', iniLookup)
registerLookup('url', urlLookup)
registerLookup('config', configLookup)
registerLookup('inventory_hostnames', inventoryHostnamesLookup)
