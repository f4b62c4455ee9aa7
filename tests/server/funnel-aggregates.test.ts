/**
 * The funnel's aggregates, kept as events arrive, count exactly what the events say: views once
 * per viewer, day and target; claims, wallet adds and redemptions once each; and a rebuild from
 * the events gives the same numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { funnel } from '../../src/server/analytics/funnel.ts'
import { rebuildFunnel } from '../../src/server/analytics/rebuild.ts'
import { chinaDay } from '../../src/shared/time.ts'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { clerkPhone } from '../helpers/clerk.ts'
import { newKey, Phone } from '../helpers/phone.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ outboxIntervalMs: 0 })
})
afterAll(async () => {
  await t.close()
})

const today = () => chinaDay(t.clock.now())
const q = (groupBy: 'day' | 'offer' | 'channel' | 'store' | 'sharer') => ({ from: today(), to: today(), groupBy })
const row = <R extends { key: string }>(rows: R[], key: string) => rows.find(r => r.key === key)

describe('the funnel aggregates', () => {
  it('count generated traffic exactly for every grouping, and a rebuild agrees', async () => {
    // Two sharers, each a logged-in consumer whose id rides along as ref.
    const sharerA = new Phone(t.url)
    await sharerA.login()
    const a = (await sharerA.get('/api/me')).json.user.id as string
    const sharerB = new Phone(t.url)
    await sharerB.login()
    const b = (await sharerB.get('/api/me')).json.user.id as string

    // Friend 1 opens A's link three times (one view), claims. Friend 2 opens B's link, claims.
    // An anonymous visitor opens the store poster twice (one view) and never claims.
    const f1 = new Phone(t.url)
    for (let i = 0; i < 3; i++) await f1.get(`/o/all-88?ch=share&ref=${a}`, { accept: 'text/html' })
    await f1.login(`/o/all-88?ch=share&ref=${a}`)
    const c1 = await f1.post('/api/offers/all-88/claim', { ch: 'share', ref: a }, { 'idempotency-key': newKey() })
    expect(c1.status).toBe(201)
    const f2 = new Phone(t.url)
    await f2.get(`/o/all-88?ch=share&ref=${b}`, { accept: 'text/html' })
    await f2.login()
    const c2 = await f2.post('/api/offers/all-88/claim', { ch: 'share', ref: b }, { 'idempotency-key': newKey() })
    expect(c2.status).toBe(201)
    const walker = new Phone(t.url)
    await walker.get('/s/jingansi?ch=qr', { accept: 'text/html' })
    await walker.get('/s/jingansi?ch=qr', { accept: 'text/html' })

    // Friend 1's coupon is redeemed at 静安寺店, a store the link never named.
    const clerk = await clerkPhone(t, 'jingansi')
    expect((await clerk.post('/api/redeem', { code: c1.json.coupon.code, storeId: 'jingansi' })).status).toBe(200)

    const byOffer = await funnel(t.database.db, 'shanchuan', q('offer'))
    expect(row(byOffer.rows, 'all-88')).toMatchObject({ views: 2, claims: 2, redemptions: 1, viaSharers: 2 })
    expect(byOffer.totals).toMatchObject({ views: 3, claims: 2, walletAdds: 0, redemptions: 1, viaSharers: 2 })

    const bySharer = await funnel(t.database.db, 'shanchuan', q('sharer'))
    expect(row(bySharer.rows, a)).toMatchObject({ views: 1, claims: 1, redemptions: 1 })
    expect(row(bySharer.rows, b)).toMatchObject({ views: 1, claims: 1, redemptions: 0 })
    expect(row(bySharer.rows, a)!.label).toMatch(/\*\*|微信用户/)

    const byChannel = await funnel(t.database.db, 'shanchuan', q('channel'))
    expect(row(byChannel.rows, 'share')).toMatchObject({ views: 2, claims: 2, redemptions: 1 })
    expect(row(byChannel.rows, 'qr')).toMatchObject({ views: 1, claims: 0 })
    expect(row(byChannel.rows, 'qr')!.label).toBe('门店二维码')

    const byStore = await funnel(t.database.db, 'shanchuan', q('store'))
    expect(row(byStore.rows, 'jingansi')).toMatchObject({ views: 1, redemptions: 1 })

    const byDay = await funnel(t.database.db, 'shanchuan', q('day'))
    expect(byDay.rows).toEqual([expect.objectContaining({ key: today(), views: 3, claims: 2, redemptions: 1 })])

    // Another merchant sees none of it.
    const other = await funnel(t.database.db, 'nobody', q('offer'))
    expect(other.totals).toMatchObject({ views: 0, claims: 0, redemptions: 0 })

    // A rebuild from the events gives the same numbers, grouping by grouping.
    const before = await Promise.all(
      (['day', 'offer', 'channel', 'store', 'sharer'] as const).map(g => funnel(t.database.db, 'shanchuan', q(g))),
    )
    await rebuildFunnel(t.database.db, t.database.engine, 'shanchuan', t.clock.now())
    const after = await Promise.all(
      (['day', 'offer', 'channel', 'store', 'sharer'] as const).map(g => funnel(t.database.db, 'shanchuan', q(g))),
    )
    expect(after).toEqual(before)
    // …and a view after the rebuild by someone who already counted today still counts once.
    await f1.get(`/o/all-88?ch=share&ref=${a}`, { accept: 'text/html' })
    expect((await funnel(t.database.db, 'shanchuan', q('offer'))).totals.views).toBe(3)
  })
})

describe('views written in batches', () => {
  it('are counted exactly as written one by one, and the last batch is written when the app closes', async () => {
    const batched = await startTestApp({ viewFlushMs: 60_000 })
    let closed = false
    try {
      const a = new Phone(batched.url)
      const b = new Phone(batched.url)
      for (let i = 0; i < 3; i++) await a.get('/o/all-88?ch=qr', { accept: 'text/html' })
      await b.get('/o/all-88?ch=qr', { accept: 'text/html' })
      const views = () =>
        batched.database.db
          .selectFrom('events')
          .select(eb => eb.fn.countAll<number>().as('n'))
          .where('type', '=', 'view')
          .executeTakeFirstOrThrow()
      // Nothing written yet: the batch waits (a minute here).
      expect(Number((await views()).n)).toBe(0)
      await batched.app.close()
      closed = true
      expect(Number((await views()).n)).toBe(4)
      const f = await funnel(batched.database.db, 'shanchuan', {
        from: chinaDay(batched.clock.now()),
        to: chinaDay(batched.clock.now()),
        groupBy: 'offer',
      })
      expect(f.totals.views).toBe(2)
    } finally {
      if (!closed) await batched.app.close()
      await batched.database.drop()
    }
  })
})
