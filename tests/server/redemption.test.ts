import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_CARD_ID } from '../../src/server/sandbox/seed.ts'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { usingPostgres } from '../helpers/db.ts'
import { clerkPhone, inviteUrl } from '../helpers/clerk.ts'
import { newKey, Phone } from '../helpers/phone.ts'
import { addToSandboxWallet, eventually } from '../helpers/wallet.ts'
import { sandboxDb } from '../../src/server/sandbox/schema.ts'
import { guessWindow } from '../../src/server/redemption/guesses.ts'
import { couponAtCounter, redeem as redeemAtCounter } from '../../src/server/redemption/service.ts'

let t: TestApp
let clerkA: Phone
beforeAll(async () => {
  t = await startTestApp({ outboxIntervalMs: 0 })
  clerkA = await clerkPhone(t, 'nanjingxilu')
})
afterAll(async () => {
  await t.close()
})

async function claim(offer = 'all-88') {
  const phone = new Phone(t.url)
  await phone.login()
  const coupon = (await phone.post(`/api/offers/${offer}/claim`, {}, { 'idempotency-key': newKey() })).json.coupon
  return { phone, coupon }
}
const redeem = (p: Phone, code: string, storeId = 'nanjingxilu') => p.post('/api/redeem', { code, storeId })
const redeemEvents = (couponId: string) =>
  t.database.db
    .selectFrom('events')
    .selectAll()
    .where('coupon_id', '=', couponId)
    .where('type', '=', 'redeem')
    .execute()

describe('clerk invites', () => {
  it('binds the WeChat user who opens the link as a clerk of that store', async () => {
    const me = await clerkA.get('/api/clerk/me')
    expect(me.status).toBe(200)
    expect(me.json.stores.map((s: { id: string }) => s.id)).toEqual(['nanjingxilu'])
  })

  it('is single use: a second person is refused clearly', async () => {
    const url = new URL(await inviteUrl(t, 'jingansi'))
    const a = new Phone(t.url)
    await a.login()
    expect((await a.get(url.pathname + url.search)).location).toBe('/clerk?store=jingansi')
    const b = new Phone(t.url)
    await b.login()
    const res = await b.get(url.pathname + url.search)
    expect(res.status).toBe(409)
    expect(res.body).toContain('已被使用')
    expect((await b.get('/api/clerk/me')).status).toBe(403)
  })

  it('expires', async () => {
    const url = new URL(await inviteUrl(t, 'jingansi', 5))
    t.clock.advance(5 * 60)
    const p = new Phone(t.url)
    await p.login()
    const res = await p.get(url.pathname + url.search)
    t.clock.advance(-5 * 60)
    expect(res.status).toBe(409)
    expect(res.body).toContain('已过期')
  })

  it('refuses a forged invite', async () => {
    const p = new Phone(t.url)
    await p.login()
    const res = await p.get('/clerk/join?invite=ForgedForgedForgedForgedForged12')
    expect(res.status).toBe(400)
    expect(res.body).toContain('邀请链接无效')
  })

  it('needs the admin token to make invites', async () => {
    const res = await fetch(`${t.url}/api/admin/stores/nanjingxilu/clerk-invites`, {
      method: 'POST',
      headers: { authorization: 'Bearer wrong', 'content-type': 'application/json' },
      body: '{}',
    })
    expect(res.status).toBe(401)
  })

  it('lets an admin list and revoke clerks; a revoked clerk can no longer redeem', async () => {
    const clerk = await clerkPhone(t, 'jingansi')
    const admin = { authorization: `Bearer ${t.config.adminToken}` }
    const list = (await (await fetch(`${t.url}/api/admin/stores/jingansi/clerks`, { headers: admin })).json()) as any
    const id = list.clerks.at(-1).id
    expect((await fetch(`${t.url}/api/admin/clerks/${id}`, { method: 'DELETE', headers: admin })).status).toBe(204)
    const { coupon } = await claim()
    // Revoking ends the clerk's sessions; logged in again, the person is no clerk of the store.
    expect((await redeem(clerk, coupon.code, 'jingansi')).status).toBe(401)
    t.clock.advance(1)
    await clerk.login('/clerk')
    expect((await redeem(clerk, coupon.code, 'jingansi')).status).toBe(403)
  })
})

