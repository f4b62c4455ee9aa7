/**
 * Rebuilds a merchant's funnel aggregates from its events: for a backfill, or to repair counts
 * after a manual fix. Counts exactly as recordEvent does as events arrive (a view once per viewer,
 * day and target), and refreshes the recent view marks so later views keep counting right.
 */
import type { Db, Engine } from '../db/index.ts'
import { chinaDayOf } from '../db/sql.ts'
import { sql } from 'kysely'
import { chinaDay } from '../../shared/time.ts'

export async function rebuildFunnel(db: Db, engine: Engine, merchantId: string, now: number): Promise<void> {
  const day = chinaDayOf(engine, 'created_at')
  const n = (type: string) => sql<number>`sum(case when type = ${type} then 1 else 0 end)`
  await db.transaction().execute(async trx => {
    await trx.deleteFrom('funnel_daily').where('merchant_id', '=', merchantId).execute()
    await trx
      .insertInto('funnel_daily')
      .columns([
        'merchant_id',
        'day',
        'offer_id',
        'channel',
        'store_id',
        'ref',
        'views',
        'claims',
        'wallet_adds',
        'redemptions',
      ])
      .expression(eb =>
        eb
          .selectFrom('events')
          .where('merchant_id', '=', merchantId)
          .select([
            'merchant_id',
            day.as('day'),
            sql<string>`coalesce(offer_id, '')`.as('offer_id'),
            'channel',
            sql<string>`coalesce(store_id, '')`.as('store_id'),
            sql<string>`coalesce(ref, '')`.as('ref'),
            sql<number>`count(distinct case when type = 'view' then coalesce(viewer, id) end)`.as('views'),
            n('claim').as('claims'),
            n('wallet_add').as('wallet_adds'),
            n('redeem').as('redemptions'),
          ])
          .groupBy([
            'merchant_id',
            day,
            sql`coalesce(offer_id, '')`,
            'channel',
            sql`coalesce(store_id, '')`,
            sql`coalesce(ref, '')`,
          ]),
      )
      .execute()
    const since = chinaDay(now - 86_400)
    await trx.deleteFrom('view_marks').where('merchant_id', '=', merchantId).execute()
    const target = sql<string>`coalesce(offer_id, '') || '|' || channel || '|' || coalesce(store_id, '') || '|' || coalesce(ref, '')`
    await trx
      .insertInto('view_marks')
      .columns(['day', 'merchant_id', 'target', 'viewer'])
      .expression(eb =>
        eb
          .selectFrom('events')
          .where('merchant_id', '=', merchantId)
          .where('type', '=', 'view')
          .where('viewer', 'is not', null)
          .where(day, '>=', since)
          .select([day.as('day'), 'merchant_id', target.as('target'), sql<string>`viewer`.as('viewer')])
          .distinct(),
      )
      .execute()
  })
}
