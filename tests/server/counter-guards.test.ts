/**
 * The counter's guards that protect money: the wrong-code limit holds under concurrency and
 * across processes (it lives in the database), and a wallet coupon already consumed in WeChat
 * is refused, not redeemed a second time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeCode } from '../../src/shared/code.ts'
import { claimCoupon } from '../../src/server/coupons/service.ts'
import { GUESS_LIMIT } from '../../src/server/redemption/guesses.ts'
import { newId } from '../../src/server/random.ts'
import { sandboxDb } from '../../src/server/sandbox/schema.ts'
import { DEMO_CARD_ID } from '../../src/server/sandbox/seed.ts'
import { planFault, startTestApp, type TestApp, wxCalls } from '../helpers/app.ts'
import { clerkPhone } from '../helpers/clerk.ts'
import { newKey, Phone } from '../helpers/phone.ts'
import { addToSandboxWallet, eventually } from '../helpers/wallet.ts'
import { OfferCatalog } from '../../src/server/offers/catalog.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ outboxIntervalMs: 0 })
})
afterAll(async () => {
  await t.close()
})

let seq = 0
const digit = () => (seq++ * 7 + 3) % 10
/** Well-formed codes (right length and check digit) that no coupon has. */
const unknownCodes = (n: number) => Array.from({ length: n }, () => makeCode(digit))
const redeemAt = (base: string, clerk: Phone, code: string) =>
  fetch(`${base}/api/redeem`, {
    method: 'POST',
    headers: { cookie: clerk.cookieHeader(), 'content-type': 'application/json' },
    body: JSON.stringify({ code, storeId: 'nanjingxilu' }),
  }).then(async r => ({ status: r.status, json: (await r.json()) as any }))

describe('the wrong-code limit', () => {
  it(`lets exactly ${GUESS_LIMIT} of 60 concurrent wrong codes through, the rest 429`, async () => {
    const clerk = await clerkPhone(t, 'nanjingxilu')
    const answers = await Promise.all(unknownCodes(60).map(code => redeemAt(t.url, clerk, code)))
    expect(answers.filter(a => a.status === 404)).toHaveLength(GUESS_LIMIT)
    expect(answers.filter(a => a.status === 429)).toHaveLength(60 - GUESS_LIMIT)
    expect(answers.find(a => a.status === 429)!.json.error.code).toBe('rate_limited')
  })

  it('holds across two server instances sharing the database', async () => {
    const second = await startTestApp({ database: t.database, clock: t.clock })
    try {
      const clerk = await clerkPhone(t, 'nanjingxilu')
      const answers = await Promise.all(
        unknownCodes(40).map((code, i) => redeemAt((i % 2 ? t : second).url, clerk, code)),
      )
      expect(answers.filter(a => a.status === 404)).toHaveLength(GUESS_LIMIT)
      expect(answers.filter(a => a.status === 429)).toHaveLength(40 - GUESS_LIMIT)
    } finally {
      await second.close()
    }
  })

  it('counts another merchant’s code as a miss, and gives real codes their try back', async () => {
    const db = t.database.db
    const now = t.clock.now()
    await db
      .insertInto('merchants')
      .values({ id: 'elsewhere', name: '别家', logo_url: null, created_at: now })
      .execute()
    await db
      .insertInto('offers')
      .values({
        ...(await db.selectFrom('offers').selectAll().where('id', '=', 'all-88').executeTakeFirstOrThrow()),
        id: 'elsewhere-offer',
        merchant_id: 'elsewhere',
      })
      .execute()
    const consumer = new Phone(t.url)
    await consumer.login()
    const me = (await consumer.get('/api/me')).json.user
    const foreign = await claimCoupon(
      new OfferCatalog(db),
      { offerId: 'elsewhere-offer', userId: me.id, key: newId(), attribution: {} },
      now,
    )
    const own = async () =>
      (await consumer.post('/api/offers/all-88/claim', {}, { 'idempotency-key': newKey() })).json.coupon.code as string

    const clerk = await clerkPhone(t, 'nanjingxilu')
    for (let i = 0; i < GUESS_LIMIT - 1; i++)
      expect((await redeemAt(t.url, clerk, foreign.coupon.code)).status).toBe(409)
    // Real coupons of this merchant don't use up the budget, whatever their answer.
    const real = await own()
    expect((await redeemAt(t.url, clerk, real)).status).toBe(200)
    expect((await redeemAt(t.url, clerk, real)).json.error.code).toBe('already_redeemed')
    expect((await redeemAt(t.url, clerk, unknownCodes(1)[0]!)).status).toBe(404)
    expect((await redeemAt(t.url, clerk, unknownCodes(1)[0]!)).status).toBe(429)
  })
})