describe('redeeming a code', () => {
  it('redeems once, then refuses with already_redeemed saying when and where', async () => {
    const { phone, coupon } = await claim()
    const ok = await redeem(clerkA, coupon.code)
    expect(ok.status).toBe(200)
    expect(ok.json.coupon.status).toBe('redeemed')
    expect(ok.json.storeId).toBe('nanjingxilu')
    expect(ok.json.consumer).toMatch(/\*\*|微信用户/)
    const again = await redeem(clerkA, coupon.code.replace(/(\d{4})/g, '$1 '))
    expect(again.status).toBe(409)
    expect(again.json.error).toMatchObject({
      code: 'already_redeemed',
      store: { id: 'nanjingxilu', name: '南京西路店' },
    })
    expect(again.json.error.redeemedAt).toBe(ok.json.redeemedAt)
    const mine = (await phone.get(`/api/coupons/${coupon.id}`)).json.coupon
    expect(mine.status).toBe('redeemed')
    expect(mine.redeemedStore.name).toBe('南京西路店')
  })

  it('answers 403 to someone who is not a clerk of that store', async () => {
    const { phone, coupon } = await claim()
    expect((await redeem(phone, coupon.code)).status).toBe(403)
    expect((await redeem(clerkA, coupon.code, 'jingansi')).status).toBe(403)
  })

  it.each([
    ['a well-formed code nobody holds', '1234567890123455'],
    ['a code with a wrong check digit', '1234567890123456'],
    ['letters', 'abcdefghijklmnop'],
  ])('answers 404 unknown_code for %s', async (_n, code) => {
    const res = await redeem(clerkA, code)
    expect(res.status).toBe(404)
    expect(res.json.error.code).toBe('unknown_code')
  })

  it('refuses a coupon valid only at another store with not_valid_at_store', async () => {
    const clerkB = await clerkPhone(t, 'jingansi')
    const { coupon } = await claim('cookie-gift')
    const res = await redeem(clerkB, coupon.code, 'jingansi')
    expect(res.status).toBe(409)
    expect(res.json.error.code).toBe('not_valid_at_store')
    expect((await redeem(clerkA, coupon.code)).status).toBe(200)
  })

  it('refuses an expired coupon and one not yet valid', async () => {
    const { coupon } = await claim()
    await t.database.db.updateTable('coupons').set({ valid_to: t.clock.now() }).where('id', '=', coupon.id).execute()
    const late = await redeem(clerkA, coupon.code)
    expect(late.status).toBe(409)
    expect(late.json.error.code).toBe('expired')
    const now = t.clock.now()
    await t.database.db
      .insertInto('offers')
      .values({
        id: 'future-valid',
        merchant_id: 'shanchuan',
        title: '下月可用',
        kind: 'cash',
        value_fen: 500,
        threshold_fen: 0,
        discount_percent: null,
        gift_name: null,
        description: '',
        rules: '',
        image_url: null,
        stock_total: 10,
        stock_left: 10,
        per_user_limit: 1,
        starts_at: now - 10,
        ends_at: now + 86_400,
        validity_type: 'fixed',
        valid_from: now + 86_400,
        valid_to: now + 30 * 86_400,
        valid_days: null,
        all_stores: 1,
        wx_card_id: null,
        created_at: now,
      })
      .execute()
    const early = await claim('future-valid')
    const res = await redeem(clerkA, early.coupon.code)
    expect(res.status).toBe(409)
    expect(res.json.error.code).toBe('not_yet_valid')
  })

  it('refuses another merchant’s coupon', async () => {
    const now = t.clock.now()
    await t.database.db
      .insertInto('merchants')
      .values({ id: 'other', name: '别家', logo_url: null, created_at: now })
      .execute()
    await t.database.db
      .insertInto('stores')
      .values({ id: 'other-store', merchant_id: 'other', name: '别家店', address: '某处', created_at: now })
      .execute()
    const otherClerk = await clerkPhone(t, 'other-store')
    const { coupon } = await claim()
    const res = await redeem(otherClerk, coupon.code, 'other-store')
    expect(res.status).toBe(409)
    expect(res.json.error.code).toBe('other_merchant')
  })

  it('slows down a clerk who keeps typing wrong codes', async () => {
    const clerk = await clerkPhone(t, 'nanjingxilu')
    const statuses: number[] = []
    for (let i = 0; i < 12; i++) statuses.push((await redeem(clerk, '1234567890123455')).status)
    expect(statuses.slice(0, 10).every(s => s === 404)).toBe(true)
    expect(statuses.slice(10)).toEqual([429, 429])
  })

  it('lists today’s redemptions at the store', async () => {
    const { coupon } = await claim()
    await redeem(clerkA, coupon.code)
    const res = await clerkA.get('/api/clerk/redemptions?store=nanjingxilu')
    expect(res.json.redemptions.map((r: { couponId: string }) => r.couponId)).toContain(coupon.id)
  })
})

