/**
 * Redeeming a code at the counter. The once-only guarantee is one conditional update,
 * `set redeemed_at … where redeemed_at is null`, inside the transaction that also records
 * the event and, for a coupon in the card wallet, the call to deliver: WeChat's card/code/consume
 * for a legacy card, WeChat Pay's coupons/use for a 商家券.
 */
import { isWellFormedCode, normalizeCode } from '../../shared/code.ts'
import { funnelSlot, recordEvent } from '../analytics/events.ts'
import type { Db } from '../db/index.ts'
import type { CouponsTable } from '../db/schema.ts'
import { AppError } from '../http/errors.ts'
import { chinaDay, chinaDayStart, isoOf } from '../../shared/time.ts'
import { newId } from '../random.ts'
import { type CounterWindow, windowStart } from '../limits/counters.ts'
import { tryRedeemAtCounter } from '../db/redeem.ts'
import { GUESS_LIMIT } from './guesses.ts'
import { queueBusifavorUse } from '../wallet/busifavor.ts'
import { couponByCodeQuery, queueCardConsume, recordWalletAdd } from '../wallet/service.ts'
import type { WalletVerdict } from './wallet-check.ts'

export interface RedeemInput {
  storeId: string
  clerkUserId: string
  merchantId: string
  /** What WeChat said of the wallet copy just before (wallet-check.ts); `not_in_wallet` for H5 coupons. */
  wallet?: WalletVerdict
}

type CouponOfOffer = Pick<CouponsTable, 'id' | 'offer_id' | 'user_id' | 'channel' | 'ref'> & { merchant_id: string }

/**
 * WeChat consumed the wallet copy (its own tools, the API, a push we heard late): Kaquan's coupon
 * follows, once. Used by the user_consume_card push and by the counter when WeChat says so first.
 */
export async function markConsumedInWeChat(db: Db, c: CouponOfOffer, now: number): Promise<boolean> {
  const took = await db
    .updateTable('coupons')
    .set({ redeemed_at: now, redeemed_source: 'wechat' })
    .where('id', '=', c.id)
    .where('redeemed_at', 'is', null)
    .executeTakeFirst()
  if (Number(took.numUpdatedRows) === 0) return false
  const event = { merchant_id: c.merchant_id, offer_id: c.offer_id, coupon_id: c.id, user_id: c.user_id }
  await recordEvent(db, { type: 'redeem', ...event, store_id: null, channel: c.channel, ref: c.ref }, now)
  return true
}

/** WeChat said the wallet copy is consumed: record it (once) and answer the counter's refusal. */
export async function refusalConsumedInWeChat(db: Db, c: CouponOfOffer, now: number): Promise<AppError> {
  await db.transaction().execute(trx => markConsumedInWeChat(trx, c, now))
  const settled = await db.selectFrom('coupons').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow()
  return alreadyRedeemed(db, settled)
}

/** The coupon with a (normalized) code, with what redemption needs of its offer and holder. */
const counterCoupon = (db: Db, code: string) =>
  couponByCodeQuery(db, code).select(['offers.all_stores', 'users.nickname as holder_nickname'])

export type CounterCoupon = NonNullable<Awaited<ReturnType<ReturnType<typeof counterCoupon>['executeTakeFirst']>>>

export interface CounterAsk {
  clerkUserId: string
  storeId: string
  /** The window the clerk's misses are counted in (guesses.ts). */
  misses: CounterWindow
  now: number
}

/** What the counter learns in its one read when the code names a coupon. */
export interface AtCounter {
  coupon: CounterCoupon
  /** The merchant of the clerk's store, or null when this person is no clerk there. */
  clerkMerchantId: string | null
  /** The clerk's misses so far in the current window. */
  misses: number
  /** Whether the coupon's offer may be used at this store. */
  validHere: boolean
  /**
   * Already redeemed by this read, on PostgreSQL, where a coupon only on the H5 page that passes
   * every check is redeemed in the same statement (db/redeem.ts); `coupon` is as it was before.
   */
  taken: boolean
}

