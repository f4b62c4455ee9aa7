import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { consoleCall, consolePhone, offerBody } from '../helpers/console.ts'
import { newKey, type Phone } from '../helpers/phone.ts'
import { sessionCookies } from '../helpers/users.ts'

let t: TestApp
let owner: Phone
const offers = '/api/console/merchants/shanchuan/offers'

beforeAll(async () => {
  t = await startTestApp()
  owner = await consolePhone(t)
})
afterAll(async () => {
  await t.close()
})

async function create(over: Record<string, unknown> = {}) {
  const res = await owner.post(offers, offerBody(t, over))
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.body}`)
  return res.json.offer as { id: string; version: number }
}

const claimAs = (cookie: string, offerId: string) =>
  fetch(`${t.url}/api/offers/${offerId}/claim`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', 'idempotency-key': newKey() },
    body: '{}',
  })

const stored = (id: string) =>
  t.database.db.selectFrom('offers').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const couponsOf = (id: string) =>
  t.database.db.selectFrom('coupons').select(['id', 'user_id']).where('offer_id', '=', id).execute()

describe('stock top-up', () => {
  it('grows stockTotal and stockLeft together, bumps the version and is audited', async () => {
    const o = await create({ stockTotal: 10 })
    const res = await owner.post(`${offers}/${o.id}/stock`, { add: 15 })
    expect(res.status).toBe(200)
    expect(res.json.offer).toMatchObject({ stockTotal: 25, stockLeft: 25, version: 2 })
    const [entry] = (await owner.get('/api/console/merchants/shanchuan/audit?limit=1')).json.entries
    expect(entry).toMatchObject({ action: 'offer.stock', target: { type: 'offer', id: o.id } })
    expect(entry.changes).toEqual([{ field: 'stockTotal', before: 10, after: 25 }])
    const stale = await consoleCall(owner, 'PATCH', `${offers}/${o.id}`, { title: '过期的版本' }, 1)
    expect(stale.json.error).toMatchObject({ code: 'version_conflict', version: 2 })
  })

  it('refuses an ended offer, a total past the cap, and a bad amount', async () => {
    const o = await create({ stockTotal: 10 })
    const big = await owner.post(`${offers}/${o.id}/stock`, { add: 1_000_000 })
    expect(big.status).toBe(200)
    await t.database.db
      .updateTable('offers')
      .set({ stock_total: 9_999_990, stock_left: 9_999_990 })
      .where('id', '=', o.id)
      .execute()
    const over = await owner.post(`${offers}/${o.id}/stock`, { add: 11 })
    expect(over.status).toBe(409)
    expect(over.json.error.code).toBe('stock_invalid')
    expect((await stored(o.id)).stock_total).toBe(9_999_990)
    for (const add of [0, -5, 1.5, '10', 1_000_001]) {
      const bad = await owner.post(`${offers}/${o.id}/stock`, { add })
      expect(bad.status).toBe(400)
      expect(bad.json.error.field).toBe('add')
    }
    const ended = await create({ status: 'ended' })
    const refused = await owner.post(`${offers}/${ended.id}/stock`, { add: 5 })
    expect(refused.status).toBe(409)
    expect(refused.json.error.code).toBe('stock_invalid')
  })

  it('never loses or oversells a claim when topped up during a claim storm: exactly 100 coupons', async () => {
    const o = await create({ stockTotal: 50, perUserLimit: 1 })
    const cookies = await sessionCookies(t, 300, `storm${o.id}`)
    const claims: Promise<Response>[] = []
    const topUps: Promise<{ status: number }>[] = []
    cookies.forEach((cookie, i) => {
      claims.push(claimAs(cookie, o.id))
      // Five top-ups of 10, interleaved with the claims as they are sent.
      if (i % 60 === 30) topUps.push(owner.post(`${offers}/${o.id}/stock`, { add: 10 }))
    })
    const answers = await Promise.all(claims)
    expect((await Promise.all(topUps)).map(r => r.status)).toEqual([200, 200, 200, 200, 200])
    const statuses = answers.map(r => r.status)
    const won = statuses.filter(s => s === 201).length
    expect(statuses.filter(s => s !== 201 && s !== 409)).toEqual([])
    for (const r of answers.filter(r => r.status === 409)) expect(((await r.json()) as any).error.code).toBe('sold_out')

    // Whatever a top-up added after the storm had sold out is still there, counted exactly.
    let row = await stored(o.id)
    expect(row.stock_total).toBe(100)
    expect((await couponsOf(o.id)).length).toBe(won)
    expect(row.stock_left).toBe(100 - won)
    // Those refused come back for what is left, one after another, until it is gone.
    const refused = cookies.filter((_c, i) => statuses[i] === 409)
    for (const cookie of refused) if ((await claimAs(cookie, o.id)).status !== 201) break

    row = await stored(o.id)
    const coupons = await couponsOf(o.id)
    expect(coupons).toHaveLength(100)
    expect(new Set(coupons.map(c => c.user_id)).size).toBe(100)
    expect(row).toMatchObject({ stock_total: 100, stock_left: 0, version: 6 })
    const offer = (await owner.get(`${offers}/${o.id}`)).json.offer
    expect(offer).toMatchObject({ stockTotal: 100, stockLeft: 0, issued: 100, totals: { claims: 100 } })
  })
})
