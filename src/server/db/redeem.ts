/**
 * The counter's first and, most of the time, only round trip on PostgreSQL: one statement reads the
 * coupon a code names with what the counter must check (is the person a clerk of this store, how
 * many wrong codes they typed lately, may the offer be used here), and, when the coupon lives only
 * on the H5 page and passes every check, redeems it (the conditional update that makes a code used
 * once), records the event and counts it in the funnel. A busy counter on PostgreSQL otherwise
 * spends its time on round trips: each costs the server more than the rest of the request.
 * The checks here only decide whether to redeem at once; redemption/service.ts keeps the rules
 * and explains every refusal from the row this returns. SQLite has no round trips to save and
 * reads with Kysely (redemption/service.ts couponAtCounter).
 */
import type { CouponsTable } from './schema.ts'
import type { Db } from './index.ts'
import { nativeOf } from './index.ts'

export interface CounterTry {
  code: string
  clerkUserId: string
  storeId: string
  now: number
  missKey: string
  missWindowStart: number
  /** Past this many misses the clerk is refused (redemption/guesses.ts). */
  missLimit: number
  eventId: string
  /** The China day of `now` and the funnel slot to count in (analytics/events.ts). */
  day: string
  slot: number
}

export interface CounterRow extends CouponsTable {
  merchant_id: string
  all_stores: number
  wx_card_id: string | null
  wx_stock_id: string | null
  openid: string
  holder_nickname: string | null
  clerk_merchant_id: string | null
  misses_so_far: number | null
  listed_store: string | null
  /** Redeemed by this statement. */
  taken: boolean
}

const TRY = `with c as (
  select coupons.*, offers.merchant_id, offers.all_stores, offers.wx_card_id, offers.wx_stock_id,
    users.openid, users.nickname as holder_nickname,
    (select clerks.merchant_id from clerks
      where clerks.user_id = $2 and clerks.store_id = $3 and clerks.revoked_at is null limit 1) as clerk_merchant_id,
    (select limit_counters.hits from limit_counters
      where limit_counters.key = $5 and limit_counters.window_start = $6::bigint) as misses_so_far,
    (select offer_stores.store_id from offer_stores
      where offer_stores.offer_id = coupons.offer_id and offer_stores.store_id = $3) as listed_store
  from coupons
  join offers on offers.id = coupons.offer_id
  join users on users.id = coupons.user_id
  where coupons.code = $1
), took as (
  update coupons set redeemed_at = $4::bigint, redeemed_store_id = $3, redeemed_by = $2, redeemed_source = 'clerk'
  from c
  where coupons.id = c.id and coupons.redeemed_at is null and coupons.in_wallet = 0 and c.wx_stock_id is null
    and c.clerk_merchant_id = c.merchant_id and coalesce(c.misses_so_far, 0) < $7
    and c.valid_from <= $4::bigint and $4::bigint < c.valid_to
    and (c.all_stores = 1 or c.listed_store is not null)
  returning coupons.id
), recorded as (
  insert into events (id, type, merchant_id, offer_id, coupon_id, user_id, store_id, channel, ref, created_at)
  select $8, 'redeem', c.merchant_id, c.offer_id, c.id, c.user_id, $3, c.channel, c.ref, $4::bigint
  from took join c on c.id = took.id
), counted as (
  insert into funnel_daily (merchant_id, day, offer_id, channel, store_id, ref, slot, views, claims, wallet_adds,
    redemptions)
  select c.merchant_id, $9, c.offer_id, c.channel, $3, coalesce(c.ref, ''), $10::integer, 0, 0, 0, 1
  from took join c on c.id = took.id
  on conflict (merchant_id, day, offer_id, channel, store_id, ref, slot)
    do update set redemptions = funnel_daily.redemptions + 1
)
select c.*, exists (select 1 from took) as taken from c`

/**
 * The coupon `t.code` names as it was before this statement (null when none), `taken` when the
 * statement redeemed it; null on SQLite.
 */
export async function tryRedeemAtCounter(db: Db, t: CounterTry): Promise<{ row: CounterRow | null } | null> {
  const native = nativeOf(db)
  if (native.engine !== 'postgres') return null
  const result = await native.pool.query<CounterRow>({
    // Named: each connection parses and plans it once.
    name: 'kaquan_counter_try',
    text: TRY,
    values: [
      t.code,
      t.clerkUserId,
      t.storeId,
      t.now,
      t.missKey,
      t.missWindowStart,
      t.missLimit,
      t.eventId,
      t.day,
      t.slot,
    ],
  })
  return { row: result.rows[0] ?? null }
}
