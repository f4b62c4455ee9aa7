import type { PushHandlers } from '../wechat/routes.ts'
import { recordEvent } from '../analytics/events.ts'
import { couponByWalletCode } from '../wallet/service.ts'

export const redemptionPushHandlers: PushHandlers = {
  /** Consumed with WeChat's own tools (卡券助手, the MP console): Kaquan's coupon follows, once. */
  user_consume_card: async (trx, e, deps) => {
    const c = await couponByWalletCode(trx, e.UserCardCode ?? '', e.CardId ?? '', e.FromUserName ?? '')
    if (!c) return
    const now = deps.clock.now()
    const took = await trx
      .updateTable('coupons')
      .set({ redeemed_at: now, redeemed_source: 'wechat' })
      .where('id', '=', c.id)
      .where('redeemed_at', 'is', null)
      .executeTakeFirst()
    if (Number(took.numUpdatedRows) === 1)
      await recordEvent(
        trx,
        {
          type: 'redeem',
          merchant_id: c.merchant_id,
          offer_id: c.offer_id,
          coupon_id: c.id,
          user_id: c.user_id,
          store_id: null,
          channel: c.channel,
          ref: c.ref,
        },
        now,
      )
  },
}
