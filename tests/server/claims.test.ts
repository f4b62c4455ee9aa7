import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isWellFormedCode } from '../../src/shared/code.ts'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { newKey, Phone } from '../helpers/phone.ts'
import { sessionCookies } from '../helpers/users.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => {
  await t.close()
})

async function loggedIn() {
  const phone = new Phone(t.url)
  await phone.login()
  return phone
}

async function makeOffer(id: string, fields: Record<string, unknown> = {}) {
  const now = t.clock.now()
  await t.database.db
    .insertInto('offers')
    .values({
      id,
      merchant_id: 'shanchuan',
      title: `测试 ${id}`,
      kind: 'cash',
      value_fen: 500,
      threshold_fen: 0,
      discount_percent: null,
      gift_name: null,
      description: '',
      rules: '',
      image_url: null,
      stock_total: 100,
      stock_left: 100,
      per_user_limit: 1,
      starts_at: now - 60,
      ends_at: now + 86_400,
      validity_type: 'relative',
      valid_from: null,
      valid_to: null,
      valid_days: 7,
      all_stores: 1,
      wx_card_id: null,
      created_at: now,
      ...fields,
    } as never)
    .execute()
}

describe('claiming a coupon', () => {
  it('answers 401 with a login URL that comes back to finish the claim', async () => {
    const res = await new Phone(t.url).post('/api/offers/latte-10off/claim', {}, { 'idempotency-key': newKey() })
    expect(res.status).toBe(401)
    expect(res.json.error.code).toBe('unauthenticated')
    expect(decodeURIComponent(res.json.error.loginUrl)).toContain('/o/latte-10off?claim=1')
  })

  it('creates a coupon with a well-formed code, its validity and the channel it came from', async () => {
    const phone = await loggedIn()
    const res = await phone.post(
      '/api/offers/latte-10off/claim',
      { ch: 'share', ref: 'friend1', store: 'jingansi' },
      { 'idempotency-key': newKey() },
    )
    expect(res.status).toBe(201)
    const c = res.json.coupon
    expect(isWellFormedCode(c.code)).toBe(true)
    expect(c.status).toBe('available')
    expect(c.offerId).toBe('latte-10off')
    expect(c.inWallet).toBe(false)
    expect(c.channel).toBe('share')
    const row = await t.database.db.selectFrom('coupons').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ ref: 'friend1', store_id: 'jingansi', channel: 'share' })
    const ev = await t.database.db.selectFrom('events').selectAll().where('coupon_id', '=', c.id).execute()
    expect(ev.map(e => [e.type, e.channel, e.ref])).toEqual([['claim', 'share', 'friend1']])
  })

  it('returns the same coupon for the same Idempotency-Key and takes stock once', async () => {
    await makeOffer('idem')
    const phone = await loggedIn()
    const key = newKey()
    const a = await phone.post('/api/offers/idem/claim', {}, { 'idempotency-key': key })
    const b = await phone.post('/api/offers/idem/claim', {}, { 'idempotency-key': key })
    expect(a.status).toBe(201)
    expect(b.status).toBe(200)
    expect(b.json.coupon.id).toBe(a.json.coupon.id)
    expect(b.json.coupon.code).toBe(a.json.coupon.code)
    const offer = await t.database.db
      .selectFrom('offers')
      .select('stock_left')
      .where('id', '=', 'idem')
      .executeTakeFirstOrThrow()
    expect(offer.stock_left).toBe(99)
  })

  it('refuses an Idempotency-Key reused for another offer', async () => {
    const phone = await loggedIn()
    const key = newKey()
    await phone.post('/api/offers/latte-10off/claim', {}, { 'idempotency-key': key })
    const res = await phone.post('/api/offers/all-88/claim', {}, { 'idempotency-key': key })
    expect(res.status).toBe(409)
    expect(res.json.error.code).toBe('idempotency_key_reused')
  })

  it('enforces the per-user limit with limit_reached', async () => {
    const phone = await loggedIn()
    expect((await phone.post('/api/offers/latte-10off/claim', {}, { 'idempotency-key': newKey() })).status).toBe(201)
    expect((await phone.post('/api/offers/latte-10off/claim', {}, { 'idempotency-key': newKey() })).status).toBe(201)
    const third = await phone.post('/api/offers/latte-10off/claim', {}, { 'idempotency-key': newKey() })
    expect(third.status).toBe(409)
    expect(third.json.error.code).toBe('limit_reached')
    expect((await phone.get('/api/offers/latte-10off')).json.offer.claimedByMe).toBe(2)
  })

  it('answers sold_out when the stock is gone, without taking the user’s limit', async () => {
    await makeOffer('one-left', { stock_left: 1, stock_total: 10 })
    const a = await loggedIn()
    const b = await loggedIn()
    expect((await a.post('/api/offers/one-left/claim', {}, { 'idempotency-key': newKey() })).status).toBe(201)
    const res = await b.post('/api/offers/one-left/claim', {}, { 'idempotency-key': newKey() })
    expect(res.status).toBe(409)
    expect(res.json.error.code).toBe('sold_out')
    expect((await b.get('/api/offers/one-left')).json.offer.claimedByMe).toBe(0)
  })

  it.each([
    ['not started', 'xmas-2026'],
    ['ended', 'national-day'],
  ])('answers offer_not_live for an offer that has %s', async (_s, id) => {
    const res = await (await loggedIn()).post(`/api/offers/${id}/claim`, {}, { 'idempotency-key': newKey() })
    expect(res.status).toBe(409)
    expect(res.json.error.code).toBe('offer_not_live')
  })

  it('answers 404 for an unknown offer', async () => {
    const res = await (await loggedIn()).post('/api/offers/nope/claim', {}, { 'idempotency-key': newKey() })
    expect(res.status).toBe(404)
  })

  it('sets a relative validity from the claim time and a fixed one from the offer', async () => {
    const phone = await loggedIn()
    const rel = (await phone.post('/api/offers/all-88/claim', {}, { 'idempotency-key': newKey() })).json.coupon
    expect((Date.parse(rel.validTo) - Date.parse(rel.validFrom)) / 1000).toBe(30 * 86_400)
    const fixed = (await phone.post('/api/offers/latte-10off/claim', {}, { 'idempotency-key': newKey() })).json.coupon
    const offer = await t.database.db
      .selectFrom('offers')
      .selectAll()
      .where('id', '=', 'latte-10off')
      .executeTakeFirstOrThrow()
    expect(Date.parse(fixed.validTo) / 1000).toBe(offer.valid_to)
  })
})

