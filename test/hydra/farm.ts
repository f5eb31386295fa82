/**
 * Helpers for the Hydra playbook's fleet test that talk to real Nix on the nodes: the machine lists as Nix and
 * Hydra read them, a derivation that builds offline (Debian's static busybox as its builder), builds sent from the
 * server, and which builder's store holds a path. Everything runs as root inside a node (no SSH) unless `runuser`
 * says otherwise.
 *
 * @example
 * ```ts
 * const farm = new Farm(fleet, 'srv')
 * const r = await farm.build('a', ['--max-jobs', '0'])
 * expect(await farm.storeHas('b1', r.out)).toBe(true)
 * ```
 */
import { randomBytes } from 'node:crypto'
import type { ExecResult, Fleet } from '../helpers/fleet.js'

/** The test derivation: `tag` makes each build new (no cached output anywhere); `./bb/busybox` is its builder. */
const TEST_NIX = `{ tag }: derivation {
  name = "farm-test-\${tag}";
  system = builtins.currentSystem;
  builder = "\${./bb}/busybox";
  args = [ "sh" "-c" "echo \${tag} > $out" ];
}
`
/** Where the test derivation lives on the server (readable by hydra-queue-runner too). */
export const TEST_DIR = '/srv/farm-test'
/** The queue runner's home, as its unit sets it. */
const QR_HOME = '/var/lib/hydra/queue-runner'

/** One machine line, split into Nix's fields; `name` is the inventory name after `#` (empty if none). */
export interface MachineLine {
  uri: string
  fields: string[]
  name: string
  text: string
}

/** A build's result: the output path (empty on failure) and where Nix said it built it. */
export interface BuildResult extends ExecResult {
  out: string
  builtOn: string | undefined
}

/** A fresh tag for a build nobody has done before. */
export const newTag = (what: string) => `${what}-${randomBytes(4).toString('hex')}`

export class Farm {
  constructor(
    readonly fleet: Fleet,
    readonly server: string,
  ) {}

  /** Run as root inside `node`; throws on a non-zero exit. */
  async sh(node: string, argv: string[], stdin?: string): Promise<string> {
    const r = await this.fleet.exec(node, argv, stdin)
    if (r.rc !== 0) throw new Error(`${node}: ${argv.join(' ')} → rc ${r.rc}\n${r.stderr}`)
    return r.stdout.trim()
  }

  /** Debian's busybox-static on the server (from the mirror, through the fleet's NAT) and the test derivation. */
  async prepare(): Promise<void> {
    await this.sh(this.server, [
      'sh',
      '-c',
      'apt-get update -q >/dev/null && apt-get install -y -q busybox-static >/dev/null',
    ])
    await this.sh(
      this.server,
      ['sh', '-c', `mkdir -p ${TEST_DIR}/bb && cp /bin/busybox ${TEST_DIR}/bb/ && cat > ${TEST_DIR}/t.nix`],
      TEST_NIX,
    )
  }

  /** The machine lines of a file on the server (comments and blank lines dropped, as Nix drops them). */
  async lines(file: string): Promise<MachineLine[]> {
    const text = await this.sh(this.server, ['cat', file])
    return text
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'))
      .map((l) => {
        const [fields, name = ''] = l.split('#').map((s) => s.trim())
        return { uri: fields.split(/\s+/)[0], fields: fields.split(/\s+/), name, text: l }
      })
  }

  /** The files the running hydra-queue-runner reads, from its process environment (NIX_REMOTE_SYSTEMS). */
  async queueRunnerMachineFiles(): Promise<string[]> {
    const pid = await this.sh(this.server, ['systemctl', 'show', '-p', 'MainPID', '--value', 'hydra-queue-runner'])
    const env = (await this.sh(this.server, ['cat', `/proc/${pid}/environ`])).split('\0')
    const value = env.find((e) => e.startsWith('NIX_REMOTE_SYSTEMS='))
    if (!value) throw new Error(`hydra-queue-runner (pid ${pid}) has no NIX_REMOTE_SYSTEMS`)
    return value.slice('NIX_REMOTE_SYSTEMS='.length).split(':')
  }

  /** Every machine line Hydra's queue runner reads (all its NIX_REMOTE_SYSTEMS files, in order). */
  async hydraLines(): Promise<MachineLine[]> {
    const out: MachineLine[] = []
    for (const f of await this.queueRunnerMachineFiles()) out.push(...(await this.lines(f)))
    return out
  }

  /** `nix-build t.nix --argstr tag TAG EXTRA…` on the server as root (or as `user`); never throws. */
  async build(tag: string, extra: string[] = [], user?: string): Promise<BuildResult> {
    const argv = [
      'nix-build',
      '--no-out-link',
      `${TEST_DIR}/t.nix`,
      '--argstr',
      'tag',
      tag,
      '--option',
      'substituters',
      '',
      ...extra,
    ]
    const r = await this.fleet.exec(this.server, user ? this.asUser(user, argv) : ['timeout', '300', ...argv])
    return {
      ...r,
      out: r.rc === 0 ? (r.stdout.trim().split('\n').pop() ?? '') : '',
      builtOn: /^building '.*' on '(.*)'/m.exec(r.stderr)?.[1],
    }
  }

  /** argv run as `user` with its home (the queue runner's as its unit sets it), bounded in time. */
  asUser(user: string, argv: string[]): string[] {
    return [
      'runuser',
      '-u',
      user,
      '--',
      'env',
      `HOME=${user === 'hydra-queue-runner' ? QR_HOME : '/tmp'}`,
      'timeout',
      '300',
      ...argv,
    ]
  }

  /** The derivation of the test build with `tag` (instantiated as root, so any user may build it). */
  async instantiate(tag: string): Promise<string> {
    return (
      (await this.sh(this.server, ['nix-instantiate', `${TEST_DIR}/t.nix`, '--argstr', 'tag', tag]))
        .split('\n')
        .pop() ?? ''
    )
  }

  /** Whether `path` is a valid path in `node`'s Nix store. */
  async storeHas(node: string, path: string): Promise<boolean> {
    return (await this.fleet.exec(node, ['nix-store', '--check-validity', path])).rc === 0
  }

  /** Nix's store URL for a machine line, with its key and pinned host key (as Hydra and nix-daemon use them). */
  static storeUrl(line: MachineLine): string {
    return `${line.uri}?ssh-key=${line.fields[2]}&base64-ssh-public-host-key=${line.fields[7]}`
  }
}
