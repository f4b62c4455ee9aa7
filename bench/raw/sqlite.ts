/**
 * Baseline (b) on SQLite: the claim's own writes (src/server/coupons/service.ts `claimCoupon`) as
 * one better-sqlite3 transaction of statements prepared once and reused. The stock decrement
 * returns what the later writes need of the offer, so nothing is read separately. Six writes: the
 * key, the stock, the user's count, the coupon, its event and the day's funnel count.
 */
import type { Database } from 'better-sqlite3'
import { chinaDay } from '../../src/shared/time.ts'
import { freshIds, type Outcome, type RawClaim, Refusal } from './claim.ts'

interface OfferBits {
  merchant_id: string
  per_user_limit: number
  validity_type: 'fixed' | 'relative'
  valid_from: number | null
  valid_to: number | null
  valid_days: number | null
}

/** The pragmas src/server/db/index.ts sets on every connection. */
export function projectPragmas(db: Database): void {
  db.pragma('journal_mode = WAL')
  db.pragma('busy_timeout = 5000')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
}

export function sqliteClaimer(db: Database): (c: RawClaim) => Outcome {
  const key = db.prepare(
    'insert into claim_keys (user_id, key, offer_id, coupon_id, created_at) values (?, ?, ?, ?, ?) on conflict (user_id, key) do nothing',
  )
  const take = db.prepare(
    `update offers set stock_left = stock_left - 1
     where id = ? and stock_left > 0 and starts_at <= ? and ends_at > ?
     returning merchant_id, per_user_limit, validity_type, valid_from, valid_to, valid_days`,
  )
  const count = db.prepare(
    `insert into claim_counts (user_id, offer_id, claimed) values (?, ?, 1)
     on conflict (user_id, offer_id) do update set claimed = claim_counts.claimed + 1 where claim_counts.claimed < ?`,
  )
  const coupon = db.prepare(
    `insert into coupons (id, offer_id, user_id, code, claimed_at, valid_from, valid_to, channel, ref, store_id, in_wallet)
     values (?, ?, ?, ?, ?, ?, ?, ?, null, null, 0) on conflict (code) do nothing`,
  )
  const event = db.prepare(
    `insert into events (id, type, merchant_id, offer_id, coupon_id, user_id, store_id, channel, ref, created_at)
     values (?, 'claim', ?, ?, ?, ?, null, ?, null, ?)`,
  )
  const funnel = db.prepare(
    `insert into funnel_daily (merchant_id, day, offer_id, channel, store_id, ref, views, claims, wallet_adds, redemptions)
     values (?, ?, ?, ?, '', '', 0, 1, 0, 0)
     on conflict (merchant_id, day, offer_id, channel, store_id, ref, slot) do update set claims = claims + 1`,
  )
  const claim = db.transaction((c: RawClaim): Outcome => {
    let ids = freshIds()
    if (key.run(c.userId, c.key, c.offerId, ids.couponId, c.now).changes === 0) return 'repeat'
    const o = take.get(c.offerId, c.now, c.now) as OfferBits | undefined
    if (!o) throw new Refusal('sold_out')
    if (count.run(c.userId, c.offerId, o.per_user_limit).changes === 0) throw new Refusal('limit_reached')
    const from = o.validity_type === 'fixed' ? o.valid_from! : c.now
    const to = o.validity_type === 'fixed' ? o.valid_to! : c.now + o.valid_days! * 86_400
    // A code collision is rare but possible, as in the server: the unique index decides.
    for (let tries = 0; ; tries++) {
      const r = coupon.run(ids.couponId, c.offerId, c.userId, ids.code, c.now, from, to, c.channel)
      if (r.changes === 1) break
      if (tries > 5) throw new Error('could not find a free coupon code')
      ids = { ...ids, code: freshIds().code }
    }
    event.run(ids.eventId, o.merchant_id, c.offerId, ids.couponId, c.userId, c.channel, c.now)
    // The day's funnel count, as every claim keeps it (src/server/analytics/funnel.ts).
    funnel.run(o.merchant_id, chinaDay(c.now), c.offerId, c.channel)
    return 'ok'
  })
  return c => {
    try {
      // BEGIN IMMEDIATE, as the server's dialect does.
      return claim.immediate(c)
    } catch (err) {
      if (err instanceof Refusal) return err.outcome
      throw err
    }
  }
}
