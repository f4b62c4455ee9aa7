/**
 * wx.addCard with stock-id cards, as WeChat checks it (JSAPI 发券; 参与签名字段说明, chapter9_3_1;
 * the limits from 【H5/小程序插件/JSAPI 发券API】常见问题,
 * developers.weixin.qq.com/community/pay/doc/00020e01fb874858baebc84ca55408): the indexed HMAC-SHA256
 * sign with the APIv2 key, the merchant and sign on the first item only, at most 10 coupons per call
 * and 3 per stock, a coupon_code for MERCHANT_API stocks; the same out_request_no again issues nothing
 * new (DUPREQUEST, a success for the caller). Accepted coupons go to the sandbox wallet and COUPON.SEND
 * is queued. The bridge's addCards sends stock-id cards here.
 */
import { timingSafeEqual } from 'node:crypto'
import type { Deps } from '../../deps.ts'
import { randomDigit } from '../../random.ts'
import {
  type BusifavorCoupon,
  busifavorSign,
  busifavorSignFields,
  readBusifavorCardList,
} from '../../wechatpay/card-ext.ts'
import type { AddResult, CardToAdd } from '../wallet.ts'
import { type SandboxWxpayStocksTable, sandboxDb } from '../schema.ts'
import { couponWindow } from './coupons.ts'
import type { Deferred } from '../deferred.ts'
import { sandboxWxPayKeys } from './keys.ts'
import { CouponNotifier } from './notify.ts'
import { stockState } from './stocks.ts'

const MAX_PER_CALL = 10
const MAX_PER_STOCK = 3
/** MERCHANT_API codes: 1–32 of these (the code rules of 上传预存code, chapter9_2_6). */
const CODE = /^[0-9A-Za-z\-_\\/=|]{1,32}$/
const OUT_REQUEST_NO = /^[0-9A-Za-z_|*-]{1,128}$/

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))

/** True when some card of the list is a stock of the sandbox's WeChat Pay: then the whole call is 商家券. */
export async function holdsStock(deps: Deps, cards: readonly CardToAdd[]): Promise<boolean> {
  const ids = cards.map(c => c.card_id)
  if (!ids.length) return false
  const hit = await sandboxDb(deps.db)
    .selectFrom('sandbox_wxpay_stocks')
    .select('stock_id')
    .where('stock_id', 'in', ids)
    .executeTakeFirst()
  return !!hit
}

type Plan = { c: BusifavorCoupon; stock: SandboxWxpayStocksTable; code: string; fresh: boolean }

