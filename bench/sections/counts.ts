/** Counting what a phase left in the database, for the checks after a load. */
import { sql } from 'kysely'
import type { Db } from '../../src/server/db/index.ts'

export async function countWhere(
  db: Db,
  table: 'coupons' | 'events' | 'claim_keys',
  offerId: string,
  more: { redeemed?: boolean; type?: 'claim' | 'redeem' } = {},
): Promise<number> {
  let q = db.selectFrom(table).select(sql<number>`count(*)`.as('n')).where('offer_id', '=', offerId)
  if (more.redeemed) q = q.where(sql.ref('redeemed_at'), 'is not', null)
  if (more.type) q = q.where(sql.ref('type'), '=', more.type)
  return Number((await q.executeTakeFirstOrThrow()).n)
}

export async function stockLeft(db: Db, offerId: string): Promise<number> {
  const o = await db.selectFrom('offers').select('stock_left').where('id', '=', offerId).executeTakeFirstOrThrow()
  return Number(o.stock_left)
}
