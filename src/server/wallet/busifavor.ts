/**
 * The wallet's second provider, 商家券 (WeChat Pay merchant coupons: JSAPI 发券, 领券事件回调通知,
 * 查询用户单张券详情). The code in the wallet is the coupon's own code (the stock is MERCHANT_API), so
 * one coupon, one code, two homes holds as for legacy cards. A wallet add is written only once WeChat
 * Pay vouches for it: its coupon query (the page's report) or its signed COUPON.SEND (notify.ts); the
 * in_wallet 0 → 1 update in recordWalletAdd makes the two record one.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../http/errors.ts'
import { randomToken } from '../random.ts'
import { busifavorCardList } from '../wechatpay/card-ext.ts'
import { WxPayClient } from '../wechatpay/client.ts'
import { WxPayError, wxPayCodes } from '../wechatpay/errors.ts'
import type { UserCoupon } from '../wechatpay/types.ts'
import { couponByCodeQuery, queueOutbox, recordWalletAdd } from './service.ts'

type DbLike = Kysely<Database>

/** WeChat Pay's client with the caller's patience, or null when WeChat Pay is off. */
export function wxPayClientOf(
  deps: Deps,
  o: { timeoutMs?: number; deadlineMs?: number; backoffMs?: number } = {},
): WxPayClient | null {
  return deps.config.wxpay ? new WxPayClient(deps.config.wxpay, { clock: deps.clock, ...o }) : null
}

export function wxPayUnavailable(err: unknown): AppError {
  if (err instanceof AppError) return err
  return new AppError('wechat_unavailable', '微信支付暂时不可用，请稍后再试')
}

/** ≤ 32 letters and digits, fresh for every cardExt: WeChat Pay wants it unique per stock and user. */
export const newOutRequestNo = () => `KQ${randomToken(26)}`
/** Fixed when the redemption is queued, so every retry of coupons/use sends the same one (≤ 32). */
export const newUseRequestNo = () => `KQU${randomToken(25)}`

interface WalletCoupon {
  id: string
  code: string
  wx_stock_id: string
}

/** The cardList item for wx.addCard: a fresh out_request_no, this coupon's code, the APIv2 sign; the latest counts. */
export async function busifavorCardExt(deps: Deps, c: WalletCoupon) {
  const wxpay = deps.config.wxpay
  if (!wxpay) throw new AppError('no_wallet_card', '商户尚未开通微信支付商家券，到店出示券码即可')
  const outRequestNo = newOutRequestNo()
  const now = deps.clock.now()
  await deps.db
    .insertInto('busifavor_sends')
    .values({ coupon_id: c.id, out_request_no: outRequestNo, created_at: now })
    .onConflict(oc => oc.column('coupon_id').doUpdateSet({ out_request_no: outRequestNo, created_at: now }))
    .execute()
  const [item] = busifavorCardList(
    [{ stockId: c.wx_stock_id, outRequestNo, couponCode: c.code }],
    wxpay.mchid,
    wxpay.apiV2Key,
  )
  return { provider: 'busifavor' as const, cardId: item!.cardId, cardExt: item!.cardExt }
}

export async function latestOutRequestNo(db: DbLike, couponId: string): Promise<string | null> {
  const row = await db
    .selectFrom('busifavor_sends')
    .select('out_request_no')
    .where('coupon_id', '=', couponId)
    .executeTakeFirst()
  return row?.out_request_no ?? null
}

/**
 * The page says wx.addCard succeeded. That is a hint (WeChat Pay documents no per-coupon result of
 * wx.addCard for 商家券): WeChat Pay's coupon query must show the coupon SENDED on the offer's stock,
 * issued by the latest cardExt, before anything is written.
 */
export async function confirmBusifavorAdd(deps: Deps, c: WalletCoupon & { openid: string }): Promise<void> {
  const client = wxPayClientOf(deps, { timeoutMs: 3000, deadlineMs: 5000 })
  if (!client) throw new AppError('no_wallet_card', '商户尚未开通微信支付商家券')
  let held: UserCoupon
  try {
    held = await client.getUserCoupon(c.openid, c.code, client.config.appId)
  } catch (err) {
    if (err instanceof WxPayError && (err.status === 404 || err.is(wxPayCodes.notExists)))
      throw new AppError('code_mismatch', '微信卡包中还没有这张券，请稍后再试')
    throw wxPayUnavailable(err)
  }
  const latest = await latestOutRequestNo(deps.db, c.id)
  if (held.coupon_state !== 'SENDED' || held.stock_id !== c.wx_stock_id || !latest || held.send_request_no !== latest)
    throw new AppError('code_mismatch', '微信卡包中没有这张券')
}

type AddedCoupon = Parameters<typeof recordWalletAdd>[1] & {
  code: string
  redeemed_at: number | null
  wx_stock_id: string
  openid: string
}

/**
 * One wallet add for a 商家券. A coupon already redeemed in Kaquan (at the counter while the sheet was
 * open) is used in WeChat Pay too, through the outbox, so the wallet copy can't outlive it.
 */
export async function recordBusifavorAdd(db: DbLike, c: AddedCoupon, now: number): Promise<boolean> {
  const added = await recordWalletAdd(db, c, now)
  if (added && c.redeemed_at !== null) await queueBusifavorUse(db, c, now)
  return added
}

export async function queueBusifavorUse(
  db: DbLike,
  c: { id: string; code: string; wx_stock_id: string; openid: string },
  now: number,
): Promise<void> {
  await queueOutbox(
    db,
    {
      kind: 'busifavor_use',
      coupon_id: c.id,
      payload: {
        code: c.code,
        stock_id: c.wx_stock_id,
        openid: c.openid,
        use_request_no: newUseRequestNo(),
        use_time: now,
      },
    },
    now,
  )
}

/** The coupon COUPON.SEND names: this code on an offer linked to this stock. */
export async function couponByStockCode(db: DbLike, stockId: string, code: string) {
  return couponByCodeQuery(db, code).where('offers.wx_stock_id', '=', stockId).executeTakeFirst()
}