/**
 * The coupon a code names together with what the counter must check before redeeming it (is the
 * person a clerk of this store, how many wrong codes they typed lately, may the offer be used here),
 * in one round trip: a busy counter on PostgreSQL spends most of its time on round trips, so there
 * the same statement also redeems a coupon that needs nothing more (db/redeem.ts). Null when the
 * code names no coupon; the caller then looks up the clerk and the misses on their own.
 */
export async function couponAtCounter(db: Db, rawCode: string, ask: CounterAsk): Promise<AtCounter | null> {
  const code = normalizeCode(rawCode)
  if (!isWellFormedCode(code)) return null
  const tried = await tryRedeemAtCounter(db, {
    code,
    clerkUserId: ask.clerkUserId,
    storeId: ask.storeId,
    now: ask.now,
    missKey: ask.misses.key,
    missWindowStart: windowStart(ask.misses, ask.now),
    missLimit: GUESS_LIMIT,
    eventId: newId(),
    day: chinaDay(ask.now),
    slot: funnelSlot(db),
  })
  const row = tried ? tried.row : await readAtCounter(db, code, ask)
  if (!row) return null
  const { clerk_merchant_id, misses_so_far, listed_store, taken, ...coupon } = row
  return {
    coupon,
    clerkMerchantId: clerk_merchant_id ?? null,
    misses: Number(misses_so_far ?? 0),
    validHere: coupon.all_stores === 1 || listed_store !== null,
    taken,
  }
}

/** couponAtCounter's read alone, with Kysely: SQLite's way, where a statement costs no round trip. */
async function readAtCounter(db: Db, code: string, ask: CounterAsk) {
  const row = await counterCoupon(db, code)
    .select(eb => [
      eb
        .selectFrom('clerks')
        .select('clerks.merchant_id')
        .where('clerks.user_id', '=', ask.clerkUserId)
        .where('clerks.store_id', '=', ask.storeId)
        .where('clerks.revoked_at', 'is', null)
        .limit(1)
        .as('clerk_merchant_id'),
      eb
        .selectFrom('limit_counters')
        .select('limit_counters.hits')
        .where('limit_counters.key', '=', ask.misses.key)
        .where('limit_counters.window_start', '=', windowStart(ask.misses, ask.now))
        .as('misses_so_far'),
      eb
        .selectFrom('offer_stores')
        .select('offer_stores.store_id')
        .whereRef('offer_stores.offer_id', '=', 'coupons.offer_id')
        .where('offer_stores.store_id', '=', ask.storeId)
        .as('listed_store'),
    ])
    .executeTakeFirst()
  return row ? { ...row, taken: false } : null
}

export async function alreadyRedeemed(
  db: Db,
  c: Pick<CouponsTable, 'redeemed_at' | 'redeemed_store_id' | 'redeemed_source'>,
): Promise<AppError> {
  const store = c.redeemed_store_id
    ? await db.selectFrom('stores').select(['id', 'name']).where('id', '=', c.redeemed_store_id).executeTakeFirst()
    : undefined
  return new AppError('already_redeemed', `已核销${store ? `（${store.name}）` : ''}`, {
    redeemedAt: isoOf(c.redeemed_at!),
    store: store ?? null,
    source: c.redeemed_source ?? 'clerk',
  })
}

/** A code that names no coupon: a miss, counted against the clerk's guess budget (guesses.ts). */
export const unknownCode = () => new AppError('unknown_code', '无效券码')

/** Why the counter must refuse this coupon, from what is known of it; null when it may be redeemed. */
async function refusal(
  db: Db,
  c: CounterCoupon,
  input: RedeemInput,
  now: number,
  validHere: boolean,
): Promise<AppError | null> {
  if (c.merchant_id !== input.merchantId) return new AppError('other_merchant', '非本商户的券')
  if (c.redeemed_at !== null) return alreadyRedeemed(db, c)
  if (now >= c.valid_to) return new AppError('expired', '券已过期', { validTo: isoOf(c.valid_to) })
  if (now < c.valid_from) return new AppError('not_yet_valid', '未到使用时间', { validFrom: isoOf(c.valid_from) })
  return validHere ? null : new AppError('not_valid_at_store', '本店不可用')
}

