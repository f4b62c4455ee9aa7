/**
 * The funnel merchants read, through the console's routes: traffic made through the real landing,
 * claim, wallet and counter routes (two channels, two sharers, repeated views by one person over
 * two days, a wallet add in the sandbox, redemptions in a store the link never named) comes back
 * exactly, for every grouping; the CSV says the same as the JSON; another merchant sees none of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FunnelResponse } from '../../src/shared/api/analytics.ts'
import { kFactor } from '../../src/shared/api/analytics.ts'
import type { ChannelDto } from '../../src/shared/api/channels.ts'
import { DEMO_CARD_ID } from '../../src/server/sandbox/seed.ts'
import { chinaDay, DAY } from '../../src/shared/time.ts'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { clerkPhone } from '../helpers/clerk.ts'
import { consolePhone, newMerchant } from '../helpers/console.ts'
import { newKey, Phone } from '../helpers/phone.ts'
import { addToSandboxWallet } from '../helpers/wallet.ts'

let t: TestApp
let owner: Phone
let poster: ChannelDto
let share: ChannelDto
let sharerA: string
let sharerB: string
let d1: string
let d2: string
const mid = 'shanchuan'
const html = { accept: 'text/html' }

const landing = (url: string) => {
  const u = new URL(url)
  return u.pathname + u.search
}
async function claim(phone: Phone, offer: string, body: Record<string, string>) {
  const res = await phone.post(`/api/offers/${offer}/claim`, body, { 'idempotency-key': newKey() })
  if (res.status !== 201) throw new Error(`claim failed: ${res.status} ${res.body}`)
  return res.json.coupon as { id: string; code: string }
}
async function userId(phone: Phone) {
  return (await phone.get('/api/me')).json.user.id as string
}

beforeAll(async () => {
  t = await startTestApp({ outboxIntervalMs: 0 })
  d1 = chinaDay(t.clock.now())
  owner = await consolePhone(t)
  const made = async (body: object) => {
    const res = await owner.post(`/api/console/merchants/${mid}/channels`, body)
    if (res.status !== 201) throw new Error(`channel: ${res.status} ${res.body}`)
    return res.json.channel as ChannelDto
  }
  poster = await made({ name: '南京西路店收银台海报', kind: 'poster', offerId: 'latte-10off', storeId: 'nanjingxilu' })
  share = await made({ name: '社群A', kind: 'share', offerId: 'all-88' })
  const jingan = await clerkPhone(t, 'jingansi')
  const nanjing = await clerkPhone(t, 'nanjingxilu')

  // Day 1. An anonymous visitor opens the poster's link three times: one viewer.
  const v1 = new Phone(t.url)
  for (let i = 0; i < 3; i++) await v1.get(landing(poster.url), html)
  // A consumer opens it, claims, adds the coupon to WeChat's card wallet, and redeems it at 静安寺店.
  const c1 = new Phone(t.url)
  await c1.get(landing(poster.url), html)
  await c1.login(landing(poster.url))
  const latte = await claim(c1, 'latte-10off', { ch: poster.code, store: 'nanjingxilu' })
  const { cardExt } = (await c1.get(`/api/coupons/${latte.id}/card-ext`)).json
  const added = await addToSandboxWallet(c1, DEMO_CARD_ID, cardExt)
  if (!added.ok) throw new Error(added.reason)
  expect((await c1.post(`/api/coupons/${latte.id}/wallet`, { encryptCode: added.list[0]!.code })).status).toBe(200)
  expect((await jingan.post('/api/redeem', { code: latte.code, storeId: 'jingansi' })).status).toBe(200)

  // Sharer A came through 社群A and claims; A's friend opens A's forwarded link twice, claims, redeems at 南京西路店.
  const a = new Phone(t.url)
  await a.get(landing(share.url), html)
  await a.login(landing(share.url))
  sharerA = await userId(a)
  await claim(a, 'all-88', { ch: share.code })
  const f1 = new Phone(t.url)
  const fromA = `/o/all-88?ch=${share.code}&ref=${sharerA}`
  await f1.get(fromA, html)
  await f1.get(fromA, html)
  await f1.login(fromA)
  const f1Coupon = await claim(f1, 'all-88', { ch: share.code, ref: sharerA })
  expect((await nanjing.post('/api/redeem', { code: f1Coupon.code, storeId: 'nanjingxilu' })).status).toBe(200)

  // Sharer B opened the offer directly and claims; B's friend comes through a plain chat share and claims.
  const b = new Phone(t.url)
  await b.login('/o/all-88')
  sharerB = await userId(b)
  await b.get('/o/all-88', html)
  await claim(b, 'all-88', {})
  const f2 = new Phone(t.url)
  await f2.get(`/o/all-88?ch=share&ref=${sharerB}`, html)
  await f2.login(`/o/all-88?ch=share&ref=${sharerB}`)
  const f2Coupon = await claim(f2, 'all-88', { ch: 'share', ref: sharerB })

  // Day 2: the poster's visitor and A's friend come back (each a viewer again, once a day);
  // B's friend redeems at 静安寺店.
  t.clock.advance(DAY)
  d2 = chinaDay(t.clock.now())
  await v1.get(landing(poster.url), html)
  await f1.get(fromA, html)
  await f1.get(fromA, html)
  expect((await jingan.post('/api/redeem', { code: f2Coupon.code, storeId: 'jingansi' })).status).toBe(200)
})
afterAll(async () => {
  await t.close()
})

type Grouping = 'day' | 'offer' | 'channel' | 'store' | 'sharer'
const query = (groupBy: Grouping, more: Record<string, string> = {}) =>
  new URLSearchParams({ from: d1, to: d2, groupBy, ...more }).toString()
async function funnelOf(phone: Phone, groupBy: Grouping, more: Record<string, string> = {}) {
  const res = await phone.get(`/api/console/merchants/${mid}/funnel?${query(groupBy, more)}`)
  expect(res.status, res.body).toBe(200)
  return res.json as FunnelResponse
}
/** Rows as key → [views, claims, walletAdds, redemptions, viaSharers]. */
const figures = (f: FunnelResponse) =>
  Object.fromEntries(f.rows.map(r => [r.key, [r.views, r.claims, r.walletAdds, r.redemptions, r.viaSharers]]))

