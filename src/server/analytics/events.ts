/** The funnel's raw material: one row per view, claim, wallet add and redemption, with its channel. */
import type { Db } from '../db/index.ts'
import type { EventsTable } from '../db/schema.ts'
import { newId } from '../random.ts'

export type EventInput = Omit<
  EventsTable,
  'id' | 'created_at' | 'ref' | 'coupon_id' | 'user_id' | 'store_id' | 'offer_id'
> &
  Partial<Pick<EventsTable, 'ref' | 'coupon_id' | 'user_id' | 'store_id' | 'offer_id'>>

export async function recordEvent(db: Db, e: EventInput, now: number): Promise<void> {
  await db
    .insertInto('events')
    .values({
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
    })
    .execute()
}
