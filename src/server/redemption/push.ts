import type { PushHandlers } from '../wechat/routes.ts'
import { couponByWalletCode } from '../wallet/service.ts'
import { markConsumedInWeChat } from './service.ts'

export const redemptionPushHandlers: PushHandlers = {
  /** Consumed in WeChat (卡券助手, the MP console, the consume API): Kaquan's coupon follows, once. */
  user_consume_card: async (trx, e, deps) => {
    const c = await couponByWalletCode(trx, e.UserCardCode ?? '', e.CardId ?? '', e.FromUserName ?? '')
    if (c) await markConsumedInWeChat(trx, c, deps.clock.now())
  },
}
