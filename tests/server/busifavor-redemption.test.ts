/**
 * A 商家券 redeemed at the counter is used in WeChat Pay exactly once, through the outbox, whatever
 * WeChat Pay does meanwhile (a 500, the change made but a 500 answered, no answer, a bad signature)
 * and across restarts; one already used in WeChat Pay is refused; one that never went to the wallet
 * redeems as an H5 coupon without a WeChat Pay call.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { sandboxDb } from '../../src/server/sandbox/schema.ts'
import { planFault, startTestApp, type TestApp, wxCalls } from '../helpers/app.ts'
import { clerkPhone } from '../helpers/clerk.ts'
import type { Phone } from '../helpers/phone.ts'
import { addToSandboxWallet, eventually } from '../helpers/wallet.ts'
import {
  busifavorClaim,
  busifavorInWallet,
  chinaTime,
  couponSend,
  demoStockId,
  payClient,
  postCallback,
} from '../helpers/wxpay.ts'

const USE = 'wxpay:/v3/marketing/busifavor/coupons/use'
const QUERY = 'wxpay:/v3/marketing/busifavor/users/{openid}/coupons/{coupon_code}/appids/{appid}'

let t: TestApp
let clerk: Phone
let stockId: string
beforeAll(async () => {
  t = await startTestApp({ outboxIntervalMs: 0 })
  clerk = await clerkPhone(t, 'nanjingxilu')
  stockId = await demoStockId(t)
})
afterAll(async () => {
  await t.close()
})
afterEach(async () => {
  await fetch(`${t.url}/__wx/faults`, { method: 'DELETE' })
})

const redeem = (code: string) => clerk.post('/api/redeem', { code, storeId: 'nanjingxilu' })
const inPay = (code: string) =>
  sandboxDb(t.database.db)
    .selectFrom('sandbox_wxpay_coupons')
    .selectAll()
    .where('coupon_code', '=', code)
    .executeTakeFirstOrThrow()
/** What WeChat Pay recorded as redemptions of this code: each is a coupons/use that took effect. */
const uses = (code: string) =>
  sandboxDb(t.database.db).selectFrom('sandbox_wxpay_uses').selectAll().where('coupon_code', '=', code).execute()
const outbox = (couponId: string) =>
  t.database.db.selectFrom('wx_outbox').selectAll().where('coupon_id', '=', couponId).execute()
const payCalls = async (api: string) => (await wxCalls(t))[api] ?? 0

