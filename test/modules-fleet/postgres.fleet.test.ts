/**
 * postgres_user, postgres_db and hydra_create_user on a real Debian bookworm fleet node with PostgreSQL installed
 * by the apt module, driven over SSH by the real CLI: --check on the fresh node predicts the first run exactly,
 * the second run reports 0 changed, and the passwords appear in no output.
 *
 * hydra_create_user runs against test/fixtures/hydra-standin: a TEST STAND-IN for Hydra's `hydra-init` and
 * `hydra-create-user` (Hydra cannot be installed offline). It writes the same rows in Hydra's real tables.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canRunFleet, startFleet, type Fleet } from '../helpers/fleet.js'
import { changedOk, explain, ROOT, tsplay, type CliResult } from '../hydra/cli.js'

const can = canRunFleet()
const STANDIN = join(ROOT, 'test', 'fixtures', 'hydra-standin', 'bin')
const PREFIX = '/opt/hydra-standin/bin'
const dbPassword = `db-${randomBytes(9).toString('hex')}`
const adminPassword = `adm-${randomBytes(9).toString('hex')}`

const PLAYBOOK = `
- hosts: all
  become: true
  gather_facts: false
  tasks:
    - name: postgresql
      apt: { name: [postgresql, postgresql-contrib], update_cache: true, cache_valid_time: 3600 }
    - name: role
      postgres_user: { name: hydra, password: "{{ db_password }}", role_attr_flags: "NOSUPERUSER,NOCREATEDB" }
    - name: database
      postgres_db: { name: hydra, owner: hydra, encoding: UTF8, extensions: [pg_trgm] }
    - name: schema (stand-in hydra-init)
      shell:
        cmd: "runuser -u postgres -- ${PREFIX}/hydra-init && touch /var/lib/tsplay-hydra-init.done"
        creates: /var/lib/tsplay-hydra-init.done
      environment: { HYDRA_DBI: "dbi:Pg:dbname=hydra;" }
    - name: admin (stand-in hydra-create-user)
      hydra_create_user:
        { name: admin, full_name: Admin, email: admin@example.org, password: "{{ admin_password }}", roles: [admin] }
      become_user: postgres
      environment: { PATH: "${PREFIX}:/usr/bin:/bin", HYDRA_DBI: "dbi:Pg:dbname=hydra;" }
`

describe.skipIf(!can.ok)(`postgres and hydra_create_user on the fleet (${can.ok ? 'fleet' : can.why})`, () => {
  let fleet: Fleet
  let dir: string
  let node: string
  let check: CliResult
  const run = (...extra: string[]) =>
    tsplay([
      'run',
      join(dir, 'site.yml'),
      '-i',
      join(dir, 'hosts.yml'),
      '-e',
      `@${join(dir, 'secrets.yml')}`,
      '--known-hosts',
      fleet.knownHostsFile,
      '--json',
      ...extra,
    ])
  const psql = async (db: string, q: string) =>
    (await fleet.exec(node, ['runuser', '-u', 'postgres', '--', 'psql', '-X', '-At', '-d', db, '-c', q])).stdout.trim()

  beforeAll(async () => {
    fleet = await startFleet(1, { prefix: 'mp' })
    node = fleet.nodes[0].name
    dir = mkdtempSync(join(tmpdir(), 'tsplay-mp-'))
    writeFileSync(join(dir, 'hosts.yml'), fleet.inventoryYaml())
    writeFileSync(join(dir, 'site.yml'), PLAYBOOK)
    writeFileSync(join(dir, 'secrets.yml'), `db_password: ${dbPassword}\nadmin_password: ${adminPassword}\n`, {
      mode: 0o600,
    })
    for (const f of readdirSync(STANDIN)) {
      await fleet.exec(
        node,
        ['sh', '-c', 'mkdir -p "$(dirname "$1")" && cat > "$1" && chmod 0755 "$1"', 'sh', `${PREFIX}/${f}`],
        readFileSync(join(STANDIN, f), 'utf8'),
      )
    }
  }, 600_000)
  afterAll(async () => {
    await fleet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('--check on the fresh node predicts changes and changes nothing', async () => {
    check = await run('--check')
    expect(check.rc, explain(check)).toBe(0)
    expect(check.recap[node].changed).toBe(5)
    expect((await fleet.exec(node, ['sh', '-c', 'command -v psql || true'])).stdout.trim()).toBe('')
  }, 300_000)

  it('the first run creates role, database, extension and admin as predicted; no password in any output', async () => {
    const first = await run('-v')
    expect(first.rc, explain(first)).toBe(0)
    expect(changedOk(first)).toEqual(changedOk(check))
    expect(
      await psql(
        'postgres',
        "SELECT rolcanlogin, rolsuper, rolcreatedb, rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE " +
          "rolname = 'hydra'",
      ),
    ).toBe('t|f|f|t')
    expect(
      await psql(
        'postgres',
        "SELECT pg_get_userbyid(datdba), pg_encoding_to_char(encoding) FROM pg_database WHERE datname = 'hydra'",
      ),
    ).toBe('hydra|UTF8')
    expect(await psql('hydra', "SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'")).toBe('pg_trgm')
    expect(
      await psql('hydra', 'SELECT u.username, u.emailaddress, r.role FROM users u JOIN userroles r USING (username)'),
    ).toBe('admin|admin@example.org|admin')
    for (const secret of [dbPassword, adminPassword]) expect(first.stdout + first.stderr).not.toContain(secret)
  }, 600_000)

  it('the password works and the second run reports 0 changed', async () => {
    const login = await fleet.exec(node, [
      'sh',
      '-c',
      'PGPASSWORD="$1" psql -X -At -h 127.0.0.1 -U hydra -d hydra -c "SELECT 1"',
      'sh',
      dbPassword,
    ])
    expect(login.stdout.trim(), login.stderr).toBe('1')
    const second = await run()
    expect(second.rc, explain(second)).toBe(0)
    expect(
      second.recap[node].changed,
      second.tasks
        .filter((t) => t.status === 'changed')
        .map((t) => t.task)
        .join(', '),
    ).toBe(0)
  }, 300_000)
})
