/**
 * What WeChat's card events mean for Kaquan's coupons (卡券事件推送,
 * developers.weixin.qq.com/doc/offiaccount/Cards_and_Offer/Coupons_Vouchers_and_Cards_Event_Push_Messages.html).
 */
import type { PushHandlers } from '../wechat/routes.ts'
import { couponByWalletCode, recordWalletAdd } from './service.ts'

export const walletPushHandlers: PushHandlers = {
  /** Reconciles a wallet add whose page callback never arrived (page closed, network lost). */
  user_get_card: async (trx, e, deps) => {
    const coupon = await couponByWalletCode(trx, e.UserCardCode ?? '', e.CardId ?? '', e.FromUserName ?? '')
    if (coupon) await recordWalletAdd(trx, coupon, deps.clock.now())
  },
  /** The card left the wallet; the coupon stays usable as an H5 coupon. */
  user_del_card: async (trx, e, deps) => {
    const coupon = await couponByWalletCode(trx, e.UserCardCode ?? '', e.CardId ?? '', e.FromUserName ?? '')
    if (coupon) {
      await trx
        .updateTable('coupons')
        .set({ in_wallet: 0, wallet_removed_at: deps.clock.now() })
        .where('id', '=', coupon.id)
        .where('in_wallet', '=', 1)
        .execute()
    }
  },
}
