/** Stores of a merchant. The one place that decides whether store ids belong to a merchant. */
import type { Db } from '../db/index.ts'

/** The store's id when it is one of this merchant's stores; null for an unknown or another merchant's store. */
export async function storeOfMerchant(
  db: Db,
  storeId: string | undefined | null,
  merchantId: string,
): Promise<string | null> {
  if (!storeId) return null
  const row = await db
    .selectFrom('stores')
    .select('id')
    .where('id', '=', storeId)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst()
  return row?.id ?? null
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
