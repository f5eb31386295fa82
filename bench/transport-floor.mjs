#!/usr/bin/env node
/**
 * Transport floor: what tsplay's SSH transport (engine/ssh: one connection, one persistent framed shell per host)
 * costs per command, with no engine around it. Starts its own loopback sshd targets (needs root, like the tests),
 * then prints ms per command for: 1000 sequential `run`s, one `batch` of 1000, N hosts × 30 checks in parallel,
 * and — for comparison — a fresh exec channel per command. Compiles the few TypeScript files it needs first.
 *
 * @example
 * ```sh
 * node bench/transport-floor.mjs            # 1 host for the sequential figures, 10 for the parallel one
 * node bench/transport-floor.mjs --hosts 50 --json
 * ```
 */
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'bench', '.build', 'transport-floor')
const args = process.argv.slice(2)
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? Number(args[i + 1]) : def
}
const HOSTS = opt('hosts', 10)
const N = opt('n', 1000)
const TASKS = opt('tasks', 30)

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
// prettier-ignore
execFileSync(process.execPath, [tsc, '--outDir', out, '--rootDir', root,
  '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022',
  '--esModuleInterop', '--skipLibCheck', '--strict', '--types', 'node',
  join(root, 'engine/ssh/connection.ts'), join(root, 'engine/ssh/ssh2-parts.d.ts'), join(root, 'test/helpers/sshd.ts')],
  { stdio: 'inherit', cwd: root })

const { HostConnection } = await import(join(out, 'engine/ssh/connection.js'))
const { startSshd, canRunSshd } = await import(join(out, 'test/helpers/sshd.js'))

const can = canRunSshd()
if (!can.ok) {
  console.error(`transport-floor: ${can.why}`)
  process.exit(1)
}

const fleet = await startSshd({ count: HOSTS, sudo: 'nopasswd' })
const connect = (h) =>
  HostConnection.connect({
    spec: {
      name: h.name,
      host: h.host,
      port: h.port,
      user: fleet.user,
      privateKeyFile: fleet.keyFile,
      connectTimeout: 10,
    },
    knownHostsFile: fleet.knownHostsFile,
    trustNewHostKeys: false,
  })
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6
const results = {}
try {
  const c = await connect(fleet.hosts[0])
  for (let i = 0; i < 50; i++) await c.run({ argv: ['true'] }) // warm-up

  let t0 = process.hrtime.bigint()
  for (let i = 0; i < N; i++) await c.run({ argv: ['test', '-e', '/etc/hostname'] })
  results.sequentialMsPerCommand = ms(t0) / N

  t0 = process.hrtime.bigint()
  const rs = await c.batch(Array.from({ length: N }, () => ({ argv: ['test', '-e', '/etc/hostname'] })))
  results.batchMsPerCommand = ms(t0) / N
  if (rs.some((r) => r.rc !== 0)) throw new Error('a batch command failed')

  // a fresh exec channel per command (what the shell saves), through the same connection
  const { runStream } = await import(join(out, 'engine/ssh/stream.js'))
  const client = c.client
  const EXEC_N = 50
  t0 = process.hrtime.bigint()
  for (let i = 0; i < EXEC_N; i++)
    await runStream(client, 't1', { argv: ['test', '-e', '/etc/hostname'] }, undefined, {}, () => undefined)
  results.execChannelMsPerCommand = ms(t0) / EXEC_N
  await c.close()

  // N hosts × TASKS checks, connections opened in parallel (the floor figure, ~0.5 s for 10 × 30)
  t0 = process.hrtime.bigint()
  await Promise.all(
    fleet.hosts.map(async (h) => {
      const hc = await connect(h)
      for (let i = 0; i < TASKS; i++) await hc.run({ argv: ['test', '-e', `/tmp/nothing-${i}`] })
      await hc.close()
    }),
  )
  results.parallel = { hosts: HOSTS, tasks: TASKS, wallMs: ms(t0) }
} finally {
  await fleet.stop()
}

if (args.includes('--json')) console.log(JSON.stringify(results))
else {
  console.log(`sequential run:     ${results.sequentialMsPerCommand.toFixed(3)} ms/command (${N} commands, 1 host)`)
  console.log(`batch:              ${results.batchMsPerCommand.toFixed(3)} ms/command (${N} in one batch)`)
  console.log(`exec channel each:  ${results.execChannelMsPerCommand.toFixed(3)} ms/command (for comparison)`)
  console.log(
    `${results.parallel.hosts} hosts × ${results.parallel.tasks} checks: ` +
      `${results.parallel.wallMs.toFixed(0)} ms wall (connect included)`,
  )
}
