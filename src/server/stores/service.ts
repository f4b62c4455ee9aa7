/** Stores of a merchant. The one place that decides whether a store id belongs to a merchant. */
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
