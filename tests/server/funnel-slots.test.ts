/**
 * The funnel's aggregate rows come in slots (db/migrations/2026-12-06-funnel-slots.ts): on
 * PostgreSQL concurrent writers of one key add to different rows, readers sum them all, and
 * undoing the migration folds every key's slots back into one row without losing a count.
 */
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { recordEvent } from '../../src/server/analytics/events.ts'
import { funnel } from '../../src/server/analytics/funnel.ts'
import { migrateDownOne, migrateToLatest } from '../../src/server/db/migrate.ts'
import { chinaDay } from '../../src/shared/time.ts'
import { createTestDatabase, type TestDatabase, usingPostgres } from '../helpers/db.ts'

let database: TestDatabase | null = null
afterEach(async () => {
  await database?.drop()
  database = null
})

const NOW = 1_790_000_000
const redemption = { type: 'redeem' as const, merchant_id: 'm1', offer_id: 'o1', store_id: 's1', channel: 'direct' }

async function redeemConcurrently(d: TestDatabase, n: number) {
  await Promise.all(
    Array.from({ length: n }, () => d.db.transaction().execute(trx => recordEvent(trx, redemption, NOW))),
  )
}

describe('funnel slots', () => {
  it('count every concurrent write of one key, spread over slots on PostgreSQL and in one row on SQLite', async () => {
    database = await createTestDatabase({ sandbox: false })
    await redeemConcurrently(database, 200)
    const rows = await database.db.selectFrom('funnel_daily').selectAll().execute()
    expect(rows.reduce((sum, r) => sum + Number(r.redemptions), 0)).toBe(200)
    if (usingPostgres) expect(rows.length).toBeGreaterThan(1)
    else expect(rows.map(r => r.slot)).toEqual([0])
    const day = chinaDay(NOW)
    const answer = await funnel(database.db, 'm1', { from: day, to: day, groupBy: 'store' })
    expect(answer.totals.redemptions).toBe(200)
    expect(answer.rows).toHaveLength(1)
  })

  it('fold back into one row per key when the migration is undone, and spread again after', async () => {
    database = await createTestDatabase({ sandbox: false })
    await redeemConcurrently(database, 50)
    await recordEvent(database.db, { ...redemption, type: 'claim', store_id: 's2' }, NOW)
    expect(await migrateDownOne(database.db)).toBe('2026-12-06-funnel-slots')
    const folded = await sql<{
      store_id: string
      redemptions: number
      claims: number
    }>`select store_id, redemptions, claims from funnel_daily order by store_id`.execute(database.db)
    expect(folded.rows.map(r => [r.store_id, Number(r.redemptions), Number(r.claims)])).toEqual([
      ['s1', 50, 0],
      ['s2', 0, 1],
    ])
    await migrateToLatest(database.db)
    await redeemConcurrently(database, 10)
    const day = chinaDay(NOW)
    const answer = await funnel(database.db, 'm1', { from: day, to: day, groupBy: 'store' })
    expect(answer.totals).toMatchObject({ redemptions: 60, claims: 1 })
  })
})
