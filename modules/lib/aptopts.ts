/**
 * The apt module's options that shape its apt-get commands as Ansible 2.14's apt module shapes them: the install
 * flags (`--allow-unauthenticated`, `--allow-downgrades`, `--allow-change-held-packages`, `--force-yes`,
 * `--no-remove`, `--only-upgrade`, `-t RELEASE`), the `upgrade` modes (always apt-get: `full` is `dist-upgrade`),
 * `policy_rc_d` (a `/usr/sbin/policy-rc.d` exiting with the given code while the command runs, the one there
 * before put back after), and the parsers of the simulations that decide `upgrade`, `autoclean` and `build-dep`.
 *
 * @example
 * ```ts
 * installFlags({ allow_unauthenticated: true, force: false, … }) // ['--allow-unauthenticated']
 * upgradeVerb('full')                                             // ['dist-upgrade']
 * ```
 */
import { sh } from '../../engine/commands.js'
import type { Command } from '../../engine/types.js'

/** The options read here (a subset of the apt module's arguments). */
export interface AptOpts {
  allow_unauthenticated: boolean
  allow_downgrade: boolean
  allow_change_held_packages: boolean
  force: boolean
  fail_on_autoremove: boolean
  only_upgrade: boolean
  default_release?: string
  policy_rc_d?: number
}

/** Flags of `apt-get install` and `build-dep`. */
export function installFlags(o: AptOpts): string[] {
  const out: string[] = []
  if (o.only_upgrade) out.push('--only-upgrade')
  if (o.force) out.push('--force-yes')
  if (o.fail_on_autoremove) out.push('--no-remove')
  if (o.default_release) out.push('-t', o.default_release)
  if (o.allow_unauthenticated) out.push('--allow-unauthenticated')
  if (o.allow_downgrade) out.push('--allow-downgrades')
  if (o.allow_change_held_packages) out.push('--allow-change-held-packages')
  return out
}

/** Flags of the upgrade command. */
export function upgradeFlags(o: AptOpts, autoremove: boolean): string[] {
  const out: string[] = []
  if (o.force) out.push('--force-yes')
  if (o.fail_on_autoremove) out.push('--no-remove')
  if (o.allow_unauthenticated) out.push('--allow-unauthenticated')
  if (o.allow_downgrade) out.push('--allow-downgrades')
  if (autoremove) out.push('--auto-remove')
  if (o.default_release) out.push('-t', o.default_release)
  return out
}

/** The `upgrade` argument as a mode, or undefined for none (`no`, false). */
export function upgradeMode(v: string | boolean | undefined): 'yes' | 'safe' | 'dist' | 'full' | undefined {
  if (v === true) return 'yes'
  if (v === false || v === undefined || v === 'no') return undefined
  return v as 'yes' | 'safe' | 'dist' | 'full'
}

/** apt-get's verb for an upgrade mode (Ansible with apt-get: dist and full upgrade fully, yes and safe safely). */
export function upgradeVerb(mode: 'yes' | 'safe' | 'dist' | 'full'): string[] {
  return mode === 'dist' || mode === 'full' ? ['dist-upgrade'] : ['upgrade', '--with-new-pkgs']
}

/** Packages an apt-get simulation would install or upgrade (`Inst NAME [OLD] (NEW …)` lines) as change lines. */
export function parseSimulatedInstalls(stdout: string): string[] {
  const out: string[] = []
  for (const m of stdout.matchAll(/^Inst (\S+) (?:\[(\S+)\] )?\((\S+)/gm))
    out.push(m[2] ? `upgrade ${m[1]} ${m[2]} → ${m[3]}` : `install ${m[1]} ${m[3]}`)
  return out
}

/** Whether an apt-get simulation changes nothing (Ansible's test: "0 upgraded, 0 newly installed" in the output). */
export function simulatesNothing(stdout: string): boolean {
  return stdout.includes('\n0 upgraded, 0 newly installed') || stdout.startsWith('0 upgraded, 0 newly installed')
}

/** Cached archives `apt-get -s autoclean` would delete (`Del NAME VERSION [SIZE]` lines). */
export function parseAutoclean(stdout: string): string[] {
  return [...stdout.matchAll(/^Del (\S+) (\S+)/gm)].map((m) => `autoclean ${m[1]} ${m[2]}`)
}

/**
 * Runs "$@" with /usr/sbin/policy-rc.d exiting with $1 (so maintainer scripts do not start services with 101), and
 * puts back what was there before (or removes it) whatever the command's exit code.
 */
const POLICY_RC_D = `code=$1; shift; f=/usr/sbin/policy-rc.d; b=
if [ -e "$f" ]; then b=$(mktemp -d) && mv "$f" "$b/policy-rc.d" || exit 1; fi
restore() { if [ -n "$b" ]; then mv "$b/policy-rc.d" "$f" && rmdir "$b"; else rm -f "$f"; fi; }
trap 'restore; exit 1' HUP INT TERM
if printf '#!/bin/sh\\nexit %d\\n' "$code" > "$f" && chmod 0755 "$f"; then "$@"; rc=$?; else rc=1; fi
restore; exit $rc`

/** `cmd` as is, or run under a temporary policy-rc.d when `policy_rc_d` is given. */
export function withPolicyRcD(cmd: Command, code: number | undefined): Command {
  if (code === undefined) return cmd
  return sh(POLICY_RC_D, [String(code), ...cmd.argv], { env: cmd.env, describe: cmd.describe })
}
