import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { joinAsClerk } from '../helpers/clerk.ts'
import { consoleCall, consolePhone, newMerchant } from '../helpers/console.ts'
import { newKey, Phone } from '../helpers/phone.ts'

let t: TestApp
let owner: Phone
const base = '/api/console/merchants/shanchuan'

beforeAll(async () => {
  t = await startTestApp()
  owner = await consolePhone(t)
})
afterAll(async () => {
  await t.close()
})

async function newClerk(storeId: string) {
  const invite = await owner.post(`${base}/stores/${storeId}/clerk-invites`, { ttlMinutes: 60 })
  expect(invite.status).toBe(201)
  const phone = await joinAsClerk(t, invite.json.url)
  const clerks = (await owner.get(`${base}/stores/${storeId}/clerks`)).json.clerks
  return { phone, clerk: clerks.at(-1), invite: invite.json }
}

describe('console stores', () => {
  it('lists the merchant’s stores with their clerk counts', async () => {
    const res = await owner.get(`${base}/stores`)
    expect(res.status).toBe(200)
    expect(res.json.stores.map((s: { id: string }) => s.id)).toEqual(['nanjingxilu', 'jingansi'])
    expect(res.json.stores[0]).toEqual({
      id: 'nanjingxilu',
      name: '南京西路店',
      address: expect.any(String),
      clerkCount: expect.any(Number),
      createdAt: expect.any(String),
    })
  })

  it('creates and edits a store, which an offer can then be limited to', async () => {
    const made = await owner.post(`${base}/stores`, { name: ' 徐家汇店 ', address: '上海市徐汇区漕溪北路1号' })
    expect(made.status).toBe(201)
    expect(made.json.store).toMatchObject({ name: '徐家汇店', clerkCount: 0 })
    const sid = made.json.store.id
    const moved = await consoleCall(owner, 'PATCH', `${base}/stores/${sid}`, { address: '上海市徐汇区虹桥路2号' })
    expect(moved.json.store).toMatchObject({ id: sid, name: '徐家汇店', address: '上海市徐汇区虹桥路2号' })
    expect((await new Phone(t.url).get(`/api/stores/${sid}`)).json.store.address).toBe('上海市徐汇区虹桥路2号')
    const entries = (await owner.get(`${base}/audit?limit=2`)).json.entries
    expect(entries[0]).toMatchObject({
      action: 'store.update',
      target: { type: 'store', id: sid, label: '徐家汇店' },
      changes: [{ field: 'address', before: '上海市徐汇区漕溪北路1号', after: '上海市徐汇区虹桥路2号' }],
    })
    expect(entries[1]).toMatchObject({ action: 'store.create', target: { id: sid } })
  })

  it.each([
    [{ name: '', address: '某路' }, 'name'],
    [{ name: '店', address: ' ' }, 'address'],
    [{ name: '店'.repeat(31), address: '某路' }, 'name'],
    [{ name: '店', address: '某路', extra: 1 }, ''],
  ])('refuses %j with the field named', async (body, field) => {
    const res = await owner.post(`${base}/stores`, body)
    expect(res.status).toBe(400)
    expect(res.json.error.field ?? '').toBe(field)
  })
})

