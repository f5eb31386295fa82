/** Every agreement case, in the order they run. */
import type { CompatCase } from '../harness.js'
import { ACCOUNTS } from './accounts.js'
import { USER_KEYS } from './userkeys.js'
import { VARS_ARGS } from './varsargs.js'
import { LOCAL_FACTS } from './localfacts.js'
import { LIBRARY } from './library.js'
import { COLLECTIONS } from './collections.js'
import { ACTIONS } from './actions.js'
import { PLUGINS } from './plugins.js'
import { MULTI_OS } from './multios.js'
import { APT_ARGS } from './aptargs.js'
import { TEMPLATE_ARGS } from './templateargs.js'
import { BECOME } from './become.js'
import { BUILTIN } from './builtin.js'
import { CONNECT } from './connect.js'
import { CONTROLLER } from './controller.js'
import { CORE } from './core.js'
import { ADMIN } from './admin.js'
import { FILES } from './files.js'
import { FAIL_RATE } from './failrate.js'
import { FLOW } from './flow.js'
import { GATHER } from './gather.js'
import { GIT_ARGS } from './gitargs.js'
import { GIT_BARE } from './gitbare.js'
import { ATTRS } from './attrs.js'
import { KEYWORDS } from './keywords.js'
import { KW_RUN } from './kwrun.js'
import { LANG } from './lang.js'
import { LANGPKG } from './langpkg.js'
import { LOOKUPS } from './lookups.js'
import { REUSE } from './reuse.js'
import { MODS } from './mods.js'
import { ROLES } from './roles.js'
import { ARGSPEC } from './argspec.js'
import { SRCPATH } from './srcpath.js'
import { SYSTEM } from './system.js'
import { TOLERATED } from './tolerated.js'
import { TRANSFER } from './transfer.js'
import { VAULT } from './vault.js'
import { WEB } from './web.js'

export const CASES: CompatCase[] = [
  ...CORE,
  ...FILES,
  ...FLOW,
  ...FAIL_RATE,
  ...ROLES,
  ...ARGSPEC,
  ...CONNECT,
  ...TRANSFER,
  ...REUSE,
  ...GATHER,
  ...MODS,
  ...SYSTEM,
  ...ACCOUNTS,
  ...USER_KEYS,
  ...VARS_ARGS,
  ...LOCAL_FACTS,
  ...LIBRARY,
  ...COLLECTIONS,
  ...ACTIONS,
  ...PLUGINS,
  ...MULTI_OS,
  ...APT_ARGS,
  ...TEMPLATE_ARGS,
  ...WEB,
  ...LANG,
  ...LOOKUPS,
  ...CONTROLLER,
  ...KEYWORDS,
  ...VAULT,
  ...KW_RUN,
  ...BUILTIN,
  ...ADMIN,
  ...LANGPKG,
  ...GIT_ARGS,
  ...GIT_BARE,
  ...ATTRS,
  ...BECOME,
  ...SRCPATH,
  ...TOLERATED,
]