describe('a wallet coupon at the counter', () => {
  async function walletCoupon() {
    const phone = new Phone(t.url)
    await phone.login()
    const coupon = (await phone.post('/api/offers/latte-10off/claim', {}, { 'idempotency-key': newKey() })).json.coupon
    const { cardExt } = (await phone.get(`/api/coupons/${coupon.id}/card-ext`)).json
    const added = await addToSandboxWallet(phone, DEMO_CARD_ID, cardExt)
    if (!added.ok) throw new Error(added.reason)
    await phone.post(`/api/coupons/${coupon.id}/wallet`, { encryptCode: added.list[0]!.code })
    return { phone, coupon }
  }
  const outboxRows = (couponId: string) =>
    t.database.db.selectFrom('wx_outbox').selectAll().where('coupon_id', '=', couponId).execute()

  it('is refused when WeChat already consumed it and the push never came', async () => {
    const { phone, coupon } = await walletCoupon()
    // Consumed with WeChat's own tools while its push to Kaquan is lost.
    await planFault(t, 'push:user_consume_card', 'fail')
    expect((await phone.post('/__wx/bridge/wallet/consume', { code: coupon.code })).json.ok).toBe(false)
    const clerk = await clerkPhone(t, 'nanjingxilu')
    const first = await redeemAt(t.url, clerk, coupon.code)
    expect(first.status).toBe(409)
    expect(first.json.error.code).toBe('already_redeemed')
    expect(first.json.error.source).toBe('wechat')
    // Recorded: Kaquan's coupon is now used too, and nothing is sent to WeChat.
    const row = await t.database.db
      .selectFrom('coupons')
      .selectAll()
      .where('id', '=', coupon.id)
      .executeTakeFirstOrThrow()
    expect([row.redeemed_source, row.redeemed_store_id]).toEqual(['wechat', null])
    expect((await phone.get(`/api/coupons/${coupon.id}`)).json.coupon.status).toBe('redeemed')
    expect(await outboxRows(coupon.id)).toEqual([])
    expect((await redeemAt(t.url, clerk, coupon.code)).json.error.code).toBe('already_redeemed')
  })

  it('is redeemed when WeChat holds it usable, and WeChat is told through the outbox', async () => {
    const { coupon } = await walletCoupon()
    const clerk = await clerkPhone(t, 'nanjingxilu')
    const r = await redeemAt(t.url, clerk, coupon.code)
    expect(r.status).toBe(200)
    expect(r.json.walletSync).toBe('queued')
    expect(await outboxRows(coupon.id)).toHaveLength(1)
    await t.app.outbox.runOnce()
    const status = async () =>
      (
        await sandboxDb(t.database.db)
          .selectFrom('sandbox_wallet')
          .select('status')
          .where('code', '=', coupon.code)
          .executeTakeFirstOrThrow()
      ).status
    expect(await status()).toBe('CONSUMED')
  })

  it('is finished in the outbox, not retried, when the card left the wallet after the counter asked', async () => {
    const { phone, coupon } = await walletCoupon()
    const clerk = await clerkPhone(t, 'nanjingxilu')
    expect((await redeemAt(t.url, clerk, coupon.code)).json.walletSync).toBe('queued')
    // Before the outbox runs, the user deletes the card: WeChat answers the consume with 40127.
    await planFault(t, 'push:user_del_card', 'fail')
    await phone.post('/__wx/bridge/wallet/delete', { code: coupon.code })
    await t.app.outbox.runOnce()
    const [row] = await outboxRows(coupon.id)
    expect(row!.done_at).not.toBeNull()
    expect(row!.last_error).toContain('40127')
    const consumes = (await wxCalls(t))['/card/code/consume'] ?? 0
    t.clock.advance(600)
    await t.app.outbox.runOnce()
    expect((await wxCalls(t))['/card/code/consume'] ?? 0).toBe(consumes)
    expect((await phone.get(`/api/coupons/${coupon.id}`)).json.coupon.status).toBe('redeemed')
  })

  it('is consumed in WeChat too when it reaches the wallet after the counter redeemed it', async () => {
    const phone = new Phone(t.url)
    await phone.login()
    const coupon = (await phone.post('/api/offers/latte-10off/claim', {}, { 'idempotency-key': newKey() })).json.coupon
    const { cardExt } = (await phone.get(`/api/coupons/${coupon.id}/card-ext`)).json
    // The add sheet is open while the clerk redeems: the coupon is not in the wallet yet.
    const clerk = await clerkPhone(t, 'nanjingxilu')
    expect((await redeemAt(t.url, clerk, coupon.code)).json.walletSync).toBeNull()
    const added = await addToSandboxWallet(phone, DEMO_CARD_ID, cardExt)
    if (!added.ok) throw new Error(added.reason)
    await phone.post(`/api/coupons/${coupon.id}/wallet`, { encryptCode: added.list[0]!.code })
    expect((await outboxRows(coupon.id)).map(r => r.kind)).toEqual(['consume'])
    await t.app.outbox.runOnce()
    const inWeChat = await sandboxDb(t.database.db)
      .selectFrom('sandbox_wallet')
      .select('status')
      .where('code', '=', coupon.code)
      .executeTakeFirstOrThrow()
    expect(inWeChat.status).toBe('CONSUMED')
  })

  it('is redeemed when WeChat does not answer in time, and says the wallet sync is pending', async () => {
    const { coupon } = await walletCoupon()
    const clerk = await clerkPhone(t, 'nanjingxilu')
    await planFault(t, '/card/code/get', 'hang')
    const r = await redeemAt(t.url, clerk, coupon.code)
    expect(r.status).toBe(200)
    expect(r.json.walletSync).toBe('unconfirmed')
    const rows = await outboxRows(coupon.id)
    expect(rows).toHaveLength(1)
    expect(rows[0]!.done_at).toBeNull()
  })

  it('is redeemed as an H5 coupon when the card left the wallet', async () => {
    const { phone, coupon } = await walletCoupon()
    await planFault(t, 'push:user_del_card', 'fail')
    const codes = (await phone.get('/__wx/bridge/wallet')).json.cards.map((c: { code: string }) => c.code)
    expect(codes).toContain(coupon.code)
    await phone.post('/__wx/bridge/wallet/delete', { code: coupon.code })
    const clerk = await clerkPhone(t, 'nanjingxilu')
    const r = await redeemAt(t.url, clerk, coupon.code)
    expect(r.status).toBe(200)
    expect(r.json.walletSync).toBeNull()
    expect(await outboxRows(coupon.id)).toEqual([])
    await eventually(async () => (await phone.get(`/api/coupons/${coupon.id}`)).json.coupon.inWallet === false)
  })
})
