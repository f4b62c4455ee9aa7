/**
 * Claiming and reading coupons. The claim is one transaction of conditional writes:
 * an idempotency key insert, a stock decrement guarded by stock_left > 0, and a per-user
 * count upsert guarded by the limit. Nothing is read and then written, so any number of
 * concurrent claims, on either engine and across processes, can't oversell.
 */
import type { Attribution } from '../../shared/api/common.ts'
import type { CouponDto } from '../../shared/api/coupons.ts'
import type { OfferStatus } from '../../shared/api/offers.ts'
import { makeCode } from '../../shared/code.ts'
import { couponStatus, couponWindow, type OfferPhase, offerPhase } from '../../shared/validity.ts'
import { FIXED_CHANNELS } from '../channels/codes.ts'
import { recordEvent } from '../analytics/events.ts'
import type { Db } from '../db/index.ts'
import type { CouponsTable } from '../db/schema.ts'
import { AppError } from '../http/errors.ts'
import { isoOf } from '../../shared/time.ts'
import type { OfferCatalog } from '../offers/catalog.ts'
import { getOffers, offerValidity, storeDto } from '../offers/service.ts'
import { newId, randomDigit } from '../random.ts'
import { storeOfMerchant } from '../stores/service.ts'

export interface ClaimInput {
  offerId: string
  userId: string
  key: string
  attribution: Attribution
  /** The channel to record for this merchant's `ch` (deps.channels.known); fixed channels only when absent. */
  channelOf?: (merchantId: string, ch: string | undefined) => string
}

const fixedChannel = (_merchantId: string, ch: string | undefined) =>
  ch && (FIXED_CHANNELS as readonly string[]).includes(ch) ? ch : 'direct'

export async function claimCoupon(
  db: Db,
  input: ClaimInput,
  now: number,
): Promise<{ coupon: CouponsTable; created: boolean }> {
  return db.transaction().execute(async trx => {
    const couponId = newId()
    const keyed = await trx
      .insertInto('claim_keys')
      .values({ user_id: input.userId, key: input.key, offer_id: input.offerId, coupon_id: couponId, created_at: now })
      .onConflict(oc => oc.columns(['user_id', 'key']).doNothing())
      .executeTakeFirst()
    if (Number(keyed.numInsertedOrUpdatedRows ?? 0n) === 0) {
      const prior = await trx
        .selectFrom('claim_keys')
        .selectAll()
        .where('user_id', '=', input.userId)
        .where('key', '=', input.key)
        .executeTakeFirstOrThrow()
      if (prior.offer_id !== input.offerId)
        throw new AppError('idempotency_key_reused', 'this Idempotency-Key was used for another offer')
      const coupon = await trx
        .selectFrom('coupons')
        .selectAll()
        .where('id', '=', prior.coupon_id)
        .executeTakeFirstOrThrow()
      return { coupon, created: false }
    }

    const offer = await trx.selectFrom('offers').selectAll().where('id', '=', input.offerId).executeTakeFirst()
    if (!offer) throw new AppError('not_found', 'offer not found')

    const took = await trx
      .updateTable('offers')
      .set(eb => ({ stock_left: eb('stock_left', '-', 1) }))
      .where('id', '=', offer.id)
      .where('stock_left', '>', 0)
      // The status is part of the condition, not read before it: a pause that commits first stops this claim.
      .where('status', '=', 'live')
      .where('starts_at', '<=', now)
      .where('ends_at', '>', now)
      .executeTakeFirst()
    if (Number(took.numUpdatedRows) === 0) {
      // Read again after the refusal: a pause that committed since the first read is what to explain.
      const { status } = await trx
        .selectFrom('offers')
        .select('status')
        .where('id', '=', offer.id)
        .executeTakeFirstOrThrow()
      const phase = offerPhase({ startsAt: offer.starts_at, endsAt: offer.ends_at, status }, now)
      if (phase !== 'live') throw new AppError('offer_not_live', notLiveMessage(phase, status))
      throw new AppError('sold_out', '已抢光')
    }

    const counted = await trx
      .insertInto('claim_counts')
      .values({ user_id: input.userId, offer_id: offer.id, claimed: 1 })
      .onConflict(oc =>
        oc
          .columns(['user_id', 'offer_id'])
          .doUpdateSet(eb => ({ claimed: eb('claim_counts.claimed', '+', 1) }))
          .where('claim_counts.claimed', '<', offer.per_user_limit),
      )
      .executeTakeFirst()
    if (Number(counted.numInsertedOrUpdatedRows ?? 0n) === 0)
      throw new AppError('limit_reached', `每人限领${offer.per_user_limit}张`)

    const storeId = await storeOfMerchant(trx, input.attribution.store, offer.merchant_id)
    const window = couponWindow(offerValidity(offer), now)
    const row: CouponsTable = {
      id: couponId,
      offer_id: offer.id,
      user_id: input.userId,
      code: '',
      claimed_at: now,
      valid_from: window.from,
      valid_to: window.to,
      channel: (input.channelOf ?? fixedChannel)(offer.merchant_id, input.attribution.ch),
      ref: input.attribution.ref ?? null,
      store_id: storeId,
      in_wallet: 0,
      wallet_added_at: null,
      wallet_removed_at: null,
      redeemed_at: null,
      redeemed_store_id: null,
      redeemed_by: null,
      redeemed_source: null,
    }
    // A collision among 10^15 codes is rare but possible; the unique index decides.
    for (let tries = 0; ; tries++) {
      row.code = makeCode(randomDigit)
      const ins = await trx
        .insertInto('coupons')
        .values(row)
        .onConflict(oc => oc.column('code').doNothing())
        .executeTakeFirst()
      if (Number(ins.numInsertedOrUpdatedRows ?? 0n) === 1) break
      if (tries > 5) throw new Error('could not find a free coupon code')
    }
    await recordEvent(
      trx,
      {
        type: 'claim',
        merchant_id: offer.merchant_id,
        offer_id: offer.id,
        coupon_id: couponId,
        user_id: input.userId,
        store_id: row.store_id,
        channel: row.channel,
        ref: row.ref,
      },
      now,
    )
    return { coupon: row, created: true }
  })
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
): Promise<CouponDto[]> {
  const offers = await getOffers(
    catalog,
    rows.map(r => r.offer_id),
    userId,
    now,
  )
  const snap = await catalog.read()
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
