/**
 * WeChat pushes user_consume_card for every way a code is consumed, FROM_API included. Here an
 * independent WeChat client library (wechat-api, from npm) consumes a wallet code against the
 * sandbox, as another system of the merchant's would against WeChat, and Kaquan's coupon follows.
 */
import WechatAPI from 'wechat-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_CARD_ID } from '../../src/server/sandbox/seed.ts'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { clerkPhone } from '../helpers/clerk.ts'
import { newKey, Phone } from '../helpers/phone.ts'
import { addToSandboxWallet, eventually } from '../helpers/wallet.ts'

function consume(api: WechatAPI, code: string, cardId: string) {
  return new Promise<{ err: (Error & { code?: number }) | null; data: any }>(resolve =>
    api.consumeCode(code, cardId, (err, data) => resolve({ err, data })),
  )
}

describe.each(['safe', 'plain'] as const)('a code consumed through WeChat’s API (%s-mode pushes)', mode => {
  let t: TestApp
  let clerk: Phone
  let api: WechatAPI
  beforeAll(async () => {
    t = await startTestApp({ env: { WX_PUSH_MODE: mode } })
    clerk = await clerkPhone(t, 'nanjingxilu')
    api = new WechatAPI(t.config.wx.appId, t.config.wx.appSecret)
    // The library's setEndpoint() takes a bare host and always makes it https; the sandbox
    // listens on plain http, so the endpoint every call starts with is set directly.
    api.endpoint = t.config.wx.apiBase
  })
  afterAll(async () => {
    await t?.close()
  })

  async function walletCoupon() {
    const phone = new Phone(t.url)
    await phone.login()
    const coupon = (await phone.post('/api/offers/latte-10off/claim', {}, { 'idempotency-key': newKey() })).json.coupon
    const { cardExt } = (await phone.get(`/api/coupons/${coupon.id}/card-ext`)).json
    const added = await addToSandboxWallet(phone, DEMO_CARD_ID, cardExt)
    if (!added.ok) throw new Error(added.reason)
    const recorded = await phone.post(`/api/coupons/${coupon.id}/wallet`, { encryptCode: added.list[0]!.code })
    expect(recorded.json.coupon.inWallet).toBe(true)
    return { phone, coupon }
  }

  it('marks Kaquan’s coupon redeemed (source wechat) once, and a clerk can’t redeem it again', async () => {
    const { phone, coupon } = await walletCoupon()
    const { err, data } = await consume(api, coupon.code, DEMO_CARD_ID)
    expect(err).toBeNull()
    expect(data).toMatchObject({ errcode: 0, card: { card_id: DEMO_CARD_ID } })

    // WeChat's push arrives on its own schedule, after the API call answered.
    await eventually(async () => (await phone.get(`/api/coupons/${coupon.id}`)).json.coupon.status === 'redeemed')
    const row = await t.database.db
      .selectFrom('coupons')
      .selectAll()
      .where('id', '=', coupon.id)
      .executeTakeFirstOrThrow()
    expect(row.redeemed_source).toBe('wechat')
    const pushed = await t.database.db
      .selectFrom('wx_push_events')
      .select('payload')
      .where('event', '=', 'user_consume_card')
      .execute()
    expect(pushed.map(p => JSON.parse(p.payload))).toContainEqual(
      expect.objectContaining({ UserCardCode: coupon.code, ConsumeSource: 'FROM_API', CardId: DEMO_CARD_ID }),
    )

    const second = await clerk.post('/api/redeem', { code: coupon.code, storeId: 'nanjingxilu' })
    expect(second.status).toBe(409)
    expect(second.json.error.code).toBe('already_redeemed')
    const events = await t.database.db
      .selectFrom('events')
      .select('id')
      .where('coupon_id', '=', coupon.id)
      .where('type', '=', 'redeem')
      .execute()
    expect(events).toHaveLength(1)
    // Kaquan didn't consume it, so it never asks WeChat to.
    const outbox = await t.database.db.selectFrom('wx_outbox').selectAll().where('coupon_id', '=', coupon.id).execute()
    expect(outbox).toHaveLength(0)
  })

  it('answers a second consume of the same code with WeChat’s 40099, through the library', async () => {
    const { coupon } = await walletCoupon()
    expect((await consume(api, coupon.code, DEMO_CARD_ID)).err).toBeNull()
    const again = await consume(api, coupon.code, DEMO_CARD_ID)
    expect(again.err?.code).toBe(40099)
  })
})
