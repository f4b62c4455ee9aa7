import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase, usingPostgres } from '../helpers/db.ts'

let database: TestDatabase | null = null
afterAll(async () => {
  await database?.drop()
})

describe.runIf(usingPostgres)('the PostgreSQL pool', () => {
  it('survives its idle connections being killed (a restart, a failover) and answers the next query', async () => {
    database = await createTestDatabase()
    await database.db.selectFrom('offers').select('id').execute()
    const name = new URL(database.url).pathname.slice(1)
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL })
    await admin.connect()
    const killed = await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [name],
    )
    await admin.end()
    expect(killed.rowCount).toBeGreaterThan(0)
    await new Promise(r => setTimeout(r, 100))
    const rows = await database.db.selectFrom('offers').select('id').execute()
    expect(Array.isArray(rows)).toBe(true)
  })
})
