/**
 * What WeChat's card events mean for Kaquan's coupons (卡券事件推送,
 * developers.weixin.qq.com/doc/offiaccount/Cards_and_Offer/Coupons_Vouchers_and_Cards_Event_Push_Messages.html).
 *
 * WeChat delivers pushes on its own schedule and retries them, so one can arrive after a later
 * change of the same card: an add reported after the card was deleted (or redeemed as gone), a
 * delete reported after the page recorded a new add. Each event is weighed by its CreateTime
 * against the coupon's own record, and a stale one changes nothing; what an event changes is
 * stamped with its CreateTime too, so the next event is weighed against when this one happened,
 * not when it arrived.
 */
import type { PushEvent } from '../wechat/push.ts'
import type { PushHandlers } from '../wechat/routes.ts'
import { couponByWalletCode, recordCardAdd } from './service.ts'

/** When the event happened: its CreateTime, never later than now (a clock ahead of ours). */
function momentOf(e: PushEvent, now: number): number {
  const at = Number(e.CreateTime)
  return Number.isSafeInteger(at) ? Math.min(at, now) : now
}

export const walletPushHandlers: PushHandlers = {
  /** Reconciles a wallet add whose page callback never arrived (page closed, network lost). */
  user_get_card: async (trx, e, deps) => {
    const coupon = await couponByWalletCode(trx, e.UserCardCode ?? '', e.CardId ?? '', e.FromUserName ?? '')
    if (!coupon) return
    const at = momentOf(e, deps.clock.now())
    // Removed in or after the second of this add: the add is older news than the removal.
    if (coupon.wallet_removed_at !== null && at <= coupon.wallet_removed_at) return
    await recordCardAdd(trx, { ...coupon, wx_card_id: coupon.wx_card_id! }, at)
  },
  /** The card left the wallet; the coupon stays usable as an H5 coupon. */
  user_del_card: async (trx, e, deps) => {
    const coupon = await couponByWalletCode(trx, e.UserCardCode ?? '', e.CardId ?? '', e.FromUserName ?? '')
    if (!coupon) return
    const at = momentOf(e, deps.clock.now())
    // Added again after this delete happened: the wallet holds the card now.
    if (coupon.wallet_added_at !== null && at < coupon.wallet_added_at) return
    await trx
      .updateTable('coupons')
      .set({ in_wallet: 0, wallet_removed_at: at })
      .where('id', '=', coupon.id)
      .where('in_wallet', '=', 1)
      .execute()
  },
}
