/**
 * A merchant's channels through the console's routes: what a create checks (each refusal naming
 * its field), the code and links it hands back, the audit entry, and attribution: a channel's code
 * counts for its own merchant only, and any code nobody made counts as direct.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FunnelResponse } from '../../src/shared/api/analytics.ts'
import type { ChannelDto } from '../../src/shared/api/channels.ts'
import { createChannel } from '../../src/server/channels/service.ts'
import { chinaDay } from '../../src/shared/time.ts'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { consoleCall, consolePhone, newManager, newMerchant } from '../helpers/console.ts'
import { newKey, Phone } from '../helpers/phone.ts'

let t: TestApp
let owner: Phone
const mid = 'shanchuan'
const channels = `/api/console/merchants/${mid}/channels`

beforeAll(async () => {
  t = await startTestApp({ outboxIntervalMs: 0 })
  owner = await consolePhone(t)
})
afterAll(async () => {
  await t.close()
})

const today = () => chinaDay(t.clock.now())
async function funnelOf(phone: Phone, merchant: string, groupBy: string, more: Record<string, string> = {}) {
  const q = new URLSearchParams({ from: today(), to: today(), groupBy, ...more })
  const res = await phone.get(`/api/console/merchants/${merchant}/funnel?${q}`)
  expect(res.status, res.body).toBe(200)
  return res.json as FunnelResponse
}
const claimsOf = (f: FunnelResponse, key: string) => f.rows.find(r => r.key === key)?.claims ?? 0
const viewsOf = (f: FunnelResponse, key: string) => f.rows.find(r => r.key === key)?.views ?? 0

describe('creating a channel', () => {
  it('gives a poster channel a short code, its store landing link and its poster', async () => {
    const res = await owner.post(channels, { name: '南京西路店收银台', kind: 'poster', storeId: 'nanjingxilu' })
    expect(res.status).toBe(201)
    const c = res.json.channel as ChannelDto
    expect(c.code).toMatch(/^[a-z0-9]{6,8}$/)
    expect(c).toMatchObject({
      name: '南京西路店收银台',
      kind: 'poster',
      offerId: null,
      storeId: 'nanjingxilu',
      url: `${t.url}/s/nanjingxilu?ch=${c.code}`,
      posterUrl: `${t.url}/api/console/merchants/${mid}/channels/${c.id}/poster.png`,
      totals: { views: 0, claims: 0, walletAdds: 0, redemptions: 0 },
    })
    expect((await owner.get(`${channels}/${c.id}`)).json.channel).toEqual(c)
    expect((await owner.get(channels)).json.channels).toContainEqual(c)
  })

  it('links a poster that names an offer to the offer, with the store', async () => {
    const res = await owner.post(channels, {
      name: '静安寺店门口',
      kind: 'poster',
      offerId: 'latte-10off',
      storeId: 'jingansi',
    })
    const c = res.json.channel as ChannelDto
    expect(c.url).toBe(`${t.url}/o/latte-10off?ch=${c.code}&store=jingansi`)
  })

  it('gives a share channel the offer link and no poster', async () => {
    const res = await owner.post(channels, { name: '朋友圈投放', kind: 'share', offerId: 'all-88', storeId: null })
    const c = res.json.channel as ChannelDto
    expect(c).toMatchObject({ kind: 'share', url: `${t.url}/o/all-88?ch=${c.code}`, posterUrl: null })
    expect((await owner.get(`${channels}/${c.id}/poster.png`)).status).toBe(404)
  })

  it('lets a manager create one too, and records who did in the audit log', async () => {
    const manager = await newManager(t, owner, mid)
    const res = await manager.post(channels, { name: '社群B', kind: 'share', offerId: 'all-88' })
    expect(res.status).toBe(201)
    const entry = (await owner.get(`/api/console/merchants/${mid}/audit`)).json.entries[0]
    expect(entry).toMatchObject({
      action: 'channel.create',
      target: { type: 'channel', id: res.json.channel.id, label: '社群B' },
    })
    expect(entry.changes).toEqual([
      { field: 'name', before: null, after: '社群B' },
      { field: 'channelKind', before: null, after: 'share' },
      { field: 'code', before: null, after: res.json.channel.code },
      { field: 'offer', before: null, after: '全场饮品8.8折' },
    ])
  })

  it.each([
    ['no name', { kind: 'share', offerId: 'all-88' }, 'name', '请填写渠道名称'],
    ['a blank name', { name: '   ', kind: 'share', offerId: 'all-88' }, 'name', '请填写渠道名称'],
    ['a long name', { name: '长'.repeat(31), kind: 'share', offerId: 'all-88' }, 'name', '渠道名称最多30个字'],
    ['no kind', { name: '社群' }, 'kind', '请选择渠道类型'],
    ['an unknown kind', { name: '社群', kind: 'sms', offerId: 'all-88' }, 'kind', '请选择渠道类型'],
    ['a share link without an offer', { name: '社群', kind: 'share' }, 'offerId', '分享渠道须选择一张优惠券'],
    ['a poster without a store', { name: '海报', kind: 'poster', offerId: 'all-88' }, 'storeId', '门店海报须选择门店'],
    ['a malformed offer id', { name: '社群', kind: 'share', offerId: 'a/b' }, 'offerId', undefined],
    ['a field of its own', { name: '社群', kind: 'share', offerId: 'all-88', code: 'mine' }, '', undefined],
  ])('refuses %s with a 400 naming the field', async (_, body, field, message) => {
    const res = await owner.post(channels, body)
    expect(res.status).toBe(400)
    expect(res.json.error.code).toBe('invalid_request')
    if (field) expect(res.json.error.field).toBe(field)
    if (message) expect(res.json.error.issues).toContainEqual({ field, message })
  })

  it('refuses a poster for an offer the store does not take', async () => {
    const res = await owner.post(channels, {
      name: '海报',
      kind: 'poster',
      offerId: 'cookie-gift',
      storeId: 'jingansi',
    })
    expect(res.status).toBe(400)
    expect(res.json.error).toMatchObject({ field: 'storeId' })
    expect(res.json.error.issues).toEqual([{ field: 'storeId', message: '这张优惠券在该门店不可用' }])
  })

  it('refuses a body that is not JSON', async () => {
    const res = await owner.request('POST', channels, { form: { name: '社群', kind: 'share', offerId: 'all-88' } })
    expect(res.status).toBe(400)
  })

  it('draws another code when the first is taken', async () => {
    const taken = (await owner.post(channels, { name: '先来', kind: 'share', offerId: 'all-88' })).json
      .channel as ChannelDto
    const draws: number[] = []
    const c = await createChannel(
      t.app.deps,
      { merchantId: mid, actorId: null as unknown as string },
      { name: '后到', kind: 'share', offerId: 'all-88', storeId: null },
      t.clock.now(),
      attempt => {
        draws.push(attempt)
        return attempt === 0 ? taken.code : 'fresh9'
      },
    )
    expect(draws).toEqual([0, 1])
    expect(c.code).toBe('fresh9')
    expect((await owner.get(`${channels}/${c.id}`)).json.channel.code).toBe('fresh9')
  })
})

describe('another merchant’s things', () => {
  it('can’t be named by a channel, and its channels are not this merchant’s', async () => {
    const other = await newMerchant(t, '豆子烘焙')
    const mine = `/api/console/merchants/${other.id}/channels`
    expect((await other.owner.post(mine, { name: '偷', kind: 'share', offerId: 'all-88' })).status).toBe(404)
    expect((await other.owner.post(mine, { name: '偷', kind: 'poster', storeId: 'nanjingxilu' })).status).toBe(404)
    expect((await other.owner.get(channels)).status).toBe(403)
    expect((await other.owner.post(channels, { name: '偷', kind: 'share', offerId: 'all-88' })).status).toBe(403)
  })
})

describe('attribution', () => {
  it('records a channel’s code for its own merchant, and direct for another merchant’s offer', async () => {
    const other = await newMerchant(t, '小林面包')
    const store = await consoleCall(other.owner, 'POST', `/api/console/merchants/${other.id}/stores`, {
      name: '小林面包总店',
      address: '长宁路1号',
    })
    const theirs = (
      await other.owner.post(`/api/console/merchants/${other.id}/channels`, {
        name: '店门海报',
        kind: 'poster',
        storeId: store.json.store.id,
      })
    ).json.channel as ChannelDto
    const ours = (await owner.post(channels, { name: '自己的', kind: 'share', offerId: 'all-88' })).json
      .channel as ChannelDto

    const before = await funnelOf(owner, mid, 'channel', { offerId: 'all-88' })
    // Someone opens our offer with their code, and claims with it; another opens it with ours.
    const stray = new Phone(t.url)
    await stray.get(`/o/all-88?ch=${theirs.code}`, { accept: 'text/html' })
    await stray.login()
    const claimed = await stray.post('/api/offers/all-88/claim', { ch: theirs.code }, { 'idempotency-key': newKey() })
    expect(claimed.status).toBe(201)
    const fan = new Phone(t.url)
    await fan.get(`/o/all-88?ch=${ours.code}`, { accept: 'text/html' })
    const after = await funnelOf(owner, mid, 'channel', { offerId: 'all-88' })

    expect(viewsOf(after, 'direct') - viewsOf(before, 'direct')).toBe(1)
    expect(claimsOf(after, 'direct') - claimsOf(before, 'direct')).toBe(1)
    expect(viewsOf(after, ours.code)).toBe(1)
    expect(after.rows.map(r => r.key)).not.toContain(theirs.code)
    const coupon = await t.database.db
      .selectFrom('coupons')
      .select('channel')
      .where('id', '=', claimed.json.coupon.id)
      .executeTakeFirstOrThrow()
    expect(coupon.channel).toBe('direct')
    // …while the other merchant's own store page counts it as theirs.
    await new Phone(t.url).get(`/s/${store.json.store.id}?ch=${theirs.code}`, { accept: 'text/html' })
    expect(viewsOf(await funnelOf(other.owner, other.id, 'channel'), theirs.code)).toBe(1)
  })

  it('records any code nobody made as direct', async () => {
    const before = await funnelOf(owner, mid, 'channel', { offerId: 'latte-10off' })
    const phone = new Phone(t.url)
    await phone.get('/o/latte-10off?ch=zz9zz9', { accept: 'text/html' })
    await phone.login()
    const claimed = await phone.post(
      '/api/offers/latte-10off/claim',
      { ch: 'nobody1' },
      { 'idempotency-key': newKey() },
    )
    expect(claimed.status).toBe(201)
    const after = await funnelOf(owner, mid, 'channel', { offerId: 'latte-10off' })
    expect(viewsOf(after, 'direct') - viewsOf(before, 'direct')).toBe(1)
    expect(claimsOf(after, 'direct') - claimsOf(before, 'direct')).toBe(1)
    expect(after.rows.map(r => r.key)).not.toContain('zz9zz9')
    expect(after.rows.map(r => r.key)).not.toContain('nobody1')
  })
})
