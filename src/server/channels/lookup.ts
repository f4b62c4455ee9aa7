/** What the funnel asks the channels domain: a merchant's channels by code. */
import type { Db } from '../db/index.ts'

/** Channel names for the funnel's channel rows (analytics/funnel.ts asks for the codes it shows). */
export async function channelLabels(db: Db, merchantId: string, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map()
  const rows = await db
    .selectFrom('channels')
    .select(['code', 'name'])
    .where('merchant_id', '=', merchantId)
    .where('code', 'in', codes)
    .execute()
  return new Map(rows.map(r => [r.code, r.name]))
}

/** Whether `code` is a channel of this merchant's (the funnel's channel filter must be). */
export async function isChannelOf(db: Db, merchantId: string, code: string): Promise<boolean> {
  const row = await db
    .selectFrom('channels')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('code', '=', code)
    .executeTakeFirst()
  return !!row
}
