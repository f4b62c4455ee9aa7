/**
 * Redeeming a code at the counter. The once-only guarantee is one conditional update,
 * `set redeemed_at … where redeemed_at is null`, inside the transaction that also records
 * the event and, for a coupon in the card wallet, the WeChat consume to deliver.
 */
import { isWellFormedCode, normalizeCode } from '../../shared/code.ts'
import { recordEvent } from '../analytics/events.ts'
import type { Db } from '../db/index.ts'
import type { CouponsTable } from '../db/schema.ts'
import { AppError } from '../http/errors.ts'
import { iso } from '../offers/service.ts'
import { newId } from '../random.ts'

export interface RedeemInput {
  code: string
  storeId: string
  clerkUserId: string
  merchantId: string
}

async function alreadyRedeemed(db: Db, c: Pick<CouponsTable, 'redeemed_at' | 'redeemed_store_id'>): Promise<AppError> {
  const store = c.redeemed_store_id
    ? await db.selectFrom('stores').select(['id', 'name']).where('id', '=', c.redeemed_store_id).executeTakeFirst()
    : undefined
  return new AppError('already_redeemed', `已核销${store ? `（${store.name}）` : ''}`, {
    redeemedAt: iso(c.redeemed_at!),
    store: store ?? null,
  })
}

export async function redeem(db: Db, input: RedeemInput, now: number): Promise<CouponsTable> {
  const code = normalizeCode(input.code)
  if (!isWellFormedCode(code)) throw new AppError('unknown_code', '无效券码')
  return db.transaction().execute(async trx => {
    const c = await trx
      .selectFrom('coupons')
      .innerJoin('offers', 'offers.id', 'coupons.offer_id')
      .selectAll('coupons')
      .select(['offers.merchant_id', 'offers.all_stores', 'offers.wx_card_id'])
      .where('coupons.code', '=', code)
      .executeTakeFirst()
    if (!c) throw new AppError('unknown_code', '无效券码')
    if (c.merchant_id !== input.merchantId) throw new AppError('other_merchant', '非本商户的券')
    if (c.redeemed_at !== null) throw await alreadyRedeemed(trx, c)
    if (now >= c.valid_to) throw new AppError('expired', '券已过期', { validTo: iso(c.valid_to) })
    if (now < c.valid_from) throw new AppError('not_yet_valid', '未到使用时间', { validFrom: iso(c.valid_from) })
    if (c.all_stores !== 1) {
      const here = await trx
        .selectFrom('offer_stores')
        .select('store_id')
        .where('offer_id', '=', c.offer_id)
        .where('store_id', '=', input.storeId)
        .executeTakeFirst()
      if (!here) throw new AppError('not_valid_at_store', '本店不可用')
    }
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
      .executeTakeFirst()
    if (Number(took.numUpdatedRows) === 0) {
      const winner = await trx.selectFrom('coupons').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow()
      throw await alreadyRedeemed(trx, winner)
    }
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
    if (c.in_wallet === 1 && c.wx_card_id) {
      await trx
        .insertInto('wx_outbox')
        .values({
          id: newId(),
          kind: 'consume',
          coupon_id: c.id,
          payload: JSON.stringify({ code: c.code, card_id: c.wx_card_id }),
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
    const { merchant_id: _m, all_stores: _a, wx_card_id: _w, ...coupon } = c
    return {
      ...coupon,
      redeemed_at: now,
      redeemed_store_id: input.storeId,
      redeemed_by: input.clerkUserId,
      redeemed_source: 'clerk' as const,
    }
  })
}

/** Start of today in China (UTC+8), in epoch seconds. */
export function chinaDayStart(now: number): number {
  const offset = 8 * 3600
  return Math.floor((now + offset) / 86_400) * 86_400 - offset
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
