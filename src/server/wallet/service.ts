/**
 * One coupon, two custody modes. The coupon exists from the claim on; the card wallet is a
 * second home for the same code, as a legacy card or a 商家券 (busifavor.ts). The page callback and WeChat's push can both report a
 * wallet add: the flag's 0 -> 1 transition is a conditional update, so together they
 * record exactly one.
 */
import type { Kysely } from 'kysely'
import { couponStatus } from '../../shared/validity.ts'
import { recordEvent } from '../analytics/events.ts'
import type { CouponsTable, Database, WxOutboxTable } from '../db/schema.ts'
import { AppError } from '../http/errors.ts'
import { newId, randomToken } from '../random.ts'
import type { Credentials } from '../wechat/credentials.ts'
import { cardExtSignature } from '../wechat/sign.ts'

type DbLike = Kysely<Database>

/** The caller's coupon with its offer's wallet home: a legacy card or a 商家券 stock (never both). */
export async function ownWalletCoupon(db: DbLike, userId: string, couponId: string) {
  const row = await db
    .selectFrom('coupons')
    .innerJoin('offers', 'offers.id', 'coupons.offer_id')
    .selectAll('coupons')
    .select(['offers.wx_card_id', 'offers.wx_stock_id', 'offers.merchant_id'])
    .where('coupons.id', '=', couponId)
    .where('coupons.user_id', '=', userId)
    .executeTakeFirst()
  if (!row) throw new AppError('not_found', 'coupon not found')
  if (!row.wx_card_id && !row.wx_stock_id)
    throw new AppError('no_wallet_card', '此券不支持添加到微信卡包，到店出示券码即可')
  return row
}

/** A fresh, signed cardExt for wx.addCard: this coupon's own code, bound to this user. */
export async function signCardExt(
  credentials: Credentials,
  c: { code: string; channel: string; cardId: string; openid: string },
  now: number,
) {
  const apiTicket = await credentials.get('wx_card')
  const timestamp = String(now)
  const nonceStr = randomToken(16)
  const signature = cardExtSignature({
    apiTicket,
    timestamp,
    cardId: c.cardId,
    code: c.code,
    openid: c.openid,
    nonceStr,
  })
  // outer_str comes back in WeChat's user_get_card push as OuterStr: the channel of the claim.
  return JSON.stringify({
    code: c.code,
    openid: c.openid,
    timestamp,
    nonce_str: nonceStr,
    outer_str: c.channel,
    signature,
  })
}

export function refuseUnusable(c: Pick<CouponsTable, 'redeemed_at' | 'valid_to'>, now: number): void {
  const status = couponStatus({ redeemedAt: c.redeemed_at, validTo: c.valid_to }, now)
  if (status === 'redeemed') throw new AppError('already_redeemed', '券已使用')
  if (status === 'expired') throw new AppError('expired', '券已过期')
}

/** Marks the coupon as in the wallet and records one wallet_add event, unless it already was. */
export async function recordWalletAdd(
  db: DbLike,
  coupon: Pick<CouponsTable, 'id' | 'user_id' | 'offer_id' | 'channel' | 'ref' | 'store_id'> & { merchant_id: string },
  now: number,
): Promise<boolean> {
  const moved = await db
    .updateTable('coupons')
    .set({ in_wallet: 1, wallet_added_at: now, wallet_removed_at: null })
    .where('id', '=', coupon.id)
    .where('in_wallet', '=', 0)
    .executeTakeFirst()
  if (Number(moved.numUpdatedRows) === 0) return false
  await recordEvent(
    db,
    {
      type: 'wallet_add',
      merchant_id: coupon.merchant_id,
      offer_id: coupon.offer_id,
      coupon_id: coupon.id,
      user_id: coupon.user_id,
      store_id: coupon.store_id,
      channel: coupon.channel,
      ref: coupon.ref,
    },
    now,
  )
  return true
}

/**
 * One wallet add for a legacy card. A coupon already redeemed in Kaquan (at the counter while the
 * add sheet was open) is consumed in WeChat too, through the outbox, so the wallet copy can't
 * outlive it, as recordBusifavorAdd does for a 商家券.
 */
export async function recordCardAdd(
  db: DbLike,
  c: Parameters<typeof recordWalletAdd>[1] & { code: string; redeemed_at: number | null; wx_card_id: string },
  now: number,
): Promise<boolean> {
  const added = await recordWalletAdd(db, c, now)
  if (added && c.redeemed_at !== null) await queueCardConsume(db, c, now)
  return added
}

/**
 * A coupon by the code WeChat or WeChat Pay names, with its offer's wallet homes and its holder's
 * openid; the caller narrows it to one home (couponByWalletCode, busifavor.ts couponByStockCode).
 */
export function couponByCodeQuery(db: DbLike, code: string) {
  return db
    .selectFrom('coupons')
    .innerJoin('offers', 'offers.id', 'coupons.offer_id')
    .innerJoin('users', 'users.id', 'coupons.user_id')
    .selectAll('coupons')
    .select(['offers.merchant_id', 'offers.wx_card_id', 'offers.wx_stock_id', 'users.openid'])
    .where('coupons.code', '=', code)
}

/** The coupon whose code WeChat names, if it is this card's and this openid's. */
export async function couponByWalletCode(db: DbLike, code: string, cardId: string, openid: string) {
  return couponByCodeQuery(db, code)
    .where('offers.wx_card_id', '=', cardId)
    .where('users.openid', '=', openid)
    .executeTakeFirst()
}

/**
 * One row for redemption/outbox.ts to deliver: at most one per coupon and kind, so a repeat
 * (a retried transaction, a second path to the same redemption) queues nothing more.
 */
export async function queueOutbox(
  db: DbLike,
  row: Pick<WxOutboxTable, 'kind' | 'coupon_id'> & { payload: object },
  now: number,
): Promise<void> {
  await db
    .insertInto('wx_outbox')
    .values({
      id: newId(),
      kind: row.kind,
      coupon_id: row.coupon_id,
      payload: JSON.stringify(row.payload),
      attempts: 0,
      next_at: now,
      locked_until: null,
      done_at: null,
      last_error: null,
      created_at: now,
    })
    .onConflict(oc => oc.columns(['coupon_id', 'kind']).doNothing())
    .execute()
}

/** card/code/consume of a legacy card, delivered by the outbox (its body: code and card_id). */
export async function queueCardConsume(
  db: DbLike,
  c: { id: string; code: string; wx_card_id: string },
  now: number,
): Promise<void> {
  await queueOutbox(db, { kind: 'consume', coupon_id: c.id, payload: { code: c.code, card_id: c.wx_card_id } }, now)
}