describe('console clerks', () => {
  it('invites a clerk per store with a single-use link, and lists them masked with when they joined', async () => {
    const { phone, clerk, invite } = await newClerk('jingansi')
    expect(invite.url).toMatch(new RegExp(`^${t.url}/clerk/join\\?invite=[A-Za-z0-9]{32}$`))
    expect((await phone.get('/api/clerk/me')).json.stores.map((s: { id: string }) => s.id)).toContain('jingansi')
    expect(clerk).toEqual({
      id: expect.any(String),
      storeId: 'jingansi',
      name: expect.stringMatching(/^(.\*\*|微信用户.{4})$/),
      joinedAt: expect.any(String),
      lastRedemptionAt: null,
      revokedAt: null,
    })
    const again = await joinAsClerk(t, invite.url).catch(err => String(err))
    expect(String(again)).toContain('joining failed')
    expect(
      (await owner.get(`${base}/stores`)).json.stores.find((s: { id: string }) => s.id === 'jingansi').clerkCount,
    ).toBeGreaterThanOrEqual(1)
  })

  it('shows a clerk’s last redemption, and revoking ends the clerk’s sessions', async () => {
    const { phone, clerk } = await newClerk('nanjingxilu')
    const consumer = new Phone(t.url)
    await consumer.login()
    const coupon = (await consumer.post('/api/offers/all-88/claim', {}, { 'idempotency-key': newKey() })).json.coupon
    expect((await phone.post('/api/redeem', { code: coupon.code, storeId: 'nanjingxilu' })).status).toBe(200)
    const listed = (await owner.get(`${base}/stores/nanjingxilu/clerks`)).json.clerks.find(
      (c: { id: string }) => c.id === clerk.id,
    )
    expect(listed.lastRedemptionAt).toBe(new Date(t.clock.now() * 1000).toISOString())

    const revoked = await owner.request('DELETE', `${base}/clerks/${clerk.id}`)
    expect(revoked.status).toBe(204)
    expect((await phone.get('/api/clerk/me')).status).toBe(401)
    const after = (await owner.get(`${base}/stores/nanjingxilu/clerks`)).json.clerks.find(
      (c: { id: string }) => c.id === clerk.id,
    )
    expect(after.revokedAt).not.toBeNull()
    expect((await owner.request('DELETE', `${base}/clerks/${clerk.id}`)).status).toBe(204)
    const entries = (await owner.get(`${base}/audit?limit=5`)).json.entries
    expect(entries.filter((e: { action: string }) => e.action === 'clerk.revoke')).toHaveLength(1)
    expect(entries[0]).toMatchObject({ action: 'clerk.revoke', target: { type: 'clerk', id: clerk.id } })
  })

  it('keeps the operator’s admin clerk routes working alongside', async () => {
    const admin = { authorization: `Bearer ${t.config.adminToken}` }
    const list = (await (await fetch(`${t.url}/api/admin/stores/jingansi/clerks`, { headers: admin })).json()) as any
    expect(list.clerks.length).toBeGreaterThanOrEqual(1)
  })
})

describe('the audit log', () => {
  it('pages newest first with before and limit, and ends with next null', async () => {
    const { id, owner: o } = await newMerchant(t, '翻页店')
    for (let i = 0; i < 5; i++)
      await o.post(`/api/console/merchants/${id}/stores`, { name: `店${i}`, address: `路${i}号` })
    const all = (await o.get(`/api/console/merchants/${id}/audit`)).json
    expect(all.next).toBeNull()
    // The merchant's creation by the operator, the owner joining, then five stores.
    expect(all.entries.map((e: { action: string }) => e.action)).toEqual([
      ...Array(5).fill('store.create'),
      'member.join',
      'merchant.create',
    ])
    expect(all.entries.at(-1).actor).toEqual({ id: 'operator', name: '平台运营' })
    const seen: string[] = []
    let before: string | null = null
    do {
      const page: { entries: { id: string }[]; next: string | null } = (
        await o.get(`/api/console/merchants/${id}/audit?limit=3${before ? `&before=${before}` : ''}`)
      ).json
      seen.push(...page.entries.map((e: { id: string }) => e.id))
      before = page.next
    } while (before)
    expect(seen).toEqual(all.entries.map((e: { id: string }) => e.id))
    expect((await o.get(`/api/console/merchants/${id}/audit?limit=0`)).status).toBe(400)
    // Another merchant's entry as the cursor finds nothing of this one.
    const theirs = (await owner.get(`${base}/audit?limit=1`)).json.entries[0].id
    expect((await o.get(`/api/console/merchants/${id}/audit?before=${theirs}`)).json).toEqual({
      entries: [],
      next: null,
    })
  })
})
