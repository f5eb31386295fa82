/**
 * The apt module's arguments beyond naming packages (Ansible 2.14's names and aliases), spread into its schema.
 *
 * @example
 * ```yaml
 * - apt: { deb: /tmp/tool_1.0_all.deb, allow_downgrade: true, policy_rc_d: 101 }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted } from '../../engine/argtypes.js'

const flag = (description: string, aliases?: string[]) =>
  Defaulted(Type.Boolean({ description, default: false, ...(aliases ? { aliases } : {}) }))

export const EXTRA_ARGS = {
  deb: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'A .deb file on the host to install (with its dependencies, `apt-get install ./file.deb`); ok when that ' +
        'version is installed. Only with state present. A URL is downloaded on the host first (with curl, into a ' +
        'temp folder removed afterwards), also in check mode, as Ansible does',
    }),
  ),
  upgrade: Type.Optional(
    Type.Union(
      [
        Type.Literal('no'),
        Type.Literal('yes'),
        Type.Literal('safe'),
        Type.Literal('dist'),
        Type.Literal('full'),
        Type.Boolean(),
      ],
      {
        description:
          'Upgrade installed packages: yes/safe `apt-get upgrade --with-new-pkgs`, dist/full `apt-get ' +
          'dist-upgrade` (always apt-get: aptitude is not used); changed unless the simulation upgrades nothing. ' +
          'The task does only this',
      },
    ),
  ),
  allow_unauthenticated: flag('Install packages that cannot be authenticated (`--allow-unauthenticated`)', [
    'allow-unauthenticated',
  ]),
  allow_downgrade: flag('Allow installing an older version (`--allow-downgrades`)', [
    'allow-downgrade',
    'allow_downgrades',
    'allow-downgrades',
  ]),
  allow_change_held_packages: flag('Allow changing held packages (`--allow-change-held-packages`)'),
  force: flag('`--force-yes` (deprecated by apt; implies allow_unauthenticated and allow_downgrade)'),
  fail_on_autoremove: flag('Fail rather than remove packages to install others (`--no-remove`)'),
  only_upgrade: flag('Only upgrade named packages that are installed; never install (`--only-upgrade`)'),
  force_apt_get: flag('Use apt-get, not aptitude (tsplay always uses apt-get)'),
  autoclean: flag(
    'With no package named: delete cached archives that can no longer be downloaded (`apt-get autoclean`); ' +
      'changed when one is deleted',
  ),
  clean: flag(
    'Run `apt-get clean` first (delete the downloaded package files); it never counts as a change, as in ' +
      "ansible-core 2.14's apt: the rest of the task decides",
  ),
  default_release: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'The release to prefer (`-t`, and `APT::Default-Release` when reading candidates)',
      aliases: ['default-release'],
    }),
  ),
  dpkg_options: Defaulted(
    Type.String({
      default: 'force-confdef,force-confold',
      description:
        "Options for dpkg, comma separated, each given as `-o Dpkg::Options::=--OPTION` (Ansible's default keeps " +
        'changed configuration files and takes the default answer)',
    }),
  ),
  lock_timeout: Defaulted(
    Type.Integer({
      minimum: 0,
      default: 600,
      description:
        'Seconds to wait for the dpkg lock another apt or dpkg holds (`DPkg::Lock::Timeout`). Ansible waits 60; ' +
        "tsplay's default is longer: a Pi's first boot runs unattended-upgrades for minutes",
    }),
  ),
  update_cache_retries: Defaulted(
    Type.Integer({ minimum: 0, default: 5, description: 'How often to try `apt-get update` when it fails' }),
  ),
  update_cache_retry_max_delay: Defaulted(
    Type.Integer({
      minimum: 0,
      default: 12,
      description: 'Longest wait between tries of `apt-get update`, in seconds (the waits double from 1)',
    }),
  ),
  policy_rc_d: Type.Optional(
    Type.Integer({
      description:
        'Run apt-get with a /usr/sbin/policy-rc.d exiting with this code (101: maintainer scripts start no ' +
        'services); the one there before is put back',
    }),
  ),
}