/** The coupon as it stands once redeemed here, `inWallet` as the redemption left it. */
export function redeemedCoupon(
  c: CounterCoupon,
  input: Pick<RedeemInput, 'storeId' | 'clerkUserId'>,
  now: number,
  inWallet: number,
): CouponsTable {
  const {
    merchant_id: _m,
    all_stores: _a,
    wx_card_id: _w,
    wx_stock_id: _s,
    openid: _o,
    holder_nickname: _n,
    ...coupon
  } = c
  return {
    ...coupon,
    in_wallet: inWallet,
    redeemed_at: now,
    redeemed_store_id: input.storeId,
    redeemed_by: input.clerkUserId,
    redeemed_source: 'clerk',
  }
}

/**
 * Redeems the coupon the counter just read (couponAtCounter), so nothing is read again: what it
 * holds of the coupon and its offer does not change, and what does (whether it is redeemed, whether
 * it is in the wallet) is decided by the conditional update. (A coupon couponAtCounter redeemed
 * already, `taken`, does not come here.)
 */
export async function redeem(db: Db, input: RedeemInput, now: number, found: AtCounter): Promise<CouponsTable> {
  const c = found.coupon
  const refused = await refusal(db, c, input, now, found.validHere)
  if (refused) throw refused
  return db.transaction().execute(async trx => {
    const took = await trx
      .updateTable('coupons')
      .set({
        redeemed_at: now,
        redeemed_store_id: input.storeId,
        redeemed_by: input.clerkUserId,
        redeemed_source: 'clerk',
      })
      .where('id', '=', c.id)
      .where('redeemed_at', 'is', null)
      .returning('in_wallet')
      .executeTakeFirst()
    if (!took) {
      const winner = await trx.selectFrom('coupons').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow()
      throw await alreadyRedeemed(trx, winner)
    }
    const inWallet = took.in_wallet
    await recordEvent(
      trx,
      {
        type: 'redeem',
        merchant_id: c.merchant_id,
        offer_id: c.offer_id,
        coupon_id: c.id,
        user_id: c.user_id,
        store_id: input.storeId,
        channel: c.channel,
        ref: c.ref,
      },
      now,
    )
    // WeChat says the wallet copy is gone (deleted, expired there): the coupon lives on as H5 only.
    const walletGone = input.wallet === 'removed'
    // A 商家券 WeChat Pay says it holds (or could not say in time) is used there too. One never added
    // to the wallet was not asked about (wallet-check.ts) and stays Kaquan's alone.
    const payHolds = input.wallet === 'usable' || input.wallet === 'unconfirmed'
    if (inWallet === 1 && walletGone)
      await trx.updateTable('coupons').set({ in_wallet: 0, wallet_removed_at: now }).where('id', '=', c.id).execute()
    if (c.wx_stock_id && payHolds) {
      if (inWallet === 0) await recordWalletAdd(trx, c, now)
      await queueBusifavorUse(trx, { id: c.id, code: c.code, wx_stock_id: c.wx_stock_id, openid: c.openid }, now)
    }
    if (inWallet === 1 && c.wx_card_id && !walletGone)
      await queueCardConsume(trx, { id: c.id, code: c.code, wx_card_id: c.wx_card_id }, now)
    return redeemedCoupon(c, input, now, walletGone ? 0 : c.wx_stock_id && payHolds ? 1 : inWallet)
  })
}

export async function todaysRedemptions(db: Db, storeId: string, now: number) {
  return db
    .selectFrom('coupons')
    .innerJoin('offers', 'offers.id', 'coupons.offer_id')
    .innerJoin('users', 'users.id', 'coupons.user_id')
    .select(['coupons.id', 'coupons.code', 'coupons.redeemed_at', 'offers.title', 'users.nickname', 'users.openid'])
    .where('coupons.redeemed_store_id', '=', storeId)
    .where('coupons.redeemed_at', '>=', chinaDayStart(now))
    .orderBy('coupons.redeemed_at', 'desc')
    .limit(100)
    .execute()
}
