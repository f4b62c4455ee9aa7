import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp, touchCatalog } from '../helpers/app.ts'
import { newKey, Phone } from '../helpers/phone.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => {
  await t.close()
})

describe('offers', () => {
  it('lists live offers only, sold-out ones included, with the contract’s fields', async () => {
    const res = await new Phone(t.url).get('/api/offers')
    expect(res.status).toBe(200)
    const ids = res.json.offers.map((o: { id: string }) => o.id)
    expect(ids).toEqual(expect.arrayContaining(['latte-10off', 'all-88', 'cookie-gift', 'opening-30off']))
    expect(ids).not.toContain('xmas-2026')
    expect(ids).not.toContain('national-day')
    const o = res.json.offers.find((x: { id: string }) => x.id === 'opening-30off')
    expect(o).toMatchObject({
      title: '新店开业满100减30',
      stockLeft: 3,
      perUserLimit: 1,
      claimedByMe: 0,
      kind: 'cash',
      valueFen: 3000,
      thresholdFen: 10000,
      phase: 'live',
    })
    expect(o.startsAt).toMatch(/^\d{4}-\d\d-\d\dT/)
  })

  it('filters by store: a store-limited offer shows only at its store', async () => {
    const nanjing = (await new Phone(t.url).get('/api/offers?store=nanjingxilu')).json.offers.map(
      (o: { id: string }) => o.id,
    )
    const jingan = (await new Phone(t.url).get('/api/offers?store=jingansi')).json.offers.map(
      (o: { id: string }) => o.id,
    )
    expect(nanjing).toContain('cookie-gift')
    expect(jingan).not.toContain('cookie-gift')
    expect(jingan).toContain('latte-10off')
  })

  it('gives the detail of any offer with its stores and card id, needing no login', async () => {
    const res = await new Phone(t.url).get('/api/offers/cookie-gift')
    expect(res.json.offer.stores).toEqual([{ id: 'nanjingxilu', name: '南京西路店', address: expect.any(String) }])
    expect(res.json.offer.wxCardId).toBeNull()
    expect((await new Phone(t.url).get('/api/offers/xmas-2026')).json.offer.phase).toBe('upcoming')
    expect((await new Phone(t.url).get('/api/offers/national-day')).json.offer.phase).toBe('ended')
  })

  it('counts the caller’s own claims', async () => {
    const phone = new Phone(t.url)
    await phone.login()
    await phone.post('/api/offers/all-88/claim', {}, { 'idempotency-key': newKey() })
    expect((await phone.get('/api/offers/all-88')).json.offer.claimedByMe).toBe(1)
    expect((await new Phone(t.url).get('/api/offers/all-88')).json.offer.claimedByMe).toBe(0)
  })

  it('answers a logged-out reader from memory, never past a catalog change, a stock change or the offer’s end', async () => {
    const read = async () => (await new Phone(t.url).get('/api/offers/opening-30off')).json.offer
    const before = await read()
    expect(before.phase).toBe('live')
    // A definition change (as the console makes it, bumping the catalog) shows on the next read.
    await t.database.db.updateTable('offers').set({ title: '开业大酬宾' }).where('id', '=', 'opening-30off').execute()
    await touchCatalog(t)
    expect((await read()).title).toBe('开业大酬宾')
    // A claim's stock change shows within the catalog's second.
    const phone = new Phone(t.url)
    await phone.login()
    expect((await phone.post('/api/offers/opening-30off/claim', {}, { 'idempotency-key': newKey() })).status).toBe(201)
    const deadline = Date.now() + 3000
    let left = (await read()).stockLeft
    while (left === before.stockLeft && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 100))
      left = (await read()).stockLeft
    }
    expect(left).toBe(before.stockLeft - 1)
    // The phase follows the clock: past its end the same offer reads as ended at once.
    const endsAt = Date.parse(before.endsAt) / 1000
    const now = t.clock.now()
    t.clock.advance(endsAt - now + 1)
    try {
      expect((await read()).phase).toBe('ended')
      expect((await new Phone(t.url).get('/api/offers')).json.offers.map((o: { id: string }) => o.id)).not.toContain(
        'opening-30off',
      )
    } finally {
      t.clock.set(now)
    }
  })

  it('gives a store with its merchant and offers', async () => {
    const res = await new Phone(t.url).get('/api/stores/jingansi')
    expect(res.json.store).toMatchObject({ id: 'jingansi', name: '静安寺店', merchant: { name: '山川咖啡' } })
    expect(res.json.offers.length).toBeGreaterThan(0)
  })

  it('records an in-app view with its channel', async () => {
    const res = await new Phone(t.url).post('/api/offers/all-88/views', { ch: 'list' })
    expect(res.status).toBe(204)
    const ev = await t.database.db
      .selectFrom('events')
      .selectAll()
      .where('offer_id', '=', 'all-88')
      .where('channel', '=', 'list')
      .execute()
    expect(ev).toHaveLength(1)
  })
})
