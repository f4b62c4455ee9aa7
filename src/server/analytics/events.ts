/**
 * The funnel's raw material: one row per view, claim, wallet add and redemption, with its
 * channel, store and sharer; and, in the same transaction, the day's aggregate row it counts in
 * (funnel_daily), so the console's funnel never scans events. A view counts once per viewer and
 * day for the same offer, channel, store and sharer (view_marks); every view still gets its row.
 */
import { PostgresAdapter } from 'kysely'
import { chinaDay } from '../../shared/time.ts'
import type { Db } from '../db/index.ts'
import type { EventsTable } from '../db/schema.ts'
import { newId } from '../random.ts'

export type EventInput = Omit<
  EventsTable,
  'id' | 'created_at' | 'ref' | 'coupon_id' | 'user_id' | 'store_id' | 'offer_id' | 'viewer'
> &
  Partial<Pick<EventsTable, 'ref' | 'coupon_id' | 'user_id' | 'store_id' | 'offer_id'>>

/**
 * How many rows share one aggregate key on PostgreSQL: a writer adds to one at random, so writers of
 * the same key (a busy counter's redemptions) rarely wait for one another's row lock. SQLite has one
 * writer at a time and one row per key.
 */
export const FUNNEL_SLOTS = 8

/** The slot a write of `db`'s engine adds to. */
export function funnelSlot(db: Db): number {
  return db.getExecutor().adapter instanceof PostgresAdapter ? Math.floor(Math.random() * FUNNEL_SLOTS) : 0
}

const COLUMN = { view: 'views', claim: 'claims', wallet_add: 'wallet_adds', redeem: 'redemptions' } as const

/** The aggregate row's key of an event: '' stands for none. */
export function funnelKey(
  e: Pick<EventsTable, 'merchant_id' | 'offer_id' | 'channel' | 'store_id' | 'ref'>,
  day: string,
) {
  return {
    merchant_id: e.merchant_id,
    day,
    offer_id: e.offer_id ?? '',
    channel: e.channel,
    store_id: e.store_id ?? '',
    ref: e.ref ?? '',
  }
}

/**
 * Records the event and counts it. `db` should be the caller's transaction (a claim, a wallet add,
 * a redemption), so the count commits with what it counts; a view is recorded in its own.
 * `viewer` names who viewed (a visitor cookie, a user), for counting a view once a day.
 */
export async function recordEvent(db: Db, e: EventInput, now: number, viewer?: string): Promise<void> {
  const row: EventsTable = {
    id: newId(),
    type: e.type,
    merchant_id: e.merchant_id,
    offer_id: e.offer_id ?? null,
    coupon_id: e.coupon_id ?? null,
    user_id: e.user_id ?? null,
    store_id: e.store_id ?? null,
    channel: e.channel,
    ref: e.ref ?? null,
    created_at: now,
    viewer: e.type === 'view' ? (viewer ?? null) : null,
  }
  await db.insertInto('events').values(row).execute()
  const key = funnelKey(row, chinaDay(now))
  if (e.type === 'view' && viewer) {
    const target = [key.offer_id, key.channel, key.store_id, key.ref].join('|')
    const fresh = await db
      .insertInto('view_marks')
      .values({ day: key.day, merchant_id: key.merchant_id, target, viewer })
      .onConflict(oc => oc.columns(['day', 'merchant_id', 'target', 'viewer']).doNothing())
      .executeTakeFirst()
    if (Number(fresh.numInsertedOrUpdatedRows ?? 0n) === 0) return
  }
  const column = COLUMN[e.type]
  await db
    .insertInto('funnel_daily')
    .values({ ...key, slot: funnelSlot(db), views: 0, claims: 0, wallet_adds: 0, redemptions: 0, [column]: 1 })
    .onConflict(oc =>
      oc
        .columns(['merchant_id', 'day', 'offer_id', 'channel', 'store_id', 'ref', 'slot'])
        .doUpdateSet(eb => ({ [column]: eb(`funnel_daily.${column}`, '+', 1) })),
    )
    .execute()
}

/** View marks older than yesterday can no longer match a new view: sweep them now and then. */
export async function sweepViewMarks(db: Db, now: number): Promise<void> {
  await db
    .deleteFrom('view_marks')
    .where('day', '<', chinaDay(now - 86_400))
    .execute()
}