describe('redeeming a 商家券 that is in the wallet', () => {
  it('asks WeChat Pay first, redeems, and the outbox uses it there once with the use_request_no fixed at insert', async () => {
    const { coupon } = await busifavorInWallet(t)
    const asked = await payCalls(QUERY)
    const res = await redeem(coupon.code)
    expect(res.status).toBe(200)
    expect(res.json.walletSync).toBe('queued')
    expect(await payCalls(QUERY)).toBe(asked + 1)
    const [row] = await outbox(coupon.id)
    expect(row).toMatchObject({ kind: 'busifavor_use', done_at: null })
    const payload = JSON.parse(row!.payload)
    expect(payload).toMatchObject({ code: coupon.code, stock_id: stockId })
    expect(payload.use_request_no).toMatch(/^[0-9A-Za-z]{1,32}$/)
    expect(await t.app.outbox.runOnce()).toBe(1)
    expect(await inPay(coupon.code)).toMatchObject({ state: 'USED', use_request_no: payload.use_request_no })
    expect(await uses(coupon.code)).toHaveLength(1)
    expect((await outbox(coupon.id))[0]!.done_at).not.toBeNull()
  })

  it.each([
    ['500 SYSTEM_ERROR', 'SYSTEM_ERROR'],
    ['the change made but 500 answered (afterEffect)', 'afterEffect'],
    ['no answer at all (hang)', 'hang'],
    ['a badly signed answer', 'badsig'],
    ['429', '429'],
  ])('uses it exactly once through %s, retrying with the same use_request_no', async (_n, mode) => {
    const { coupon } = await busifavorInWallet(t)
    expect((await redeem(coupon.code)).status).toBe(200)
    const before = await payCalls(USE)
    await planFault(t, USE, mode, 1000)
    expect(await t.app.outbox.runOnce()).toBe(0)
    const [pending] = await outbox(coupon.id)
    expect(pending!.done_at).toBeNull()
    expect(pending!.attempts).toBe(1)
    await fetch(`${t.url}/__wx/faults`, { method: 'DELETE' })
    t.clock.advance(60)
    try {
      expect(await t.app.outbox.runOnce()).toBe(1)
    } finally {
      t.clock.advance(-60)
    }
    expect(await payCalls(USE)).toBeGreaterThan(before + 1)
    const used = await uses(coupon.code)
    expect(used).toHaveLength(1)
    expect(used[0]!.use_request_no).toBe(JSON.parse(pending!.payload).use_request_no)
    expect((await inPay(coupon.code)).state).toBe('USED')
    // Our own use, not mistaken for someone else's.
    expect((await outbox(coupon.id))[0]!.last_error ?? '').not.toMatch(/already used/)
    // Delivered is finished: later passes never call WeChat Pay for it again.
    const after = await payCalls(USE)
    t.clock.advance(3600)
    expect(await t.app.outbox.runOnce()).toBe(0)
    t.clock.advance(-3600)
    expect(await payCalls(USE)).toBe(after)
  })

  it('is delivered by a second app on the same database after the first one gave up', async () => {
    const { coupon } = await busifavorInWallet(t)
    expect((await redeem(coupon.code)).status).toBe(200)
    await planFault(t, USE, 'afterEffect', 1000)
    expect(await t.app.outbox.runOnce()).toBe(0)
    await fetch(`${t.url}/__wx/faults`, { method: 'DELETE' })
    // The first answer was lost but WeChat Pay has it; the new process must tell it was ours.
    expect((await inPay(coupon.code)).state).toBe('USED')
    const restarted = await startTestApp({ database: t.database, clock: t.clock, outboxIntervalMs: 50 })
    try {
      t.clock.advance(60)
      await eventually(async () => (await outbox(coupon.id))[0]!.done_at !== null, 5000)
    } finally {
      t.clock.advance(-60)
      await restarted.close()
    }
    expect(await uses(coupon.code)).toHaveLength(1)
    expect((await outbox(coupon.id))[0]!.last_error ?? '').not.toContain('already used')
  })

  it('is refused at the counter when WeChat Pay says it was used already, and recorded as used there', async () => {
    const { coupon, openid } = await busifavorInWallet(t)
    const elsewhere = await payClient(t).useCoupon({
      stockId,
      code: coupon.code,
      useRequestNo: 'ElsewhereUse0001',
      useTime: t.clock.now(),
      appid: t.config.wx.appId,
      openid,
    })
    expect(elsewhere.kind).toBe('used')
    const res = await redeem(coupon.code)
    expect(res.status).toBe(409)
    expect(res.json.error).toMatchObject({ code: 'already_redeemed', source: 'wechat' })
    const c = await t.database.db
      .selectFrom('coupons')
      .selectAll()
      .where('id', '=', coupon.id)
      .executeTakeFirstOrThrow()
    expect(c.redeemed_source).toBe('wechat')
    expect(await outbox(coupon.id)).toEqual([])
    expect((await redeem(coupon.code)).json.error.code).toBe('already_redeemed')
  })

  it('redeems as an H5 coupon, with no WeChat Pay use, when the user deleted it from the wallet', async () => {
    const { phone, coupon } = await busifavorInWallet(t)
    expect((await phone.post('/__wx/bridge/wallet/delete', { code: coupon.code })).json.ok).toBe(true)
    const res = await redeem(coupon.code)
    expect(res.status).toBe(200)
    expect(res.json.walletSync).toBeNull()
    expect(res.json.coupon.inWallet).toBe(false)
    expect(await outbox(coupon.id)).toEqual([])
    expect((await inPay(coupon.code)).state).toBe('DELETED')
  })

  it('keeps it out of the wallet when WeChat Pay’s COUPON.SEND for it arrives after the counter found it deleted', async () => {
    const { phone, coupon, openid } = await busifavorInWallet(t)
    const sentAt = t.clock.now()
    t.clock.advance(20)
    expect((await phone.post('/__wx/bridge/wallet/delete', { code: coupon.code })).json.ok).toBe(true)
    expect((await redeem(coupon.code)).json.coupon.inWallet).toBe(false)
    // WeChat Pay's callback of the add, retried until now, is old news.
    const late = await couponSend(t, {
      stock_id: stockId,
      coupon_code: coupon.code,
      openid,
      send_time: chinaTime(sentAt),
    })
    expect((await postCallback(t, late)).status).toBe(204)
    const { in_wallet } = await t.database.db
      .selectFrom('coupons')
      .select('in_wallet')
      .where('id', '=', coupon.id)
      .executeTakeFirstOrThrow()
    expect(in_wallet).toBe(0)
    expect(await outbox(coupon.id)).toEqual([])
  })

  it.each([
    ['EXPIRED', { expire_time: 1 }],
    ['DEACTIVATED', { state: 'DEACTIVATED' as const }],
  ])('redeems as an H5 coupon when WeChat Pay says %s', async (_state, change) => {
    const { coupon } = await busifavorInWallet(t)
    await sandboxDb(t.database.db)
      .updateTable('sandbox_wxpay_coupons')
      .set(change)
      .where('coupon_code', '=', coupon.code)
      .execute()
    const res = await redeem(coupon.code)
    expect(res.status).toBe(200)
    expect(res.json.walletSync).toBeNull()
    expect(await outbox(coupon.id)).toEqual([])
  })

  it('redeems when WeChat Pay does not answer in time, and the outbox uses it later', async () => {
    const { coupon } = await busifavorInWallet(t)
    await planFault(t, QUERY, 'hang', 10)
    const res = await redeem(coupon.code)
    expect(res.status).toBe(200)
    expect(res.json.walletSync).toBe('unconfirmed')
    await fetch(`${t.url}/__wx/faults`, { method: 'DELETE' })
    expect(await t.app.outbox.runOnce()).toBe(1)
    expect((await inPay(coupon.code)).state).toBe('USED')
  })

  it('gives one success to 40 concurrent redemptions at five counters, and one use in WeChat Pay', async () => {
    const { coupon } = await busifavorInWallet(t)
    // Five clerks, so no one clerk's wrong-code budget (guesses.ts) is what answers.
    const clerks = await Promise.all([1, 2, 3, 4, 5].map(() => clerkPhone(t, 'nanjingxilu')))
    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        clerks[i % 5]!.post('/api/redeem', { code: coupon.code, storeId: 'nanjingxilu' }).then(r => r.status),
      ),
    )
    expect(statuses.filter(s => s === 200)).toHaveLength(1)
    expect(statuses.filter(s => s === 409)).toHaveLength(39)
    expect(await outbox(coupon.id)).toHaveLength(1)
    await t.app.outbox.runOnce()
    expect(await uses(coupon.code)).toHaveLength(1)
  })
})

