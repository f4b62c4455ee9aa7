import { afterEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'

let database: TestDatabase | null = null
afterEach(async () => {
  await database?.drop()
  database = null
})

const tableNames = async (d: TestDatabase) => (await d.db.introspection.getTables()).map(t => t.name)

describe('migrations', () => {
  it('give a live database the product tables and none of the sandbox’s', async () => {
    database = await createTestDatabase({ sandbox: false })
    const names = await tableNames(database)
    expect(names).toEqual(expect.arrayContaining(['offers', 'coupons', 'users', 'wx_credentials', 'wx_outbox']))
    expect(names.filter(n => n.startsWith('sandbox_'))).toEqual([])
  })

  it('give a sandbox database the sandbox’s tables too, under their own migration records', async () => {
    database = await createTestDatabase()
    const names = await tableNames(database)
    expect(names).toEqual(
      expect.arrayContaining(['sandbox_users', 'sandbox_wallet', 'sandbox_tokens', 'sandbox_migration']),
    )
    expect(names).toContain('offers')
  })
})
