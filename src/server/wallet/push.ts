/**
 * What WeChat's card events mean for Kaquan's coupons (卡券事件推送,
 * developers.weixin.qq.com/doc/offiaccount/Cards_and_Offer/Coupons_Vouchers_and_Cards_Event_Push_Messages.html).
 *
 * WeChat delivers pushes on its own schedule and retries them, so one can arrive after a later
 * change of the same card: an add reported after the card was deleted (or redeemed as gone), a
 * delete reported after the page recorded a new add. Each event is weighed by its CreateTime
 * against the coupon's own record, and a stale one changes nothing.
 */
import type { PushHandlers } from '../wechat/routes.ts'
import { couponByWalletCode, recordWalletAdd } from './service.ts'

export const walletPushHandlers: PushHandlers = {
  /** Reconciles a wallet add whose page callback never arrived (page closed, network lost). */
  user_get_card: async (trx, e, deps) => {
    const coupon = await couponByWalletCode(trx, e.UserCardCode ?? '', e.CardId ?? '', e.FromUserName ?? '')
    if (!coupon) return
    // Removed in or after the second of this add: the add is older news than the removal.
    if (coupon.wallet_removed_at !== null && Number(e.CreateTime) <= coupon.wallet_removed_at) return
    await recordWalletAdd(trx, coupon, deps.clock.now())
  },
  /** The card left the wallet; the coupon stays usable as an H5 coupon. */
  user_del_card: async (trx, e, deps) => {
    const coupon = await couponByWalletCode(trx, e.UserCardCode ?? '', e.CardId ?? '', e.FromUserName ?? '')
    if (!coupon) return
    // Added again after this delete happened: the wallet holds the card now.
    if (coupon.wallet_added_at !== null && Number(e.CreateTime) < coupon.wallet_added_at) return
    await trx
      .updateTable('coupons')
      .set({ in_wallet: 0, wallet_removed_at: deps.clock.now() })
      .where('id', '=', coupon.id)
      .where('in_wallet', '=', 1)
      .execute()
  },
}