describe('redemptions under concurrency', () => {
  it('gives exactly one success to 200 concurrent redemptions of one code', async () => {
    const { coupon } = await claim()
    const cookie = clerkA.cookieHeader()
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        fetch(`${t.url}/api/redeem`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json' },
          body: JSON.stringify({ code: coupon.code, storeId: 'nanjingxilu' }),
        }).then(async r => ({ status: r.status, body: (await r.json()) as any })),
      ),
    )
    expect(results.filter(r => r.status === 200)).toHaveLength(1)
    const refused = results.filter(r => r.status === 409)
    expect(refused).toHaveLength(199)
    expect(refused.every(r => r.body.error.code === 'already_redeemed')).toBe(true)
    expect(await redeemEvents(coupon.id)).toHaveLength(1)
  })

  it('gives exactly one success across two server instances on one database', async () => {
    const second = await startTestApp({ database: t.database, clock: t.clock, outboxIntervalMs: 0 })
    try {
      const { coupon } = await claim()
      const cookie = clerkA.cookieHeader()
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          fetch(`${(i % 2 ? t : second).url}/api/redeem`, {
            method: 'POST',
            headers: { cookie, 'content-type': 'application/json' },
            body: JSON.stringify({ code: coupon.code, storeId: 'nanjingxilu' }),
          }).then(r => r.status),
        ),
      )
      expect(results.filter(s => s === 200)).toHaveLength(1)
      expect(results.filter(s => s === 409)).toHaveLength(99)
    } finally {
      await second.close()
    }
  })
})

