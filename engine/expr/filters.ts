/**
 * The filter and test tables, assembled from their families (filters-text.ts, filters-list.ts, filters-data.ts,
 * tests.ts). Filters and tests take already-evaluated arguments; only `default`/`d`/`mandatory` and the
 * `defined`/`undefined` tests see undefined values (as `Undef`).
 *
 * @example
 * ```yaml
 * - debug: { msg: "{{ packages | join(', ') | upper }}" }
 *   when: result is failed or (nix_version | default('0')) is version('2.18', '<')
 * ```
 */
import { DATA_FILTERS } from './filters-data.js'
import { HTML_FILTERS } from './filters-html.js'
import { MATH_FILTERS } from './filters-math.js'
import { PATH_FILTERS } from './filters-paths.js'
import { PPRINT_FILTERS } from './pprint.js'
import { DATETIME_FILTERS } from './strptime.js'
import { URLIZE_FILTERS } from './urlize.js'
import { WRAP_FILTERS } from './textwrap.js'
import { LIST_FILTERS } from './filters-list.js'
import { TEXT_FILTERS } from './filters-text.js'
import { URL_FILTERS } from './urls.js'
import { CRYPT_FILTERS } from './shacrypt.js'
import { FILTERS, TESTS } from './registry.js'
import { TEST_DEFS } from './tests.js'

Object.assign(FILTERS, TEXT_FILTERS, LIST_FILTERS, DATA_FILTERS, CRYPT_FILTERS, URL_FILTERS)
Object.assign(
  FILTERS,
  MATH_FILTERS,
  HTML_FILTERS,
  PATH_FILTERS,
  PPRINT_FILTERS,
  WRAP_FILTERS,
  DATETIME_FILTERS,
  URLIZE_FILTERS,
)
Object.assign(TESTS, TEST_DEFS)

export { callFilter, callTest, FILTERS, TESTS } from './registry.js'
export { callMethod } from './methods.js'

/** Filters that receive an undefined input as `Undef` instead of failing. */
export const UNDEF_FILTERS = new Set(['default', 'd', 'mandatory'])

/** Tests that receive an undefined input as `Undef` instead of failing. */
export const UNDEF_TESTS = new Set(['defined', 'undefined'])