describe('the funnel route', () => {
  it('gives the exact totals of the traffic', async () => {
    const f = await funnelOf(owner, 'day')
    expect(f.totals).toEqual({ views: 8, claims: 5, walletAdds: 1, redemptions: 3, viaSharers: 2 })
  })

  it('by day: distinct viewers per day, every day of the range', async () => {
    const f = await funnelOf(owner, 'day')
    expect(f.rows.map(r => r.key)).toEqual([d1, d2])
    expect(figures(f)).toEqual({ [d1]: [6, 5, 1, 2, 2], [d2]: [2, 0, 0, 1, 0] })
  })

  it('by offer, with the k-factor of each', async () => {
    const f = await funnelOf(owner, 'offer')
    expect(figures(f)).toEqual({ 'all-88': [5, 4, 0, 2, 2], 'latte-10off': [3, 1, 1, 1, 0] })
    expect(f.rows.map(r => r.label)).toEqual(['全场饮品8.8折', '拿铁满50减10'])
    expect(f.rows.map(kFactor)).toEqual([0.5, 0])
  })

  it('by channel, each channel named', async () => {
    const f = await funnelOf(owner, 'channel')
    expect(figures(f)).toEqual({
      [poster.code]: [3, 1, 1, 1, 0],
      [share.code]: [3, 2, 0, 1, 1],
      direct: [1, 1, 0, 0, 0],
      share: [1, 1, 0, 1, 1],
    })
    const label = Object.fromEntries(f.rows.map(r => [r.key, r.label]))
    expect(label).toEqual({
      [poster.code]: '南京西路店收银台海报',
      [share.code]: '社群A',
      direct: '直接访问',
      share: '好友分享',
    })
  })

  it('by store: views and claims where the link named it, redemptions where they happened', async () => {
    const f = await funnelOf(owner, 'store')
    expect(figures(f)).toEqual({
      nanjingxilu: [3, 1, 1, 1, 0],
      jingansi: [0, 0, 0, 2, 0],
      '': [5, 4, 0, 0, 2],
    })
    expect(f.rows.find(r => r.key === 'jingansi')!.label).toBe('静安寺店')
  })

  it('by sharer: who brought whom', async () => {
    const f = await funnelOf(owner, 'sharer')
    expect(figures(f)).toEqual({
      [sharerA]: [2, 1, 0, 1, 1],
      [sharerB]: [1, 1, 0, 1, 1],
      '': [5, 3, 1, 1, 0],
    })
    expect(f.rows.find(r => r.key === '')!.label).toBe('非分享')
  })

  it('filters by offer, store and channel, together with any grouping', async () => {
    expect(figures(await funnelOf(owner, 'sharer', { channel: share.code }))).toEqual({
      [sharerA]: [2, 1, 0, 1, 1],
      '': [1, 1, 0, 0, 0],
    })
    expect(figures(await funnelOf(owner, 'channel', { offerId: 'latte-10off' }))).toEqual({
      [poster.code]: [3, 1, 1, 1, 0],
    })
    expect((await funnelOf(owner, 'offer', { storeId: 'jingansi' })).totals).toEqual({
      views: 0,
      claims: 0,
      walletAdds: 0,
      redemptions: 2,
      viaSharers: 0,
    })
    expect((await funnelOf(owner, 'day', { channel: 'share' })).totals.claims).toBe(1)
    const dayOne = await owner.get(
      `/api/console/merchants/${mid}/funnel?${new URLSearchParams({ from: d1, to: d1, groupBy: 'offer' })}`,
    )
    expect(dayOne.json.totals).toMatchObject({ views: 6, claims: 5, redemptions: 2 })
  })

  it('lists each channel with its own totals', async () => {
    const res = await owner.get(`/api/console/merchants/${mid}/channels`)
    const totals = Object.fromEntries((res.json.channels as ChannelDto[]).map(c => [c.code, c.totals]))
    expect(totals).toEqual({
      [poster.code]: { views: 3, claims: 1, walletAdds: 1, redemptions: 1 },
      [share.code]: { views: 3, claims: 2, walletAdds: 0, redemptions: 1 },
    })
  })

  it('refuses a malformed query, naming the field', async () => {
    const bad = async (q: string, field: string) => {
      const res = await owner.get(`/api/console/merchants/${mid}/funnel?${q}`)
      expect(res.status).toBe(400)
      expect(res.json.error).toMatchObject({ code: 'invalid_request', field })
    }
    await bad(`from=${d2}&to=${d1}`, 'to')
    await bad(`from=2026-02-30&to=${d1}`, 'from')
    await bad(`from=${d1}&to=${d2}&groupBy=week`, 'groupBy')
    await bad(`from=${d1}&to=${d2}&channel=NOT-A-CODE`, 'channel')
  })
})

