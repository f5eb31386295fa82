/**
 * The Python facts Ansible's setup module reports from the interpreter it runs in (`ansible_python`,
 * `ansible_python_version`): tsplay needs no Python on the host, so the fact script asks the host's `python3` (the
 * interpreter Ansible finds first on Debian), when there is one: its `--version`, or in odd cases one short run of
 * the interpreter (`-I -S`: no site packages, no user settings; see PYTHON_SCRIPT). Without Python on the host
 * these facts are absent, as they would be for Ansible, which could not run there at all.
 *
 * @example
 * ```ts
 * pythonFactVars(parsePython('/usr/bin/python3\t3\t11\t2\tfinal\t0\tcpython\t1'))
 * // { ansible_python: { executable: '/usr/bin/python3', version: { major: 3, … }, … },
 * //   ansible_python_version: '3.11.2' }
 * ```
 */
import type { HostFacts, Vars } from './types.js'

const PROGRAM =
  'import sys,importlib.util as u;v=sys.version_info;' +
  'print(sys.executable,*v,sys.implementation.name,int(u.find_spec("ssl") is not None),sep="\\t")'

/**
 * Shell for the fact script, when the host has `python3`. Starting the interpreter is most of what gathering facts
 * costs (about 20 ms of CPU on a PC, ten times that on a Pi), so the common case asks less: `python3 --version`
 * answers before the interpreter starts, and when it is a plain CPython version and the standard library's
 * `ssl.py` sits where that interpreter's prefix keeps it (`/usr/bin/python3` → `/usr/lib/python3.11/ssl.py`), a
 * `python_version=` line says so. Anything else (another implementation, a virtualenv, no `ssl.py` there, an odd
 * version) asks the interpreter itself, as before: a `python=` line.
 */
export const PYTHON_SCRIPT = [
  'if command -v python3 >/dev/null 2>&1; then',
  '  e=$(command -v python3); r=$(python3 --version 2>&1); r=${r#Python }',
  '  case $r in *[!0-9a-z.+]*) r= ;; [0-9]*.[0-9]*.[0-9]*) ;; *) r= ;; esac',
  '  if [ -n "$r" ] && [ -f "${e%/bin/*}/lib/python${r%.*}/ssl.py" ]; then',
  `    printf 'python_version=%s\t%s\n' "$e" "$r"`,
  `  else echo "python=$(python3 -I -S -c '${PROGRAM}' 2>/dev/null)"; fi`,
  'fi',
].join('\n')

/** What the host's interpreter said of itself. */
export type PythonFacts = NonNullable<HostFacts['python']>

/** The fact script's `python=` value; undefined when there was none or it is not the interpreter's answer. */
export function parsePython(line: string | undefined): PythonFacts | undefined {
  const f = (line ?? '').split('\t')
  if (f.length !== 8 || !f[0] || !/^\d+$/.test(f[1]) || !/^\d+$/.test(f[2]) || !/^\d+$/.test(f[3])) return undefined
  const [major, minor, micro, serial] = [f[1], f[2], f[3], f[5]].map(Number)
  return {
    executable: f[0],
    version: { major, minor, micro, releaselevel: f[4], serial },
    type: f[6],
    has_sslcontext: f[7] === '1',
  }
}

/** A pre-release's suffix in Python's version text, by its `releaselevel`. */
const SUFFIXES: Record<string, string> = { alpha: 'a', beta: 'b', candidate: 'rc' }
const LEVELS = Object.fromEntries(Object.entries(SUFFIXES).map(([level, suffix]) => [suffix, level]))

/**
 * The fact script's `python_version=` value (`EXECUTABLE<tab>3.11.2`, from `python3 --version`, standard library
 * with `ssl.py` found): a CPython of that version. A trailing `+` (a build between releases) is not part of it.
 */
export function parsePythonVersion(line: string | undefined): PythonFacts | undefined {
  const [executable, text, ...rest] = (line ?? '').split('\t')
  const m = /^(\d+)\.(\d+)\.(\d+)(?:(a|b|rc)(\d+))?\+?$/.exec(text ?? '')
  if (!executable || !m || rest.length) return undefined
  return {
    executable,
    version: {
      major: Number(m[1]),
      minor: Number(m[2]),
      micro: Number(m[3]),
      releaselevel: m[4] ? LEVELS[m[4]] : 'final',
      serial: m[5] ? Number(m[5]) : 0,
    },
    type: 'cpython',
    has_sslcontext: true,
  }
}

/**
 * Ansible's names for them: `ansible_python` (with `version_info` as a list) and `ansible_python_version`, which
 * Ansible takes from `platform.python_version()` (`3.11.2`; a pre-release such as `3.13.0rc1` keeps its suffix).
 */
export function pythonFactVars(p: PythonFacts | undefined): Vars {
  if (!p) return {}
  const v = p.version
  const suffix = SUFFIXES[v.releaselevel]
  return {
    ansible_python: {
      executable: p.executable,
      has_sslcontext: p.has_sslcontext,
      type: p.type,
      version: { ...v },
      version_info: [v.major, v.minor, v.micro, v.releaselevel, v.serial],
    },
    ansible_python_version: `${v.major}.${v.minor}.${v.micro}${suffix ? `${suffix}${v.serial}` : ''}`,
  }
}
