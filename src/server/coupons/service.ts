/**
 * Claiming and reading coupons. The claim's writes are one transaction of conditional writes
 * (db/claim.ts): an idempotency key insert, a stock decrement guarded by stock_left > 0 and the
 * offer being live, and a per-user count upsert guarded by the limit. Nothing is read and then
 * written, so any number of concurrent claims, on either engine and across processes, can't
 * oversell. What the claim needs to know beforehand (the offer's merchant, for the channel and the
 * store) comes from the in-memory catalog; and once the catalog knows an offer is sold out, a
 * claim answers without writing anything (it only looks for an earlier claim with the same key).
 */
import type { Attribution } from '../../shared/api/common.ts'
import type { CouponDto } from '../../shared/api/coupons.ts'
import type { OfferStatus } from '../../shared/api/offers.ts'
import { makeCode } from '../../shared/code.ts'
import { chinaDay, isoOf } from '../../shared/time.ts'
import { couponStatus, type OfferPhase, offerPhase } from '../../shared/validity.ts'
import { FIXED_CHANNELS } from '../channels/codes.ts'
import { writeClaim } from '../db/claim.ts'
import type { Db } from '../db/index.ts'
import type { CouponsTable } from '../db/schema.ts'
import { AppError } from '../http/errors.ts'
import type { OfferCatalog } from '../offers/catalog.ts'
import { getOffers, storeDto } from '../offers/service.ts'
import { newId, randomDigit } from '../random.ts'

export interface ClaimInput {
  offerId: string
  userId: string
  key: string
  attribution: Attribution
  /** The channel to record for this merchant's `ch` (deps.channels.known); fixed channels only when absent. */
  channelOf?: (merchantId: string, ch: string | undefined) => string
}

export interface Claimed {
  coupon: CouponsTable
  created: boolean
  /** How many of this offer the user now holds, when the claim just counted it. */
  claimed?: number
}

const fixedChannel = (_merchantId: string, ch: string | undefined) =>
  ch && (FIXED_CHANNELS as readonly string[]).includes(ch) ? ch : 'direct'

export async function claimCoupon(catalog: OfferCatalog, input: ClaimInput, now: number): Promise<Claimed> {
  const db = catalog.db
  const snap = await catalog.readWith({ offers: [input.offerId] })
  const offer = snap.offers.get(input.offerId)
  if (!offer) throw new AppError('not_found', 'offer not found')
  if (offer.stock_left <= 0) {
    // Known to be sold out: no write, only the look for a retry of an earlier, successful claim.
    const earlier = await earlierClaim(db, input)
    if (earlier) return earlier
    await refuse(db, input.offerId, now)
  }
  const merchantId = offer.merchant_id
  const a = input.attribution
  const store = a.store ? snap.stores.get(a.store) : undefined
  const base = {
    userId: input.userId,
    key: input.key,
    offerId: input.offerId,
    now,
    channel: (input.channelOf ?? fixedChannel)(merchantId, a.ch),
    ref: a.ref ?? null,
    storeId: store && store.merchant_id === merchantId ? store.id : null,
    day: chinaDay(now),
  }
  // A collision among 10^15 codes is rare but possible; the unique index decides.
  for (let tries = 0; tries < 6; tries++) {
    const w = { ...base, couponId: newId(), code: makeCode(randomDigit), eventId: newId() }
    const r = await writeClaim(db, w)
    if (r.kind === 'code_taken') continue
    if (r.kind === 'created') {
      const coupon: CouponsTable = {
        id: w.couponId,
        offer_id: w.offerId,
        user_id: w.userId,
        code: w.code,
        claimed_at: now,
        valid_from: r.validFrom,
        valid_to: r.validTo,
        channel: w.channel,
        ref: w.ref,
        store_id: w.storeId,
        in_wallet: 0,
        wallet_added_at: null,
        wallet_removed_at: null,
        redeemed_at: null,
        redeemed_store_id: null,
        redeemed_by: null,
        redeemed_source: null,
      }
      return { coupon, created: true, claimed: r.claimed }
    }
    if (r.kind === 'existing') return { coupon: await couponRow(db, r.couponId), created: false }
    if (r.kind === 'key_reused')
      throw new AppError('idempotency_key_reused', 'this Idempotency-Key was used for another offer')
    if (r.kind === 'limit') throw new AppError('limit_reached', `每人限领${r.perUserLimit}张`)
    // Not live, or no stock left: say which, and remember a sellout so the next claims write nothing.
    const why = await refuse(db, input.offerId, now, false)
    if (why === 'sold_out') catalog.noteSoldOut(offer.id)
    throw new AppError('sold_out', '已抢光')
  }
  throw new Error('could not find a free coupon code')
}