/** A CSV file as rows of cells: every cell quoted, quotes doubled, CRLF between rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let i = 0
  while (i < text.length) {
    expect(text[i]).toBe('"')
    let cell = ''
    for (i++; ; i++) {
      if (text[i] === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (text[i] === '"') break
      else cell += text[i]
    }
    row.push(cell)
    i++
    if (text[i] === ',') i++
    else {
      expect(text.slice(i, i + 2)).toBe('\r\n')
      rows.push(row)
      row = []
      i += 2
    }
  }
  return rows
}

describe('the funnel as CSV', () => {
  it.each(['day', 'offer', 'channel', 'store', 'sharer'] as Grouping[])(
    'says what the JSON says, row by row, grouped by %s',
    async groupBy => {
      const json = await funnelOf(owner, groupBy)
      const res = await fetch(`${t.url}/api/console/merchants/${mid}/funnel.csv?${query(groupBy)}`, {
        headers: { cookie: owner.cookieHeader() },
      })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="funnel-${groupBy}-${d1}-${d2}.csv"`)
      const bytes = new Uint8Array(await res.arrayBuffer())
      // The UTF-8 byte order mark, so Excel reads the Chinese as UTF-8.
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
      const rows = parseCsv(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(3)))
      expect(rows[0]!.slice(1)).toEqual(['键', '浏览', '领取', '加入卡包', '核销', '经分享领取'])
      const n = (r: { views: number; claims: number; walletAdds: number; redemptions: number; viaSharers: number }) =>
        [r.views, r.claims, r.walletAdds, r.redemptions, r.viaSharers].map(String)
      expect(rows.slice(1, -1)).toEqual(json.rows.map(r => [r.label, r.key, ...n(r)]))
      expect(rows.at(-1)).toEqual(['合计', '', ...n(json.totals)])
    },
  )
})

describe('another merchant', () => {
  it('sees none of it, and its filters may not name this merchant’s things', async () => {
    const other = await newMerchant(t, '豆子烘焙')
    const res = await other.owner.get(`/api/console/merchants/${other.id}/funnel?${query('channel')}`)
    expect(res.status).toBe(200)
    expect(res.json).toEqual({
      totals: { views: 0, claims: 0, walletAdds: 0, redemptions: 0, viaSharers: 0 },
      rows: [],
    })
    const filters: Record<string, string>[] = [
      { offerId: 'all-88' },
      { storeId: 'nanjingxilu' },
      { channel: share.code },
    ]
    for (const filter of filters) {
      const refused = await other.owner.get(`/api/console/merchants/${other.id}/funnel?${query('day', filter)}`)
      expect(refused.status, JSON.stringify(filter)).toBe(404)
      const csv = await other.owner.get(`/api/console/merchants/${other.id}/funnel.csv?${query('day', filter)}`)
      expect(csv.status).toBe(404)
    }
    expect((await other.owner.get(`/api/console/merchants/${mid}/funnel?${query('day')}`)).status).toBe(403)
    expect((await other.owner.get(`/api/console/merchants/${mid}/funnel.csv?${query('day')}`)).status).toBe(403)
    expect((await other.owner.get(`/api/console/merchants/${other.id}/channels`)).json).toEqual({ channels: [] })
    expect((await other.owner.get(`/api/console/merchants/${other.id}/channels/${poster.id}`)).status).toBe(404)
    expect((await other.owner.get(`/api/console/merchants/${other.id}/channels/${poster.id}/poster.png`)).status).toBe(
      404,
    )
  })

  it('refuses this merchant a channel code that is not its own as a filter', async () => {
    const res = await owner.get(`/api/console/merchants/${mid}/funnel?${query('day', { channel: 'zz9zz9' })}`)
    expect(res.status).toBe(404)
  })
})
