import type { FastifyInstance } from 'fastify'
import { type CouponResponse, couponParams } from '../../shared/api/coupons.ts'
import { type CardExtResponse, walletBody } from '../../shared/api/wallet.ts'
import { requireUser } from '../auth/users.ts'
import { getCoupon } from '../coupons/service.ts'
import type { Deps } from '../deps.ts'
import { AppError, parse } from '../http/errors.ts'
import { decryptCode, getCode } from '../wechat/card.ts'
import { ownCouponWithCard, recordWalletAdd, refuseUnusable, signCardExt } from './service.ts'

export function walletRoutes(app: FastifyInstance, deps: Deps): void {
  const { db, clock, wx } = deps

  app.get('/api/coupons/:couponId/card-ext', async request => {
    const { couponId } = parse(couponParams, request.params, 'params')
    const user = await requireUser(deps, request, `/me/coupons/${couponId}`)
    const coupon = await ownCouponWithCard(db, user.id, couponId)
    refuseUnusable(coupon, clock.now())
    const cardExt = await signCardExt(
      wx.credentials,
      { code: coupon.code, channel: coupon.channel, cardId: coupon.wx_card_id, openid: user.openid },
      clock.now(),
    )
    return { cardId: coupon.wx_card_id, cardExt } satisfies CardExtResponse
  })

  /**
   * After wx.addCard succeeds the page reports the encrypted code it got back. Nothing is
   * written until WeChat confirms, through card/code/decrypt and card/code/get, that this
   * user's wallet holds this coupon's code on this offer's card.
   */
  app.post('/api/coupons/:couponId/wallet', async request => {
    const { couponId } = parse(couponParams, request.params, 'params')
    const body = parse(walletBody, request.body, 'body')
    const user = await requireUser(deps, request, `/me/coupons/${couponId}`)
    const coupon = await ownCouponWithCard(db, user.id, couponId)
    if (body.encryptCode) {
      const code = await decryptCode(wx, body.encryptCode)
      if (code !== coupon.code) throw new AppError('code_mismatch', '卡包中的券码与此券不符')
    }
    const held = await getCode(wx, coupon.wx_card_id, coupon.code)
    if (!held || held.cardId !== coupon.wx_card_id || held.openid !== user.openid || held.status === 'DELETE')
      throw new AppError('code_mismatch', '微信卡包中没有这张券')
    await db.transaction().execute(trx => recordWalletAdd(trx, coupon, clock.now()))
    return { coupon: (await getCoupon(db, user.id, couponId, clock.now()))! } satisfies CouponResponse
  })
}
