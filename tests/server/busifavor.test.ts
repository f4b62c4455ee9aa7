/**
 * 商家券 in the wallet: the cardExt Kaquan signs, the page's report confirmed by WeChat Pay's coupon
 * query, and WeChat Pay's COUPON.SEND callback, checked as WeChat Pay's rules say, the two of them
 * recording exactly one wallet add between them.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/server/app.ts'
import { sandboxDb } from '../../src/server/sandbox/schema.ts'
import { startTestApp, type TestApp, planFault } from '../helpers/app.ts'
import { newKey, Phone } from '../helpers/phone.ts'
import { sessionCookies } from '../helpers/users.ts'
import { addToSandboxWallet, eventually } from '../helpers/wallet.ts'
import {
  busifavorClaim,
  couponSend,
  documentedSign,
  payKeys,
  pointCallbacksAt,
  postCallback,
  withBusifavorApp,
} from '../helpers/wxpay.ts'

let t: TestApp
let stockId: string
withBusifavorApp((app, stock) => {
  t = app
  stockId = stock
})

const row = (id: string) =>
  t.database.db.selectFrom('coupons').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const walletAdds = (couponId: string) =>
  t.database.db
    .selectFrom('events')
    .selectAll()
    .where('coupon_id', '=', couponId)
    .where('type', '=', 'wallet_add')
    .execute()

describe('the 商家券 cardExt', () => {
  it('names the stock as cardId and carries exactly the signed fields, signed by the documented rule with the APIv2 key', async () => {
    const { coupon, cardId, cardExt } = await busifavorClaim(t)
    const k = await payKeys(t)
    expect(cardId).toBe(stockId)
    const ext = JSON.parse(cardExt)
    expect(Object.keys(ext).sort()).toEqual(['coupon_code', 'out_request_no', 'send_coupon_merchant', 'sign'])
    expect(ext.coupon_code).toBe(coupon.code)
    expect(ext.send_coupon_merchant).toBe(k.mchid)
    expect(ext.out_request_no).toMatch(/^[0-9A-Za-z]{1,32}$/)
    const fields = {
      stock_id0: stockId,
      out_request_no0: ext.out_request_no,
      coupon_code0: coupon.code,
      send_coupon_merchant: k.mchid,
    }
    expect(ext.sign).toBe(documentedSign(fields, k.apiV2Key))
    expect(ext.sign).not.toBe(documentedSign(fields, k.apiV3Key))
    expect(ext.sign).toMatch(/^[0-9A-F]{64}$/)
  })

  it('says provider busifavor, and makes a fresh out_request_no on every call', async () => {
    const { phone, coupon, cardExt } = await busifavorClaim(t)
    const again = await phone.get(`/api/coupons/${coupon.id}/card-ext`)
    expect(again.json.provider).toBe('busifavor')
    expect(JSON.parse(again.json.cardExt).out_request_no).not.toBe(JSON.parse(cardExt).out_request_no)
  })

  it('says provider card for a legacy card offer, with the card cardExt as before', async () => {
    const phone = new Phone(t.url)
    await phone.login()
    const c = (await phone.post('/api/offers/latte-10off/claim', {}, { 'idempotency-key': newKey() })).json.coupon
    const res = await phone.get(`/api/coupons/${c.id}/card-ext`)
    expect(res.json.provider).toBe('card')
    expect(Object.keys(JSON.parse(res.json.cardExt))).toContain('signature')
  })

  it('shows the stock in the offer detail next to wxCardId', async () => {
    const offer = (await new Phone(t.url).get('/api/offers/americano-5off')).json.offer
    expect(offer).toMatchObject({ wxStockId: stockId, wxCardId: null })
    expect((await new Phone(t.url).get('/api/offers/latte-10off')).json.offer.wxStockId).toBeNull()
  })

  it('is 409 no_wallet_card while WeChat Pay is off, and the coupon stays an H5 coupon', async () => {
    const off = await buildApp({
      config: { ...t.config, wxpay: null },
      db: t.database.db,
      engine: t.database.engine,
      clock: t.clock,
      outboxIntervalMs: 0,
    })
    try {
      const [cookie] = await sessionCookies(t, 1, 'payoff')
      const claim = await off.inject({
        method: 'POST',
        url: '/api/offers/americano-5off/claim',
        headers: { cookie: cookie!, 'idempotency-key': newKey(), 'content-type': 'application/json' },
        payload: '{}',
      })
      const id = claim.json().coupon.id
      const ext = await off.inject({ method: 'GET', url: `/api/coupons/${id}/card-ext`, headers: { cookie: cookie! } })
      expect(ext.statusCode).toBe(409)
      expect(ext.json().error.code).toBe('no_wallet_card')
      expect(ext.json().error.message).toContain('商家券')
    } finally {
      await off.close()
    }
  })
})

describe('the page’s wallet report', () => {
  it('is a 4xx until WeChat Pay holds the coupon, then records one wallet add; a repeat changes nothing', async () => {
    const { phone, coupon, cardId, cardExt } = await busifavorClaim(t)
    const early = await phone.post(`/api/coupons/${coupon.id}/wallet`, {})
    expect(early.status).toBe(409)
    expect(early.json.error.code).toBe('code_mismatch')
    expect((await row(coupon.id)).in_wallet).toBe(0)
    const added = await addToSandboxWallet(phone, cardId, cardExt)
    expect(added.ok).toBe(true)
    const res = await phone.request('POST', `/api/coupons/${coupon.id}/wallet`)
    expect(res.status).toBe(200)
    expect(res.json.coupon.inWallet).toBe(true)
    expect((await phone.post(`/api/coupons/${coupon.id}/wallet`, {})).status).toBe(200)
    expect(await walletAdds(coupon.id)).toHaveLength(1)
  })

  it('is refused when the wallet holds the coupon from an earlier cardExt than the latest', async () => {
    const { phone, coupon, cardId, cardExt } = await busifavorClaim(t)
    await phone.get(`/api/coupons/${coupon.id}/card-ext`)
    expect((await addToSandboxWallet(phone, cardId, cardExt)).ok).toBe(true)
    const res = await phone.post(`/api/coupons/${coupon.id}/wallet`, {})
    expect(res.status).toBe(409)
    expect(await walletAdds(coupon.id)).toHaveLength(0)
  })

  it('is refused after the user deleted the coupon from the wallet', async () => {
    const { phone, coupon, cardId, cardExt } = await busifavorClaim(t)
    expect((await addToSandboxWallet(phone, cardId, cardExt)).ok).toBe(true)
    expect((await phone.post('/__wx/bridge/wallet/delete', { code: coupon.code })).json.ok).toBe(true)
    expect((await phone.post(`/api/coupons/${coupon.id}/wallet`, {})).status).toBe(409)
    expect((await row(coupon.id)).in_wallet).toBe(0)
  })

  it('is a 404 for another user’s coupon', async () => {
    const { coupon } = await busifavorClaim(t)
    const other = new Phone(t.url)
    await other.login()
    expect((await other.post(`/api/coupons/${coupon.id}/wallet`, {})).status).toBe(404)
    expect((await other.get(`/api/coupons/${coupon.id}/card-ext`)).status).toBe(404)
  })

  it('is a clear 502 while WeChat Pay fails, with nothing written, and succeeds once it answers', async () => {
    const { phone, coupon, cardId, cardExt } = await busifavorClaim(t)
    expect((await addToSandboxWallet(phone, cardId, cardExt)).ok).toBe(true)
    const query = 'wxpay:/v3/marketing/busifavor/users/{openid}/coupons/{coupon_code}/appids/{appid}'
    await planFault(t, query, 'SYSTEM_ERROR', 1000)
    const down = await phone.post(`/api/coupons/${coupon.id}/wallet`, {})
    expect(down.status).toBe(502)
    expect(down.json.error.code).toBe('wechat_unavailable')
    expect(await walletAdds(coupon.id)).toHaveLength(0)
    await planFault(t, query, 'badsig', 1)
    expect((await phone.post(`/api/coupons/${coupon.id}/wallet`, {})).status).toBe(200)
    expect(await walletAdds(coupon.id)).toHaveLength(1)
  })
})

describe('POST /wechatpay/notify', () => {
  it('records the wallet add of the coupon COUPON.SEND names, and answers 204 to its repeat without effect', async () => {
    const { coupon, openid } = await busifavorClaim(t)
    const cb = await couponSend(t, { stock_id: stockId, coupon_code: coupon.code, openid })
    const first = await postCallback(t, cb)
    expect(first.status).toBe(204)
    expect((await row(coupon.id)).in_wallet).toBe(1)
    const again = await postCallback(t, cb)
    expect(again.status).toBe(204)
    expect(await walletAdds(coupon.id)).toHaveLength(1)
    const kept = await t.database.db.selectFrom('wxpay_notifications').selectAll().where('id', '=', cb.id).execute()
    expect(kept).toHaveLength(1)
    expect(JSON.parse(kept[0]!.resource)).toMatchObject({ coupon_code: coupon.code, stock_id: stockId })
  })

  it.each([
    ['a body changed after signing', { body: (b: string) => b.replace('商家券领券通知', '商家券领劵通知') }, 401],
    ['a signature probe (WECHATPAY/SIGNTEST/)', { signature: (s: string) => `WECHATPAY/SIGNTEST/${s}` }, 401],
    ['an unknown Wechatpay-Serial', { serial: 'PUB_KEY_ID_01140000000000000000000000000001' }, 401],
    [
      'a platform certificate serial instead of the public key id',
      { serial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1' },
      401,
    ],
    ['a timestamp 301 s old', { timestamp: -301 }, 401],
    ['a timestamp 301 s ahead', { timestamp: 301 }, 401],
    ['a resource sealed with another APIv3 key', { apiV3Key: 'another-apiv3-key-0123456789abcd' }, 500],
  ])(
    'refuses %s with a WeChat Pay {code, message} error so WeChat Pay retries, and changes nothing',
    async (_n, o, status) => {
      const { coupon, openid } = await busifavorClaim(t)
      const { timestamp, ...rest } = o as { timestamp?: number }
      const cb = await couponSend(
        t,
        { stock_id: stockId, coupon_code: coupon.code, openid },
        { ...rest, ...(timestamp ? { timestamp: t.clock.now() + timestamp } : {}) },
      )
      const res = await postCallback(t, cb)
      expect(res.status).toBe(status)
      expect(Object.keys(JSON.parse(res.body)).sort()).toEqual(['code', 'message'])
      expect((await row(coupon.id)).in_wallet).toBe(0)
      expect(
        await t.database.db.selectFrom('wxpay_notifications').selectAll().where('id', '=', cb.id).execute(),
      ).toEqual([])
    },
  )

  it('accepts a timestamp 299 s off, inside the window', async () => {
    const { coupon, openid } = await busifavorClaim(t)
    const cb = await couponSend(
      t,
      { stock_id: stockId, coupon_code: coupon.code, openid },
      { timestamp: t.clock.now() - 299 },
    )
    expect((await postCallback(t, cb)).status).toBe(204)
    expect((await row(coupon.id)).in_wallet).toBe(1)
  })

  it('refuses a callback with no signature headers, and a signed one that is not a notification', async () => {
    const bare = await fetch(`${t.url}/wechatpay/notify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"id":"x"}',
    })
    expect(bare.status).toBe(401)
    const { coupon } = await busifavorClaim(t)
    const cb = await couponSend(t, { stock_id: stockId, coupon_code: coupon.code })
    const k = await payKeys(t)
    const { createSign } = await import('node:crypto')
    const body = '{"hello":"world"}'
    const ts = cb.headers['wechatpay-timestamp']
    const nonce = cb.headers['wechatpay-nonce']
    const sig = createSign('RSA-SHA256').update(`${ts}\n${nonce}\n${body}\n`).sign(k.platformPrivateKey, 'base64')
    const res = await postCallback(t, { ...cb, body, headers: { ...cb.headers, 'wechatpay-signature': sig } })
    expect(res.status).toBe(400)
    expect(JSON.parse(res.body).code).toBe('FAIL')
  })

  it('leaves alone a coupon of another holder, and codes it does not know, answering 204', async () => {
    const { coupon } = await busifavorClaim(t)
    const foreign = await couponSend(t, {
      stock_id: stockId,
      coupon_code: coupon.code,
      openid: 'oSomeoneElse000000000000000a',
    })
    expect((await postCallback(t, foreign)).status).toBe(204)
    const unknown = await couponSend(t, { stock_id: '1999999999999999', coupon_code: coupon.code })
    expect((await postCallback(t, unknown)).status).toBe(204)
    expect((await row(coupon.id)).in_wallet).toBe(0)
  })

  it('records exactly one wallet add when the page and callbacks race, round after round', async () => {
    const { phone, coupon, cardId, cardExt, openid } = await busifavorClaim(t)
    expect((await addToSandboxWallet(phone, cardId, cardExt)).ok).toBe(true)
    for (let round = 0; round < 15; round++) {
      const callbacks = await Promise.all(
        [0, 1, 2].map(() => couponSend(t, { stock_id: stockId, coupon_code: coupon.code, openid })),
      )
      const answers = await Promise.all([
        ...callbacks.map(cb => postCallback(t, cb).then(r => r.status)),
        ...[0, 1, 2].map(() => phone.post(`/api/coupons/${coupon.id}/wallet`, {}).then(r => r.status)),
      ])
      expect(answers).toEqual([204, 204, 204, 200, 200, 200])
      expect(await walletAdds(coupon.id)).toHaveLength(1)
      expect((await row(coupon.id)).in_wallet).toBe(1)
      // Back to "not in the wallet" for the next round.
      await t.database.db.updateTable('coupons').set({ in_wallet: 0 }).where('id', '=', coupon.id).execute()
      await t.database.db
        .deleteFrom('events')
        .where('coupon_id', '=', coupon.id)
        .where('type', '=', 'wallet_add')
        .execute()
    }
  })
})

describe('the sandbox’s own COUPON.SEND', () => {
  beforeAll(async () => {
    expect(await pointCallbacksAt(t)).toContain('/wechatpay/notify')
  })
  const deliveries = () => sandboxDb(t.database.db).selectFrom('sandbox_wxpay_deliveries').selectAll().execute()
  /** The deliveries made since `before` was taken. */
  const since = async (before: { id: string }[]) => (await deliveries()).filter(r => !before.some(b => b.id === r.id))

  it('reconciles a wallet add the page never reported', async () => {
    const { phone, coupon, cardId, cardExt } = await busifavorClaim(t)
    const before = await deliveries()
    expect((await addToSandboxWallet(phone, cardId, cardExt)).ok).toBe(true)
    await eventually(async () => (await row(coupon.id)).in_wallet === 1)
    expect(await walletAdds(coupon.id)).toHaveLength(1)
    // The sandbox writes down the delivery once it has Kaquan's answer, after Kaquan's commit.
    await eventually(async () => (await since(before))[0]?.done_at_ms != null)
    const [d] = await since(before)
    expect(d).toMatchObject({ url: `${t.url}/wechatpay/notify`, delivered: 1 })
  })

  it.each([
    ['twice (the same notification id)', 'twice'],
    ['badly signed first', 'badsig'],
    ['as a signature probe first', 'probe'],
    ['stale first', 'stale'],
  ])('still records one wallet add when it comes %s', async (_n, mode) => {
    const { phone, coupon, cardId, cardExt } = await busifavorClaim(t)
    const before = await deliveries()
    await planFault(t, 'wxpay:notify', mode, 1)
    expect((await addToSandboxWallet(phone, cardId, cardExt)).ok).toBe(true)
    await eventually(async () => (await row(coupon.id)).in_wallet === 1, 5000)
    const mine = await since(before)
    expect(mine).toHaveLength(1)
    await eventually(async () => {
      const d = await sandboxDb(t.database.db)
        .selectFrom('sandbox_wxpay_deliveries')
        .selectAll()
        .where('id', '=', mine[0]!.id)
        .executeTakeFirstOrThrow()
      return d.done_at_ms !== null
    })
    const d = await sandboxDb(t.database.db)
      .selectFrom('sandbox_wxpay_deliveries')
      .selectAll()
      .where('id', '=', mine[0]!.id)
      .executeTakeFirstOrThrow()
    // A refused first try is sent again, well signed; a duplicate is answered and ignored.
    expect(d.attempts).toBe(mode === 'twice' ? 1 : 2)
    if (mode === 'twice') expect(d.last_status).toBe('204+204')
    expect(await walletAdds(coupon.id)).toHaveLength(1)
  })

  it('survives the app closing: a retry still due is delivered by the next app on the database', async () => {
    const own = await startTestApp({ database: t.database, clock: t.clock })
    const { phone, coupon, cardId, cardExt } = await busifavorClaim(t, new Phone(own.url))
    const before = await deliveries()
    // Refused once (stale), so a retry is due a second later, after this app has closed.
    await planFault(t, 'wxpay:notify', 'stale', 1)
    expect((await addToSandboxWallet(phone, cardId, cardExt)).ok).toBe(true)
    await own.close()
    const [pending] = await since(before)
    expect(pending).toMatchObject({ url: `${t.url}/wechatpay/notify`, done_at_ms: null, delivered: 0 })
    expect((await row(coupon.id)).in_wallet).toBe(0)
    const next = await startTestApp({ database: t.database, clock: t.clock })
    try {
      await eventually(async () => (await row(coupon.id)).in_wallet === 1, 5000)
    } finally {
      await next.close()
    }
    expect(await walletAdds(coupon.id)).toHaveLength(1)
  })

  it('never arrives when lost; the page’s report still records the add', async () => {
    const { phone, coupon, cardId, cardExt } = await busifavorClaim(t)
    const before = await deliveries()
    await planFault(t, 'wxpay:notify', 'lost', 1)
    expect((await addToSandboxWallet(phone, cardId, cardExt)).ok).toBe(true)
    expect(await since(before)).toEqual([])
    expect((await row(coupon.id)).in_wallet).toBe(0)
    expect((await phone.post(`/api/coupons/${coupon.id}/wallet`, {})).status).toBe(200)
    expect(await walletAdds(coupon.id)).toHaveLength(1)
  })
})
