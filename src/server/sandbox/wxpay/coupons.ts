/**
 * A user's 商家券 as WeChat Pay answers for it (核销用户券 chapter9_2_3, 查询用户单张券详情
 * chapter9_2_5). States move SENDED → USED | DEACTIVATED | EXPIRED | DELETED; a coupon past its expiry
 * reads as EXPIRED. Redemption is idempotent by use_request_no (SANDBOX: a replay answers the first 200).
 */
import { z } from 'zod'
import type { Db } from '../../db/index.ts'
import { epochOf, rfc3339China } from '../../wechatpay/time.ts'
import {
  type SandboxCouponState,
  type SandboxWxpayCouponsTable,
  type SandboxWxpayStocksTable,
  sandboxDb,
} from '../schema.ts'
import { notExists, PayRefusal } from './http.ts'
import type { StockRequest } from './stocks.ts'

export function couponState(c: SandboxWxpayCouponsTable, now: number): SandboxCouponState {
  return c.state === 'SENDED' && now >= c.expire_time ? 'EXPIRED' : c.state
}

const bound = (appid: string, caller: { mchid: string; appId: string }) => {
  if (appid !== caller.appId)
    throw new PayRefusal(400, 'APPID_MCHID_NOT_MATCH', `AppID ${appid} 与商户号 ${caller.mchid} 未绑定`)
}

async function couponOf(db: Db, code: string, where: { stockId?: string; openid?: string }, mchid: string) {
  let q = sandboxDb(db)
    .selectFrom('sandbox_wxpay_coupons')
    .innerJoin('sandbox_wxpay_stocks', 'sandbox_wxpay_stocks.stock_id', 'sandbox_wxpay_coupons.stock_id')
    .selectAll('sandbox_wxpay_coupons')
    .select([
      'sandbox_wxpay_stocks.request',
      'sandbox_wxpay_stocks.creator_mchid',
      'sandbox_wxpay_stocks.coupon_code_mode',
    ])
    .where('sandbox_wxpay_coupons.coupon_code', '=', code)
  if (where.stockId) q = q.where('sandbox_wxpay_coupons.stock_id', '=', where.stockId)
  if (where.openid) q = q.where('sandbox_wxpay_coupons.openid', '=', where.openid)
  const rows = await q.orderBy('sandbox_wxpay_coupons.receive_time', 'desc').execute()
  const row = rows[0]
  if (!row) throw notExists()
  if (row.creator_mchid !== mchid) throw new PayRefusal(403, 'NO_AUTH', '商户无权限操作该券')
  return { row, others: rows.length - 1 }
}

export async function userCouponAnswer(
  db: Db,
  caller: { mchid: string; appId: string },
  p: { openid: string; code: string; appid: string },
  now: number,
) {
  bound(p.appid, caller)
  const { row } = await couponOf(db, p.code, { openid: p.openid }, caller.mchid)
  const s = JSON.parse(row.request) as StockRequest
  const at = (t: number | null) => (t === null ? undefined : rfc3339China(t))
  return {
    belong_merchant: s.belong_merchant,
    stock_name: s.stock_name,
    comment: s.comment,
    goods_name: s.goods_name,
    stock_type: s.stock_type,
    coupon_use_rule: s.coupon_use_rule,
    custom_entrance: s.custom_entrance,
    display_pattern_info: s.display_pattern_info,
    coupon_code: row.coupon_code,
    stock_id: row.stock_id,
    coupon_state: couponState(row, now),
    send_request_no: row.send_request_no,
    receive_time: rfc3339China(row.receive_time),
    available_start_time: rfc3339China(row.available_start),
    expire_time: rfc3339China(row.expire_time),
    use_request_no: row.use_request_no ?? undefined,
    use_time: at(row.use_time),
  }
}

export const useRequest = z
  .object({
    coupon_code: z.string().min(1).max(32),
    stock_id: z.string().min(1).max(20).optional(),
    appid: z.string().min(1).max(32),
    use_time: z.string().refine(s => epochOf(s) !== null, 'must be RFC 3339 with a zone'),
    // The wiki says [1,32], a newer page 128: the sandbox holds callers to the stricter one.
    use_request_no: z.string().min(1).max(32),
    openid: z.string().min(1).max(128).optional(),
  })
  .strict()

const unusable: Partial<Record<SandboxCouponState, string>> = {
  EXPIRED: '券已过期',
  DELETED: '券已被用户删除',
  DEACTIVATED: '券已失效',
}

export async function useCoupon(
  db: Db,
  caller: { mchid: string; appId: string },
  u: z.infer<typeof useRequest>,
  now: number,
) {
  bound(u.appid, caller)
  const sdb = sandboxDb(db)
  const replay = await sdb
    .selectFrom('sandbox_wxpay_uses')
    .selectAll()
    .where('mchid', '=', caller.mchid)
    .where('use_request_no', '=', u.use_request_no)
    .executeTakeFirst()
  if (replay) {
    if (replay.coupon_code === u.coupon_code && (!u.stock_id || replay.stock_id === u.stock_id))
      return JSON.parse(replay.answer) as unknown
    throw new PayRefusal(400, 'INVALID_REQUEST', 'use_request_no 已用于另一张券')
  }
  const { row } = await couponOf(db, u.coupon_code, { stockId: u.stock_id }, caller.mchid)
  if (!u.stock_id && (row.coupon_code_mode === 'MERCHANT_API' || row.coupon_code_mode === 'MERCHANT_UPLOAD'))
    throw new PayRefusal(400, 'PARAM_ERROR', '商户自定义code的批次核销时须填写stock_id', { field: '/stock_id' })
  if (u.openid && u.openid !== row.openid) throw new PayRefusal(400, 'PARAM_ERROR', 'openid 与券的持有人不一致')
  const state = couponState(row, now)
  if (state === 'USED') throw new PayRefusal(400, 'RESOURCE_ALREADY_EXISTS', '券已被其他订单核销')
  if (state !== 'SENDED') throw new PayRefusal(400, 'INVALID_REQUEST', unusable[state] ?? '券不可核销')
  const answer = { stock_id: row.stock_id, openid: row.openid, wechatpay_use_time: rfc3339China(now) }
  return db.transaction().execute(async trx => {
    const t = sandboxDb(trx)
    const took = await t
      .updateTable('sandbox_wxpay_coupons')
      .set({ state: 'USED', use_request_no: u.use_request_no, use_time: now, changed_at: now })
      .where('stock_id', '=', row.stock_id)
      .where('coupon_code', '=', row.coupon_code)
      .where('state', '=', 'SENDED')
      .executeTakeFirst()
    if (Number(took.numUpdatedRows) === 0) throw new PayRefusal(400, 'RESOURCE_ALREADY_EXISTS', '券已被其他订单核销')
    await t
      .insertInto('sandbox_wxpay_uses')
      .values({
        mchid: caller.mchid,
        use_request_no: u.use_request_no,
        stock_id: row.stock_id,
        coupon_code: row.coupon_code,
        answer: JSON.stringify(answer),
        created_at: now,
      })
      .execute()
    return answer
  })
}

/** Where a new coupon of this stock is valid: from now (or the window's start) to the window's end, or N days. */
export function couponWindow(s: SandboxWxpayStocksTable, now: number): { start: number; expire: number } {
  const start = Math.max(now, s.available_begin)
  const expire = s.days_after_receive ? Math.min(s.available_end, now + s.days_after_receive * 86_400) : s.available_end
  return { start, expire }
}