describe('a 商家券 outside the wallet', () => {
  it('redeems as an H5 coupon with no WeChat Pay call when it never went to the wallet', async () => {
    const phone = await busifavorClaim(t).then(c => c.phone)
    const fresh = (
      await phone.post('/api/offers/americano-5off/claim', {}, { 'idempotency-key': `k-fresh-${Date.now()}` })
    ).json.coupon
    const before = await wxCalls(t)
    const res = await redeem(fresh.code)
    expect(res.status).toBe(200)
    expect(res.json.walletSync).toBeNull()
    expect(await wxCalls(t)).toEqual(before)
    expect(await outbox(fresh.id)).toEqual([])
  })

  it('is asked about when a cardExt was signed, and used in WeChat Pay when both wallet reports were lost', async () => {
    const { phone, coupon, cardId, cardExt } = await busifavorClaim(t)
    // Neither the callback (none is set in this file) nor the page's report reaches Kaquan.
    expect((await addToSandboxWallet(phone, cardId, cardExt)).ok).toBe(true)
    const res = await redeem(coupon.code)
    expect(res.status).toBe(200)
    expect(res.json.walletSync).toBe('queued')
    await t.app.outbox.runOnce()
    expect((await inPay(coupon.code)).state).toBe('USED')
  })

  it('is used in WeChat Pay too when it reaches the wallet after the counter redeemed it', async () => {
    const { phone, coupon, cardId, cardExt } = await busifavorClaim(t)
    // The sheet is open while the clerk redeems: WeChat Pay doesn't hold it yet, so the counter asks in vain.
    expect((await redeem(coupon.code)).status).toBe(200)
    expect((await addToSandboxWallet(phone, cardId, cardExt)).ok).toBe(true)
    expect((await phone.post(`/api/coupons/${coupon.id}/wallet`, {})).status).toBe(200)
    expect((await outbox(coupon.id))[0]).toMatchObject({ kind: 'busifavor_use' })
    await t.app.outbox.runOnce()
    expect((await inPay(coupon.code)).state).toBe('USED')
  })
})
