/** What WeChat Pay's callbacks mean for Kaquan's coupons (领券事件回调通知), handed to wechatpay/routes.ts by app.ts. */
import type { NotifyHandlers } from '../wechatpay/routes.ts'
import { epochOf } from '../wechatpay/time.ts'
import { couponByStockCode, recordBusifavorAdd } from './busifavor.ts'

export const walletNotifyHandlers: NotifyHandlers = {
  /**
   * The user took the 商家券 into the wallet. COUPON.SEND carries no out_request_no: the coupon is
   * found by the offer's stock and its own code; the openid, present when the stock names a
   * notify_appid, must be the holder's. Anything else is not one of ours and changes nothing. A
   * send older than the coupon's leaving the wallet (a retried callback that lost the race with the
   * counter's finding it gone) is old news, as wallet/push.ts treats WeChat's user_get_card.
   */
  'COUPON.SEND': async (trx, n, deps) => {
    const sent = n.coupon
    if (!sent) return
    const c = await couponByStockCode(trx, sent.stock_id, sent.coupon_code)
    if (!c?.wx_stock_id || (sent.openid && sent.openid !== c.openid)) return
    const sentAt = epochOf(sent.send_time)
    if (c.wallet_removed_at !== null && sentAt !== null && sentAt <= c.wallet_removed_at) return
    await recordBusifavorAdd(trx, { ...c, wx_stock_id: c.wx_stock_id }, deps.clock.now())
  },
}
