import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DAY, isoOf } from '../../src/shared/time.ts'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { clerkPhone } from '../helpers/clerk.ts'
import { consoleCall, consolePhone, newManager, newMerchant, offerBody } from '../helpers/console.ts'
import { newKey, Phone } from '../helpers/phone.ts'

let t: TestApp
let owner: Phone
let manager: Phone
let foreignStore: string
const offers = '/api/console/merchants/shanchuan/offers'

beforeAll(async () => {
  t = await startTestApp()
  owner = await consolePhone(t)
  manager = await newManager(t, owner, 'shanchuan')
  const other = await newMerchant(t, '隔壁面包')
  foreignStore = (
    await other.owner.post(`/api/console/merchants/${other.id}/stores`, { name: '隔壁', address: '某路1号' })
  ).json.store.id
})
afterAll(async () => {
  await t.close()
})

async function create(over: Record<string, unknown> = {}) {
  const res = await owner.post(offers, offerBody(t, over))
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.body}`)
  return res.json.offer as { id: string; version: number; status: string; [k: string]: unknown }
}
const patch = (id: string, version: number, body: unknown, phone = owner) =>
  consoleCall(phone, 'PATCH', `${offers}/${id}`, body, version)

async function claim(offerId: string) {
  const phone = new Phone(t.url)
  await phone.login()
  return { phone, res: await phone.post(`/api/offers/${offerId}/claim`, {}, { 'idempotency-key': newKey() }) }
}

describe('console offers', () => {
  it('creates an offer (a draft unless told otherwise) with its version, stock and zero totals', async () => {
    const { status: _, ...body } = offerBody(t, { title: ' 新品尝鲜 ' })
    const res = await owner.post(offers, body)
    expect(res.status).toBe(201)
    expect(res.json.offer).toMatchObject({
      id: expect.stringMatching(/^[A-Za-z0-9]{16}$/),
      status: 'draft',
      version: 1,
      title: '新品尝鲜',
      kind: 'cash',
      valueFen: 500,
      thresholdFen: 3000,
      discountPercent: null,
      giftName: null,
      description: '',
      rules: [],
      stockTotal: 100,
      stockLeft: 100,
      issued: 0,
      validity: { type: 'relative', days: 7 },
      allStores: true,
      storeIds: [],
      wxCardId: null,
      wxStockId: null,
      totals: { views: 0, claims: 0, walletAdds: 0, redemptions: 0 },
    })
    const got = await owner.get(`${offers}/${res.json.offer.id}`)
    expect(got.json.offer).toEqual(res.json.offer)
  })

  it('shows the demo’s offers in the console as they are stored, live, with version 1', async () => {
    const res = await owner.get(`${offers}/latte-10off`)
    expect(res.json.offer).toMatchObject({
      id: 'latte-10off',
      status: 'live',
      version: 1,
      title: '拿铁满50减10',
      valueFen: 1000,
      validity: { type: 'fixed' },
      rules: expect.arrayContaining(['单笔消费满50元可用']),
    })
    const list = await owner.get(offers)
    expect(list.json.offers.map((o: { id: string }) => o.id)).toEqual(
      expect.arrayContaining(['latte-10off', 'americano-5off', 'cookie-gift', 'national-day']),
    )
    expect(list.json.offers.find((o: { id: string }) => o.id === 'cookie-gift').storeIds).toEqual(['nanjingxilu'])
  })

  const invalid: [string, Record<string, unknown>, string][] = [
    ['an empty title', { title: '  ' }, 'title'],
    ['a cash offer without a value', { kind: 'cash', valueFen: 0 }, 'valueFen'],
    ['a discount without its percent', { kind: 'discount', discountPercent: null, valueFen: 0 }, 'discountPercent'],
    ['a gift without its name', { kind: 'gift', giftName: null, valueFen: 0 }, 'giftName'],
    ['an end before the start', { startsAt: isoOf(1_900_000_000), endsAt: isoOf(1_899_000_000) }, 'endsAt'],
    ['a relative validity of no days', { validity: { type: 'relative', days: 0 } }, 'validity.days'],
    [
      'a fixed validity ending before it starts',
      { validity: { type: 'fixed', from: isoOf(1_900_000_000), to: isoOf(1_899_000_000) } },
      'validity',
    ],
    ['another merchant’s store', { allStores: false, storeIds: ['FOREIGN'] }, 'storeIds'],
    ['both a WeChat card and a 商家券 stock', { wxCardId: 'pKQcardcard001', wxStockId: '1234567890' }, 'wxStockId'],
  ]

  it.each(invalid)('refuses to create %s: 400 with the field named', async (_what, fields, field) => {
    const body = JSON.parse(JSON.stringify(offerBody(t, fields)).replace('FOREIGN', foreignStore))
    const res = await owner.post(offers, body)
    expect(res.status).toBe(400)
    expect(res.json.error.code).toBe('invalid_request')
    expect(res.json.error.field).toBe(field)
    expect(res.json.error.issues).toContainEqual({ field, message: expect.stringMatching(/[\u4e00-\u9fff]/) })
  })

  it.each(invalid)(
    'refuses an edit to %s: 400 with the field named, the offer unchanged',
    async (_what, fields, field) => {
      const o = await create({ status: 'draft' })
      const body = JSON.parse(JSON.stringify(fields).replace('FOREIGN', foreignStore))
      const res = await patch(o.id, o.version, body)
      expect(res.status).toBe(400)
      expect(res.json.error.field).toBe(field)
      expect((await owner.get(`${offers}/${o.id}`)).json.offer).toMatchObject({ version: 1, title: o.title })
    },
  )

  it('checks a linked 商家券 stock with WeChat Pay: an unknown one is a 400 on wxStockId, one made for the offer passes', async () => {
    const o = await create({ status: 'draft' })
    const unknown = await patch(o.id, o.version, { wxStockId: '9876543210' })
    expect(unknown.status).toBe(400)
    expect(unknown.json.error).toMatchObject({ code: 'invalid_request', field: 'wxStockId' })
    expect(unknown.json.error.message).toContain('批次号不存在')
    const { createStockForOffer } = await import('../../src/server/wallet/busifavor-stock.ts')
    const row = await t.database.db.selectFrom('offers').selectAll().where('id', '=', o.id).executeTakeFirstOrThrow()
    const stockId = await createStockForOffer(t.app.deps, row)
    const linked = await patch(o.id, o.version, { wxStockId: stockId })
    expect(linked.status).toBe(200)
    expect(linked.json.offer.wxStockId).toBe(stockId)
  })

  it('answers 412 with the stored version to the second of two editors', async () => {
    const o = await create({ status: 'draft' })
    const first = await patch(o.id, o.version, { title: '店主改的' })
    expect(first.status).toBe(200)
    expect(first.json.offer.version).toBe(2)
    const second = await patch(o.id, o.version, { title: '店长改的' }, manager)
    expect(second.status).toBe(412)
    expect(second.json.error).toMatchObject({ code: 'version_conflict', version: 2 })
    expect((await owner.get(`${offers}/${o.id}`)).json.offer).toMatchObject({ title: '店主改的', version: 2 })
    const retried = await patch(o.id, 2, { title: '店长改的' }, manager)
    expect(retried.json.offer).toMatchObject({ title: '店长改的', version: 3 })
  })

  it('needs If-Match on an edit, as a number or an entity tag', async () => {
    const o = await create({ status: 'draft' })
    const none = await owner.request('PATCH', `${offers}/${o.id}`, { body: { title: 'x' } })
    expect(none.status).toBe(400)
    const tagged = await owner.request('PATCH', `${offers}/${o.id}`, {
      body: { title: '带引号' },
      headers: { 'if-match': '"1"' },
    })
    expect(tagged.json.offer).toMatchObject({ title: '带引号', version: 2 })
  })

  it('answers a save that changes nothing with the offer as it is, without a new version', async () => {
    const o = await create({ status: 'draft', title: '不变' })
    const res = await patch(o.id, o.version, { title: '不变' })
    expect(res.status).toBe(200)
    expect(res.json.offer.version).toBe(1)
  })

  it('keeps the seeded offers editable: a rule they predate does not refuse an unrelated change', async () => {
    // The demo's cash coupon is valid until before its claim window ends: the editor would refuse that now.
    const res = await patch('latte-10off', 1, { description: '任意饮品满50元立减10元' })
    expect(res.status).toBe(200)
    const moved = await patch('latte-10off', 2, { endsAt: isoOf(t.clock.now() + 100 * DAY) })
    expect(moved.status).toBe(400)
    expect(moved.json.error.field).toBe('validity')
  })
})

describe('the offer lifecycle', () => {
  /** An offer brought to `status` through allowed moves. */
  async function offerIn(status: string) {
    const o = await create({ status: 'draft' })
    const path: Record<string, string[]> = { draft: [], live: ['live'], paused: ['live', 'paused'], ended: ['ended'] }
    let version = o.version
    for (const next of path[status]!) version = (await patch(o.id, version, { status: next })).json.offer.version
    return { ...o, version }
  }

  it.each([
    ['draft', 'live'],
    ['draft', 'ended'],
    ['live', 'paused'],
    ['live', 'ended'],
    ['paused', 'live'],
    ['paused', 'ended'],
  ])('moves %s → %s', async (from, to) => {
    const o = await offerIn(from)
    const res = await patch(o.id, o.version, { status: to })
    expect(res.status).toBe(200)
    expect(res.json.offer.status).toBe(to)
  })

  it.each([
    ['draft', 'paused'],
    ['live', 'draft'],
    ['paused', 'draft'],
    ['ended', 'live'],
    ['ended', 'paused'],
    ['ended', 'draft'],
  ])('refuses %s → %s with 409 invalid_status', async (from, to) => {
    const o = await offerIn(from)
    const res = await patch(o.id, o.version, { status: to })
    expect(res.status).toBe(409)
    expect(res.json.error).toMatchObject({ code: 'invalid_status', from, to })
    expect((await owner.get(`${offers}/${o.id}`)).json.offer.status).toBe(from)
  })

  it('refuses to create an offer already paused', async () => {
    const res = await owner.post(offers, offerBody(t, { status: 'paused' }))
    expect(res.status).toBe(409)
    expect(res.json.error).toMatchObject({ code: 'invalid_status', from: 'draft', to: 'paused' })
  })
})

describe('what consumers see of the lifecycle', () => {
  const listed = async () =>
    ((await new Phone(t.url).get('/api/offers')).json.offers as { id: string }[]).map(o => o.id)

  it('never shows a draft: not listed, its detail and landing page 404, a claim 409 offer_not_live', async () => {
    const o = await create({ status: 'draft' })
    expect(await listed()).not.toContain(o.id)
    expect((await new Phone(t.url).get(`/api/offers/${o.id}`)).status).toBe(404)
    expect((await new Phone(t.url).get(`/o/${o.id}`, { accept: 'text/html' })).status).toBe(404)
    expect(
      (await new Phone(t.url).get('/api/stores/nanjingxilu')).json.offers.map((x: { id: string }) => x.id),
    ).not.toContain(o.id)
    const { res } = await claim(o.id)
    expect(res.status).toBe(409)
    expect(res.json.error.code).toBe('offer_not_live')
  })

  it('lists a live offer; a paused one is unlisted and unclaimable but explained; resuming brings it back', async () => {
    const o = await create({ status: 'live' })
    expect(await listed()).toContain(o.id)
    const paused = await patch(o.id, o.version, { status: 'paused' })
    expect(await listed()).not.toContain(o.id)
    const detail = await new Phone(t.url).get(`/api/offers/${o.id}`)
    expect(detail.json.offer.phase).toBe('paused')
    const refused = await claim(o.id)
    expect(refused.res.status).toBe(409)
    expect(refused.res.json.error).toMatchObject({ code: 'offer_not_live', message: '活动已暂停' })
    await patch(o.id, paused.json.offer.version, { status: 'live' })
    expect((await claim(o.id)).res.status).toBe(201)
  })

  it('keeps every coupon of an ended offer valid: the clerk still redeems it', async () => {
    const o = await create({ status: 'live' })
    const { phone, res } = await claim(o.id)
    expect(res.status).toBe(201)
    const ended = await patch(o.id, (await owner.get(`${offers}/${o.id}`)).json.offer.version, { status: 'ended' })
    expect(ended.json.offer.status).toBe('ended')
    expect(await listed()).not.toContain(o.id)
    expect((await new Phone(t.url).get(`/api/offers/${o.id}`)).json.offer.phase).toBe('ended')
    expect((await claim(o.id)).res.json.error.code).toBe('offer_not_live')
    expect((await phone.get(`/api/coupons/${res.json.coupon.id}`)).json.coupon.status).toBe('available')
    const clerk = await clerkPhone(t, 'nanjingxilu')
    const redeemed = await clerk.post('/api/redeem', { code: res.json.coupon.code, storeId: 'nanjingxilu' })
    expect(redeemed.status).toBe(200)
    const list = await owner.get(offers)
    expect(list.json.offers.find((x: { id: string }) => x.id === o.id).totals).toMatchObject({
      claims: 1,
      redemptions: 1,
    })
  })
})

describe('once coupons were issued', () => {
  it('freezes what a coupon is worth and when it is valid (409 offer_locked), other fields stay editable', async () => {
    const o = await create({ status: 'live' })
    expect((await claim(o.id)).res.status).toBe(201)
    const current = (await owner.get(`${offers}/${o.id}`)).json.offer
    expect(current).toMatchObject({ issued: 1, stockLeft: 99 })
    const value = await patch(o.id, current.version, { valueFen: 800, validity: { type: 'relative', days: 30 } })
    expect(value.status).toBe(409)
    expect(value.json.error).toMatchObject({ code: 'offer_locked', fields: ['valueFen', 'validity'] })
    const stock = await patch(o.id, current.version, { stockTotal: 500 })
    expect(stock.status).toBe(409)
    expect(stock.json.error).toMatchObject({ code: 'offer_locked', fields: ['stockTotal'] })
    const title = await patch(o.id, current.version, { title: '改个名字', perUserLimit: 2 })
    expect(title.status).toBe(200)
    expect(title.json.offer).toMatchObject({ title: '改个名字', perUserLimit: 2, valueFen: 500, stockTotal: 100 })
  })

  it('takes back the same values spelled differently (China time, stores in another order) as no change', async () => {
    const o = await create({
      status: 'live',
      allStores: false,
      storeIds: ['nanjingxilu', 'jingansi'],
      validity: { type: 'fixed', from: isoOf(t.clock.now()), to: isoOf(t.clock.now() + 40 * DAY) },
    })
    expect((await claim(o.id)).res.status).toBe(201)
    const china = (iso: string) => `${new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`
    const v = o.validity as { from: string; to: string }
    const res = await patch(o.id, o.version, {
      validity: { type: 'fixed', from: china(v.from), to: china(v.to) },
      startsAt: china(o.startsAt as string),
      storeIds: ['jingansi', 'nanjingxilu', 'jingansi'],
    })
    expect(res.status).toBe(200)
    expect(res.json.offer).toMatchObject({
      version: o.version,
      validity: o.validity,
      storeIds: ['jingansi', 'nanjingxilu'],
    })
  })

  it('lets stockTotal change in an edit while nothing was issued, stockLeft with it', async () => {
    const o = await create({ status: 'draft' })
    const res = await patch(o.id, o.version, { stockTotal: 40, kind: 'discount', discountPercent: 85, valueFen: 0 })
    expect(res.json.offer).toMatchObject({ stockTotal: 40, stockLeft: 40, kind: 'discount', discountPercent: 85 })
  })

  it('limits an offer to chosen stores of the merchant', async () => {
    const o = await create({ status: 'live', allStores: false, storeIds: ['jingansi'] })
    expect(o.storeIds).toEqual(['jingansi'])
    const rules = await patch(o.id, o.version, { rules: ['第一行\n第二行', '另一条'] })
    expect(rules.json.offer.rules).toEqual(['第一行 第二行', '另一条'])
    const detail = await new Phone(t.url).get(`/api/offers/${o.id}`)
    expect(detail.json.offer.stores.map((s: { id: string }) => s.id)).toEqual(['jingansi'])
    const all = await patch(o.id, rules.json.offer.version, { allStores: true })
    expect(all.json.offer).toMatchObject({ allStores: true, storeIds: [] })
  })
})

describe('the audit log of offers', () => {
  it('records who created, edited, moved and topped up an offer, with before and after, newest first', async () => {
    const o = await create({ status: 'draft', title: '审计券' })
    const edited = await patch(o.id, o.version, { title: '审计券二', description: '说明' }, manager)
    const moved = await patch(o.id, edited.json.offer.version, { status: 'live' })
    await owner.post(`${offers}/${o.id}/stock`, { add: 5 })
    const { entries } = (await owner.get('/api/console/merchants/shanchuan/audit?limit=4')).json
    expect(entries.map((e: { action: string }) => e.action)).toEqual([
      'offer.stock',
      'offer.status',
      'offer.update',
      'offer.create',
    ])
    expect(entries.every((e: { target: { id: string } }) => e.target.id === o.id)).toBe(true)
    expect(entries[0].changes).toEqual([{ field: 'stockTotal', before: 100, after: 105 }])
    expect(entries[1]).toMatchObject({
      actor: { name: '老王（店长）' },
      changes: [{ field: 'status', before: 'draft', after: 'live' }],
    })
    expect(entries[2].changes).toEqual([
      { field: 'title', before: '审计券', after: '审计券二' },
      { field: 'description', before: '', after: '说明' },
    ])
    expect(entries[2].actor.name).not.toBe('老王（店长）')
    expect(entries[3].changes).toContainEqual({ field: 'title', before: null, after: '审计券' })
    expect(moved.json.offer.status).toBe('live')
  })
})
