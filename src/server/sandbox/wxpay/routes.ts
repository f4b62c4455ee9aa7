/**
 * The simulated WeChat Pay under /__wxpay, for 商家券: stocks, a user's coupon, redemption and the
 * callback URL, as WeChat Pay's 商家券 API pages describe them
 * (pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter9_2_*.shtml). WXPAY_API_BASE points here in sandbox
 * mode, so src/server/wechatpay talks to it exactly as it talks to api.mch.weixin.qq.com.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Deps } from '../../deps.ts'
import { rfc3339China } from '../../wechatpay/time.ts'
import type { Deferred } from '../deferred.ts'
import { useCoupon, useRequest, userCouponAnswer } from './coupons.ts'
import { PayRefusal, payBody, payPart, wxPayScope } from './http.ts'
import { sandboxWxPayKeys } from './keys.ts'
import { setNotifyUrl, notifyUrlOf } from './callbacks.ts'
import { CouponNotifier } from './notify.ts'
import { createStock, findStock, stockAnswer, stockRequest } from './stocks.ts'

const BUSIFAVOR = '/v3/marketing/busifavor'
const callbacksRequest = z
  .object({ mchid: z.string().max(32).optional(), notify_url: z.string().min(1).max(256) })
  .strict()
const text = z.string().min(1).max(128)
const stockParams = z.object({ stock_id: text }).strict()
const couponParams = z.object({ openid: text, coupon_code: text, appid: text }).strict()
const callbacksQuery = z.object({ mchid: z.string().max(32).optional() }).passthrough()

/** WeChat Pay calls back only to https URLs without a query; the sandbox also takes http on its own host. */
function checkNotifyUrl(value: string, publicUrl: string) {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new PayRefusal(400, 'PARAM_ERROR', 'notify_url 不是合法的URL', { field: '/notify_url' })
  }
  const local = url.host === new URL(publicUrl).host || url.hostname === '127.0.0.1' || url.hostname === 'localhost'
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local))
    throw new PayRefusal(400, 'PARAM_ERROR', 'notify_url 须为 https 地址', { field: '/notify_url' })
  if (url.search || url.hash || value.includes('?'))
    throw new PayRefusal(400, 'PARAM_ERROR', 'notify_url 不能携带参数', { field: '/notify_url' })
}

export function sandboxWxPay(app: FastifyInstance, deps: Deps, later: Deferred): void {
  const keys = () => sandboxWxPayKeys(deps.db)
  const caller = (mchid: string) => ({ mchid, appId: deps.config.wx.appId })
  app.addHook('onReady', () => new CouponNotifier(deps, later, keys).resume())

  wxPayScope(app, deps, keys, api => {
    api.post(`${BUSIFAVOR}/stocks`, async c =>
      createStock(deps.db, caller(c.mchid), payBody(stockRequest, c.raw), c.now),
    )

    api.get(`${BUSIFAVOR}/stocks/:stock_id`, async c => {
      const s = await findStock(deps.db, payPart(stockParams, c.request.params, 'path').stock_id)
      if (!s) throw new PayRefusal(404, 'RESOURCE_NOT_EXISTS', '批次不存在')
      if (s.creator_mchid !== c.mchid && s.belong_merchant !== c.mchid)
        throw new PayRefusal(403, 'NO_AUTH', '无权限查询该批次')
      return stockAnswer(deps.db, s, c.now)
    })

    api.get(`${BUSIFAVOR}/users/:openid/coupons/:coupon_code/appids/:appid`, async c =>
      userCouponAnswer(
        deps.db,
        caller(c.mchid),
        (({ openid, coupon_code: code, appid }) => ({ openid, code, appid }))(
          payPart(couponParams, c.request.params, 'path'),
        ),
        c.now,
      ),
    )

    api.post(`${BUSIFAVOR}/coupons/use`, async c =>
      useCoupon(deps.db, caller(c.mchid), payBody(useRequest, c.raw), c.now),
    )

    api.post(`${BUSIFAVOR}/callbacks`, async c => {
      const b = payBody(callbacksRequest, c.raw)
      const mchid = b.mchid ?? c.mchid
      if (mchid !== c.mchid) throw new PayRefusal(403, 'NO_AUTH', '只能设置本商户号的通知地址')
      checkNotifyUrl(b.notify_url, deps.config.publicUrl)
      await setNotifyUrl(deps.db, mchid, b.notify_url, c.now)
      return { update_time: rfc3339China(c.now), notify_url: b.notify_url, mchid }
    })

    api.get(`${BUSIFAVOR}/callbacks`, async c => {
      const mchid = payPart(callbacksQuery, c.request.query, 'query').mchid ?? c.mchid
      if (mchid !== c.mchid) throw new PayRefusal(403, 'NO_AUTH', '只能查询本商户号的通知地址')
      const notifyUrl = await notifyUrlOf(deps.db, mchid)
      return notifyUrl ? { mchid, notify_url: notifyUrl } : { mchid }
    })
  })
}