export async function addBusifavorCards(
  deps: Deps,
  later: Deferred,
  openid: string,
  cards: readonly CardToAdd[],
): Promise<AddResult> {
  const keys = await sandboxWxPayKeys(deps.db)
  const notifier = new CouponNotifier(deps, later, () => sandboxWxPayKeys(deps.db))
  const db = sandboxDb(deps.db)
  const now = deps.clock.now()
  if (cards.length > MAX_PER_CALL) return { ok: false, reason: 'fail_too_many_coupons' }
  const read = readBusifavorCardList(cards.map(c => ({ cardId: c.card_id, cardExt: c.card_ext })))
  if (!read) return { ok: false, reason: 'fail_invalid_card_ext' }
  const perStock = new Map<string, number>()
  for (const c of read.coupons) perStock.set(c.stockId, (perStock.get(c.stockId) ?? 0) + 1)
  if ([...perStock.values()].some(n => n > MAX_PER_STOCK))
    return { ok: false, reason: 'fail_too_many_coupons_of_stock' }
  if (read.sendCouponMerchant.length < 8 || read.sendCouponMerchant !== keys.mchid)
    return { ok: false, reason: 'fail_invalid_send_coupon_merchant' }
  const expected = busifavorSign(busifavorSignFields(read.coupons, read.sendCouponMerchant), keys.apiV2Key)
  if (!same(read.sign, expected)) return { ok: false, reason: 'fail_sign_error' }

  const plans: Plan[] = []
  for (const c of read.coupons) {
    const stock = await db
      .selectFrom('sandbox_wxpay_stocks')
      .selectAll()
      .where('stock_id', '=', c.stockId)
      .executeTakeFirst()
    if (!stock) return { ok: false, reason: 'fail_invalid_card_id' }
    if (stockState(stock, now) !== 'RUNNING') return { ok: false, reason: 'fail_stock_not_running' }
    if (!OUT_REQUEST_NO.test(c.outRequestNo)) return { ok: false, reason: 'fail_invalid_out_request_no' }
    const dup = await db
      .selectFrom('sandbox_wxpay_coupons')
      .select('coupon_code')
      .where('stock_id', '=', c.stockId)
      .where('openid', '=', openid)
      .where('send_request_no', '=', c.outRequestNo)
      .executeTakeFirst()
    if (dup) {
      plans.push({ c, stock, code: dup.coupon_code, fresh: false })
      continue
    }
    let code: string
    if (stock.coupon_code_mode === 'MERCHANT_API') {
      // -202 is what WeChat answers when the stock and coupon_code don't go together.
      if (!c.couponCode || !CODE.test(c.couponCode)) return { ok: false, reason: 'fail_-202_coupon_code_required' }
      code = c.couponCode
    } else if (stock.coupon_code_mode === 'WECHATPAY_MODE') {
      if (c.couponCode) return { ok: false, reason: 'fail_-202_coupon_code_not_allowed' }
      code = Array.from({ length: 12 }, randomDigit).join('')
    } else return { ok: false, reason: 'fail_unsupported_code_mode' }
    const held = await db
      .selectFrom('sandbox_wxpay_coupons')
      .selectAll()
      .where('stock_id', '=', c.stockId)
      .where('coupon_code', '=', code)
      .executeTakeFirst()
    // SANDBOX: a code its holder deleted from the wallet may be added again under a new out_request_no.
    if (held && !(held.openid === openid && held.state === 'DELETED'))
      return {
        ok: false,
        reason:
          held.openid === openid && held.state === 'SENDED' ? 'fail_code_has_been_received' : 'fail_coupon_code_exists',
      }
    const mine = await db
      .selectFrom('sandbox_wxpay_coupons')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .where('stock_id', '=', c.stockId)
      .where('openid', '=', openid)
      .where('state', '!=', 'DELETED')
      .executeTakeFirstOrThrow()
    const planned = plans.filter(p => p.fresh && p.stock.stock_id === c.stockId).length
    if (Number(mine.n) + planned >= stock.max_per_user) return { ok: false, reason: 'fail_max_coupons_per_user' }
    if (Number(stock.sent) + planned >= Number(stock.max_coupons)) return { ok: false, reason: 'fail_stock_sold_out' }
    plans.push({ c, stock, code, fresh: true })
  }

  const issued = plans.filter(p => p.fresh)
  await deps.db.transaction().execute(async trx => {
    const t = sandboxDb(trx)
    for (const p of issued) {
      const w = couponWindow(p.stock, now)
      const row = {
        openid,
        send_request_no: p.c.outRequestNo,
        state: 'SENDED' as const,
        receive_time: now,
        available_start: w.start,
        expire_time: w.expire,
        use_request_no: null,
        use_time: null,
        changed_at: now,
      }
      await t
        .insertInto('sandbox_wxpay_coupons')
        .values({ stock_id: p.stock.stock_id, coupon_code: p.code, ...row })
        .onConflict(oc => oc.columns(['stock_id', 'coupon_code']).doUpdateSet(row))
        .execute()
      await t
        .updateTable('sandbox_wxpay_stocks')
        .set(eb => ({ sent: eb('sent', '+', 1) }))
        .where('stock_id', '=', p.stock.stock_id)
        .execute()
    }
  })
  for (const p of issued)
    await notifier.queue({
      stockId: p.stock.stock_id,
      code: p.code,
      openid,
      notifyAppid: p.stock.notify_appid,
      sendTime: now,
    })
  // No source says what WeChat hands back per item for 商家券; the code is not among it here.
  return { ok: true, list: cards.map(c => ({ card_id: c.card_id, card_ext: c.card_ext, is_succ: 1 as const })) }
}