async function couponRow(db: Db, couponId: string): Promise<CouponsTable> {
  return db.selectFrom('coupons').selectAll().where('id', '=', couponId).executeTakeFirstOrThrow()
}

/** A retry of a claim that already went through (same user, same key): its coupon. */
async function earlierClaim(db: Db, input: ClaimInput): Promise<Claimed | null> {
  const prior = await db
    .selectFrom('claim_keys')
    .select(['offer_id', 'coupon_id'])
    .where('user_id', '=', input.userId)
    .where('key', '=', input.key)
    .executeTakeFirst()
  if (!prior) return null
  if (prior.offer_id !== input.offerId)
    throw new AppError('idempotency_key_reused', 'this Idempotency-Key was used for another offer')
  return { coupon: await couponRow(db, prior.coupon_id), created: false }
}

/**
 * Why a claim could not take a coupon, read after the refusal (a pause that committed since is what
 * to explain): a refusal for an offer that isn't live, otherwise 'sold_out' (thrown when `raise`).
 */
async function refuse(db: Db, offerId: string, now: number, raise = true): Promise<'sold_out'> {
  const o = await db
    .selectFrom('offers')
    .select(['status', 'starts_at', 'ends_at'])
    .where('id', '=', offerId)
    .executeTakeFirstOrThrow()
  const phase = offerPhase({ startsAt: o.starts_at, endsAt: o.ends_at, status: o.status }, now)
  if (phase !== 'live') throw new AppError('offer_not_live', notLiveMessage(phase, o.status))
  if (raise) throw new AppError('sold_out', '已抢光')
  return 'sold_out'
}

function notLiveMessage(phase: Exclude<OfferPhase, 'live'>, status: OfferStatus): string {
  if (phase === 'paused') return '活动已暂停'
  // A draft reads as ended to consumers (offerPhase), but to whoever holds its link it hasn't begun.
  return phase === 'upcoming' || status === 'draft' ? '活动尚未开始' : '活动已结束'
}

/** Coupons as their owner sees them: the offers and stores come from the catalog (offers/catalog.ts). */
export async function couponDtos(
  catalog: OfferCatalog,
  rows: CouponsTable[],
  userId: string,
  now: number,
  /** The user's claim counts when the caller knows them already (a claim just counted): no query. */
  claimed?: Map<string, number>,
): Promise<CouponDto[]> {
  const offers = await getOffers(
    catalog,
    rows.map(r => r.offer_id),
    userId,
    now,
    claimed,
  )
  const snap = await catalog.readWith({ stores: rows.map(r => r.redeemed_store_id).filter((s): s is string => !!s) })
  return rows.map(r => {
    const redeemedStore = r.redeemed_store_id ? snap.stores.get(r.redeemed_store_id) : undefined
    return {
      id: r.id,
      code: r.code,
      status: couponStatus({ redeemedAt: r.redeemed_at, validTo: r.valid_to }, now),
      offerId: r.offer_id,
      offer: offers.get(r.offer_id)!,
      inWallet: r.in_wallet === 1,
      claimedAt: isoOf(r.claimed_at),
      validFrom: isoOf(r.valid_from),
      validTo: isoOf(r.valid_to),
      channel: r.channel,
      redeemedAt: r.redeemed_at === null ? null : isoOf(r.redeemed_at),
      redeemedStore: redeemedStore ? storeDto(redeemedStore) : null,
    }
  })
}

export async function listCoupons(catalog: OfferCatalog, userId: string, now: number): Promise<CouponDto[]> {
  const rows = await catalog.db
    .selectFrom('coupons')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('claimed_at', 'desc')
    .orderBy('id')
    .execute()
  return couponDtos(catalog, rows, userId, now)
}

/** The caller's own coupon; someone else's id answers exactly like a missing one. */
export async function getCoupon(
  catalog: OfferCatalog,
  userId: string,
  couponId: string,
  now: number,
): Promise<CouponDto | null> {
  const row = await catalog.db
    .selectFrom('coupons')
    .selectAll()
    .where('id', '=', couponId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  if (!row) return null
  const [dto] = await couponDtos(catalog, [row], userId, now)
  return dto!
}
