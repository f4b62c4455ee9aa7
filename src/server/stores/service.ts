/** Stores of a merchant. The one place that decides whether store ids belong to a merchant. */
import type { Db } from '../db/index.ts'
import type { StoresTable } from '../db/schema.ts'
import { notFound } from '../http/errors.ts'

/** The merchant's own store; another merchant's id is a 404 like a missing one. */
export async function storeRowOf(db: Db, merchantId: string, storeId: string): Promise<StoresTable> {
  const row = await db
    .selectFrom('stores')
    .selectAll()
    .where('id', '=', storeId)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst()
  if (!row) throw notFound('store')
  return row
}

/** The ids among `storeIds` that are not this merchant's stores (unknown or another merchant's); empty when all are. */
export async function storesNotOfMerchant(db: Db, storeIds: string[], merchantId: string): Promise<string[]> {
  const wanted = [...new Set(storeIds)]
  if (wanted.length === 0) return []
  const rows = await db
    .selectFrom('stores')
    .select('id')
    .where('id', 'in', wanted)
    .where('merchant_id', '=', merchantId)
    .execute()
  const mine = new Set(rows.map(r => r.id))
  return wanted.filter(id => !mine.has(id))
}