describe('my coupons', () => {
  it('lists only the caller’s coupons, and another user’s coupon is a 404', async () => {
    const a = await loggedIn()
    const b = await loggedIn()
    const mine = (await a.post('/api/offers/cookie-gift/claim', {}, { 'idempotency-key': newKey() })).json.coupon
    const list = await a.get('/api/coupons')
    expect(list.json.coupons.map((c: { id: string }) => c.id)).toContain(mine.id)
    expect((await b.get('/api/coupons')).json.coupons).toEqual([])
    const other = await b.get(`/api/coupons/${mine.id}`)
    expect(other.status).toBe(404)
    const own = await a.get(`/api/coupons/${mine.id}`)
    expect(own.json.coupon.offer.stores.map((s: { id: string }) => s.id)).toEqual(['nanjingxilu'])
  })

  it('derives expired from the validity, the same on every engine', async () => {
    await makeOffer('short', { valid_days: 1 })
    const phone = await loggedIn()
    const c = (await phone.post('/api/offers/short/claim', {}, { 'idempotency-key': newKey() })).json.coupon
    t.clock.advance(86_400)
    expect((await phone.get(`/api/coupons/${c.id}`)).json.coupon.status).toBe('expired')
    t.clock.advance(-86_400)
    expect((await phone.get(`/api/coupons/${c.id}`)).json.coupon.status).toBe('available')
  })

  it('needs a login', async () => {
    expect((await new Phone(t.url).get('/api/coupons')).status).toBe(401)
  })
})

describe('claims under concurrency', () => {
  it('gives exactly 100 coupons to 500 users racing for a stock of 100', async () => {
    await makeOffer('race', { stock_total: 100, stock_left: 100 })
    const cookies = await sessionCookies(t, 500, 'race')
    const results = await Promise.all(
      cookies.map(cookie =>
        fetch(`${t.url}/api/offers/race/claim`, {
          method: 'POST',
          headers: { cookie, 'idempotency-key': newKey(), 'content-type': 'application/json' },
          body: '{}',
        }).then(async r => ({ status: r.status, body: (await r.json()) as any })),
      ),
    )
    const won = results.filter(r => r.status === 201)
    const lost = results.filter(r => r.status === 409)
    expect(won).toHaveLength(100)
    expect(lost).toHaveLength(400)
    expect(lost.every(r => r.body.error.code === 'sold_out')).toBe(true)
    const count = await t.database.db
      .selectFrom('coupons')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .where('offer_id', '=', 'race')
      .executeTakeFirstOrThrow()
    expect(Number(count.n)).toBe(100)
    const offer = await t.database.db
      .selectFrom('offers')
      .select('stock_left')
      .where('id', '=', 'race')
      .executeTakeFirstOrThrow()
    expect(offer.stock_left).toBe(0)
    expect(new Set(won.map(r => r.body.coupon.code)).size).toBe(100)
  })

  it('gives exactly one coupon to one user sending 20 claims at once with a limit of 1', async () => {
    await makeOffer('solo', { per_user_limit: 1 })
    const [cookie] = await sessionCookies(t, 1, 'solo')
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${t.url}/api/offers/solo/claim`, {
          method: 'POST',
          headers: { cookie: cookie!, 'idempotency-key': newKey(), 'content-type': 'application/json' },
          body: '{}',
        }).then(async r => ({ status: r.status, body: (await r.json()) as any })),
      ),
    )
    expect(results.filter(r => r.status === 201)).toHaveLength(1)
    expect(results.filter(r => r.status === 409).every(r => r.body.error.code === 'limit_reached')).toBe(true)
    const offer = await t.database.db
      .selectFrom('offers')
      .select('stock_left')
      .where('id', '=', 'solo')
      .executeTakeFirstOrThrow()
    expect(offer.stock_left).toBe(99)
  })

  it('makes one coupon from 10 concurrent retries carrying the same key', async () => {
    await makeOffer('retry', { per_user_limit: 5 })
    const [cookie] = await sessionCookies(t, 1, 'retry')
    const key = newKey()
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        fetch(`${t.url}/api/offers/retry/claim`, {
          method: 'POST',
          headers: { cookie: cookie!, 'idempotency-key': key, 'content-type': 'application/json' },
          body: '{}',
        }).then(async r => ({ status: r.status, body: (await r.json()) as any })),
      ),
    )
    expect(results.every(r => r.status === 200 || r.status === 201)).toBe(true)
    expect(new Set(results.map(r => r.body.coupon.id)).size).toBe(1)
    const offer = await t.database.db
      .selectFrom('offers')
      .select('stock_left')
      .where('id', '=', 'retry')
      .executeTakeFirstOrThrow()
    expect(offer.stock_left).toBe(99)
  })
})