describe('the wallet follows a redemption', () => {
  async function addToWallet(phone: Phone, coupon: { id: string }) {
    const { cardExt } = (await phone.get(`/api/coupons/${coupon.id}/card-ext`)).json
    const added = await addToSandboxWallet(phone, DEMO_CARD_ID, cardExt)
    if (!added.ok) throw new Error(added.reason)
    await phone.post(`/api/coupons/${coupon.id}/wallet`, { encryptCode: added.list[0]!.code })
  }
  async function walletCoupon() {
    const { phone, coupon } = await claim('latte-10off')
    await addToWallet(phone, coupon)
    return { phone, coupon }
  }
  const walletStatus = async (code: string) =>
    (
      await sandboxDb(t.database.db)
        .selectFrom('sandbox_wallet')
        .select('status')
        .where('code', '=', code)
        .executeTakeFirstOrThrow()
    ).status
  const consumeCalls = async () =>
    (
      await sandboxDb(t.database.db)
        .selectFrom('sandbox_calls')
        .select('count')
        .where('api', '=', '/card/code/consume')
        .executeTakeFirst()
    )?.count ?? 0

  it('never leaves a usable wallet copy of a coupon added to the wallet as the counter redeems it', async () => {
    const { phone, coupon } = await claim('latte-10off')
    const clerkUserId = (await clerkA.get('/api/me')).json.user.id as string
    const now = t.clock.now()
    const ask = { clerkUserId, storeId: 'nanjingxilu', misses: guessWindow(clerkUserId), now }
    const at = await couponAtCounter(t.database.db, coupon.code, ask)
    expect(at?.coupon.in_wallet).toBe(0)
    if (usingPostgres) {
      // One statement reads and redeems an H5-only coupon: there is no moment for a wallet add to
      // slip into, and one asked for afterwards is refused.
      expect(at?.taken).toBe(true)
      expect((await phone.get(`/api/coupons/${coupon.id}/card-ext`)).json.error.code).toBe('already_redeemed')
      return
    }
    expect(at?.taken).toBe(false)
    await addToWallet(phone, coupon)
    const input = {
      storeId: 'nanjingxilu',
      clerkUserId,
      merchantId: at!.coupon.merchant_id,
      wallet: 'not_in_wallet' as const,
    }
    const done = await redeemAtCounter(t.database.db, input, now, at!)
    expect(done).toMatchObject({ redeemed_at: now, in_wallet: 1 })
    const queued = await t.database.db
      .selectFrom('wx_outbox')
      .select('kind')
      .where('coupon_id', '=', coupon.id)
      .execute()
    expect(queued).toEqual([{ kind: 'consume' }])
    expect(await t.app.outbox.runOnce()).toBe(1)
    expect(await walletStatus(coupon.code)).toBe('CONSUMED')
    expect(await redeemEvents(coupon.id)).toHaveLength(1)
  })

  it('consumes the card in WeChat exactly once, after -1, 40001 and a hang clear', async () => {
    const { coupon } = await walletCoupon()
    expect((await redeem(clerkA, coupon.code)).status).toBe(200)
    const before = Number(await consumeCalls())
    const fault = (mode: string, count: number) =>
      fetch(`${t.url}/__wx/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ target: '/card/code/consume', mode, count }),
      })
    await fault('-1', 1000)
    expect(await t.app.outbox.runOnce()).toBe(0)
    expect(await walletStatus(coupon.code)).toBe('NORMAL')
    await fault('hang', 1000)
    t.clock.advance(60)
    expect(await t.app.outbox.runOnce()).toBe(0)
    expect(await walletStatus(coupon.code)).toBe('NORMAL')
    await fault('40001', 1)
    t.clock.advance(60)
    expect(await t.app.outbox.runOnce()).toBe(1)
    t.clock.advance(-120)
    const consumedAt = await sandboxDb(t.database.db)
      .selectFrom('sandbox_wallet')
      .select(['status', 'consumed_at'])
      .where('code', '=', coupon.code)
      .executeTakeFirstOrThrow()
    expect(consumedAt.status).toBe('CONSUMED')
    expect(Number(await consumeCalls()) - before).toBeGreaterThanOrEqual(4)
    // Delivered means finished: later passes, however late, never call WeChat for it again.
    const afterDelivery = Number(await consumeCalls())
    t.clock.advance(3600)
    expect(await t.app.outbox.runOnce()).toBe(0)
    expect(await t.app.outbox.runOnce()).toBe(0)
    t.clock.advance(-3600)
    expect(Number(await consumeCalls())).toBe(afterDelivery)
    const row = await t.database.db
      .selectFrom('wx_outbox')
      .selectAll()
      .where('coupon_id', '=', coupon.id)
      .executeTakeFirstOrThrow()
    expect(row.done_at).not.toBeNull()
    expect(row.attempts).toBe(2)
  })

  it('delivers after a server restart', async () => {
    const { coupon } = await walletCoupon()
    expect((await redeem(clerkA, coupon.code)).status).toBe(200)
    await fetch(`${t.url}/__wx/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target: '/card/code/consume', mode: '-1', count: 1000 }),
    })
    expect(await t.app.outbox.runOnce()).toBe(0)
    await fetch(`${t.url}/__wx/faults`, { method: 'DELETE' })
    // A new process on the same database, with its worker running, picks the row up.
    const restarted = await startTestApp({ database: t.database, clock: t.clock, outboxIntervalMs: 50 })
    try {
      t.clock.advance(60)
      await eventually(async () => (await walletStatus(coupon.code)) === 'CONSUMED', 5000)
    } finally {
      t.clock.advance(-60)
      await restarted.close()
    }
  })

  it('marks the coupon redeemed once when WeChat’s own tools consume it', async () => {
    const { phone, coupon } = await walletCoupon()
    const res = await phone.post('/__wx/bridge/wallet/consume', { code: coupon.code })
    expect(res.json.ok).toBe(true)
    const c = (await phone.get(`/api/coupons/${coupon.id}`)).json.coupon
    expect(c.status).toBe('redeemed')
    const row = await t.database.db
      .selectFrom('coupons')
      .selectAll()
      .where('id', '=', coupon.id)
      .executeTakeFirstOrThrow()
    expect(row.redeemed_source).toBe('wechat')
    expect(await redeemEvents(coupon.id)).toHaveLength(1)
    expect((await redeem(clerkA, coupon.code)).json.error.code).toBe('already_redeemed')
    const outbox = await t.database.db.selectFrom('wx_outbox').selectAll().where('coupon_id', '=', coupon.id).execute()
    expect(outbox).toHaveLength(0)
  })
})
