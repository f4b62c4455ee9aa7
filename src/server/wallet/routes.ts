import type { FastifyInstance } from 'fastify'
import { type CouponResponse, couponParams } from '../../shared/api/coupons.ts'
import { type CardExtResponse, walletBody } from '../../shared/api/wallet.ts'
import { requireUser } from '../auth/users.ts'
import { getCoupon } from '../coupons/service.ts'
import type { Deps } from '../deps.ts'
import { AppError, parse } from '../http/errors.ts'
import { decryptCode, getCode } from '../wechat/card.ts'
import { busifavorCardExt, confirmBusifavorAdd, recordBusifavorAdd } from './busifavor.ts'
import { ownWalletCoupon, recordCardAdd, refuseUnusable, signCardExt } from './service.ts'

export function walletRoutes(app: FastifyInstance, deps: Deps): void {
  const { db, clock, wx } = deps

  app.get('/api/coupons/:couponId/card-ext', async request => {
    const { couponId } = parse(couponParams, request.params, 'params')
    const user = await requireUser(deps, request, `/me/coupons/${couponId}`)
    const coupon = await ownWalletCoupon(db, user.id, couponId)
    refuseUnusable(coupon, clock.now())
    if (coupon.wx_stock_id) return busifavorCardExt(deps, { ...coupon, wx_stock_id: coupon.wx_stock_id })
    const cardId = coupon.wx_card_id!
    const cardExt = await signCardExt(
      wx.credentials,
      { code: coupon.code, channel: coupon.channel, cardId, openid: user.openid },
      clock.now(),
    )
    return { provider: 'card', cardId, cardExt } satisfies CardExtResponse
  })

  /**
   * After wx.addCard succeeds the page reports it. Nothing is written until WeChat confirms that
   * this user's wallet holds this coupon's code: for a legacy card through card/code/decrypt (the
   * encrypted code the page got back) and card/code/get; for a 商家券 through WeChat Pay's coupon
   * query, which needs no body.
   */
  app.post('/api/coupons/:couponId/wallet', async request => {
    const { couponId } = parse(couponParams, request.params, 'params')
    const body = parse(walletBody, request.body, 'body')
    const user = await requireUser(deps, request, `/me/coupons/${couponId}`)
    const coupon = await ownWalletCoupon(db, user.id, couponId)
    if (coupon.wx_stock_id) {
      const c = { ...coupon, wx_stock_id: coupon.wx_stock_id, openid: user.openid }
      await confirmBusifavorAdd(deps, c)
      await db.transaction().execute(trx => recordBusifavorAdd(trx, c, clock.now()))
    } else {
      const cardId = coupon.wx_card_id!
      if (body.encryptCode) {
        const code = await decryptCode(wx, body.encryptCode)
        if (code !== coupon.code) throw new AppError('code_mismatch', '卡包中的券码与此券不符')
      }
      const held = await getCode(wx, cardId, coupon.code)
      if (!held || held.cardId !== cardId || held.openid !== user.openid || held.status === 'DELETE')
        throw new AppError('code_mismatch', '微信卡包中没有这张券')
      await db.transaction().execute(trx => recordCardAdd(trx, { ...coupon, wx_card_id: cardId }, clock.now()))
    }
    return { coupon: (await getCoupon(deps.catalog, user.id, couponId, clock.now()))! } satisfies CouponResponse
  })
}
