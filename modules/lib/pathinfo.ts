/**
 * Ansible's `add_path_info`: a module result that names a `path` (or else a `dest`) on the host gets that path's
 * `uid`, `gid`, `owner`, `group`, `mode` (`'0644'`), `state` (`link`, `directory`, `hard` for a file with more
 * than one name, else `file`) and `size`, read on the host after the module ran. As in Ansible, nothing is added
 * when the path does not exist (a dangling symlink counts as missing), owner and mode are the path's own (a
 * symlink's, not its target's), and a name the host cannot find for an ID is the ID as text.
 *
 * @example
 * ```ts
 * await addPathInfo(data, io) // { path: '/srv' } → { path: '/srv', uid: 0, owner: 'root', mode: '0755', … }
 * ```
 */
import type { HostIO } from '../../engine/module.js'
import type { Command, CommandResult } from '../../engine/types.js'
import { isType, parsePathProbe, pathProbe, type PathInfo } from './probe.js'

/** The fields `add_path_info` gives for what the probe found; none for a missing path. */
export function pathInfoFields(info: PathInfo): Record<string, unknown> {
  if (!info.exists) return {}
  const { self, target } = info
  const link = isType(self, 'link')
  if (link && !target) return {} // os.path.exists follows the link: a dangling one is missing
  const followed = target ?? self
  const name = (n: string, id: number) => (n === 'UNKNOWN' ? String(id) : n)
  const state = link ? 'link' : isType(followed, 'directory') ? 'directory' : followed.nlink > 1 ? 'hard' : 'file'
  return {
    uid: self.uid,
    gid: self.gid,
    owner: name(self.owner, self.uid),
    group: name(self.group, self.gid),
    mode: `0${(self.mode & 0o7777).toString(8).padStart(3, '0')}`,
    state,
    size: self.size,
  }
}

/** Set on a module's result that Ansible registers without a path's fields (a folder copy of several files). */
export const NO_PATH_INFO = Symbol('registered without path info')

/**
 * Add the path's fields to `data` (its `path`, else its `dest`), reading them on the host in one round trip, with
 * a module's `more` read-only commands in the same batch; returns those commands' results. A result marked
 * `NO_PATH_INFO` gets none.
 */
export async function addPathInfo(
  data: Record<string, unknown>,
  io: HostIO,
  more: readonly Command[] = [],
): Promise<CommandResult[]> {
  const path = typeof data.path === 'string' ? data.path : typeof data.dest === 'string' ? data.dest : undefined
  if (!path || (data as Record<symbol, unknown>)[NO_PATH_INFO]) return more.length ? io.batch(more) : []
  const [r, ...rest] = await io.batch([pathProbe(path, { follow: false }), ...more])
  if (r.rc === 0) Object.assign(data, pathInfoFields(parsePathProbe(r.stdout)))
  return rest
}
