import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { changeMemberRole } from '../../src/server/merchants/member-changes.ts'
import { DAY } from '../../src/shared/time.ts'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { consoleCall, consolePhone, newManager, newMerchant, openWithWeChat } from '../helpers/console.ts'
import { Phone } from '../helpers/phone.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => {
  await t.close()
})

const admin = (method: string, path: string, body?: unknown) =>
  fetch(`${t.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${t.config.adminToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })

async function memberIdOf(owner: Phone, mid: string, isMe = false, role?: string) {
  const list = (await owner.get(`/api/console/merchants/${mid}/members`)).json.members as {
    id: string
    role: string
    isMe: boolean
  }[]
  return list.find(m => m.isMe === isMe && (!role || m.role === role))!.id
}

describe('the operator', () => {
  it('creates a merchant with its owner’s single-use, seven-day invite, and lists merchants', async () => {
    const res = await admin('POST', '/api/admin/merchants', { name: '  湖畔书店 ' })
    expect(res.status).toBe(201)
    const body = (await res.json()) as any
    expect(body.merchant).toEqual({ id: expect.any(String), name: '湖畔书店' })
    expect(body.ownerInvite.url).toMatch(new RegExp(`^${t.url}/console/join\\?invite=[A-Za-z0-9]{32}$`))
    expect(Date.parse(body.ownerInvite.expiresAt) / 1000).toBe(t.clock.now() + 7 * DAY)
    const list = (await (await admin('GET', '/api/admin/merchants')).json()) as any
    expect(list.merchants).toContainEqual({
      id: body.merchant.id,
      name: '湖畔书店',
      createdAt: expect.any(String),
      members: 0,
    })
    expect(list.merchants.find((m: any) => m.id === 'shanchuan').members).toBe(1)
  })

  it('needs the admin token, and a name', async () => {
    const res = await fetch(`${t.url}/api/admin/merchants`, {
      method: 'POST',
      headers: { authorization: 'Bearer not-the-token-at-all', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x' }),
    })
    expect(res.status).toBe(401)
    expect((await fetch(`${t.url}/api/admin/merchants`)).status).toBe(401)
    const bad = await admin('POST', '/api/admin/merchants', { name: ' ' })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as any).error).toMatchObject({ code: 'invalid_request', field: 'name' })
  })
})

describe('member invites', () => {
  it('make the person who opens one the owner, who then sees the merchant in /api/console/me', async () => {
    const { id, owner } = await newMerchant(t, '晨光花店')
    const me = await owner.get('/api/console/me')
    expect(me.status).toBe(200)
    expect(me.json.memberships).toEqual([{ merchant: { id, name: '晨光花店' }, role: 'owner' }])
    expect(me.json.user.nickname).toBeTruthy()
  })

  it('are single use: a second person is refused, the first may open it again', async () => {
    const res = await admin('POST', '/api/admin/merchants', { name: '单次邀请' })
    const { ownerInvite } = (await res.json()) as any
    const first = new Phone(t.url)
    expect((await openWithWeChat(first, ownerInvite.url)).location).toBe('/console')
    expect((await openWithWeChat(first, ownerInvite.url)).location).toBe('/console')
    const second = new Phone(t.url)
    const refused = await openWithWeChat(second, ownerInvite.url)
    expect(refused.status).toBe(409)
    expect(refused.body).toContain('已被使用')
    expect((await second.get('/api/console/me')).json.memberships).toEqual([])
  })

  it('expire after seven days by the app clock', async () => {
    const res = await admin('POST', '/api/admin/merchants', { name: '过期邀请' })
    const { ownerInvite } = (await res.json()) as any
    t.clock.advance(7 * DAY)
    try {
      const late = await openWithWeChat(new Phone(t.url), ownerInvite.url)
      expect(late.status).toBe(409)
      expect(late.body).toContain('已过期')
    } finally {
      t.clock.advance(-7 * DAY)
    }
  })

  it('refuse a forged or malformed link with a page', async () => {
    const p = await consolePhone(t)
    expect((await p.get('/console/join?invite=ForgedForgedForgedForgedForged12')).status).toBe(400)
    expect((await p.get('/console/join?invite=a&invite=b')).status).toBe(400)
  })

  it('are made by owners only, for managers only', async () => {
    const owner = await consolePhone(t)
    expect((await owner.post('/api/console/merchants/shanchuan/invites', { role: 'owner' })).json.error).toMatchObject({
      code: 'invalid_request',
      field: 'role',
    })
    const manager = await newManager(t, owner, 'shanchuan')
    const res = await manager.post('/api/console/merchants/shanchuan/invites', { role: 'manager' })
    expect(res.status).toBe(403)
    expect(res.json.error.code).toBe('forbidden')
    expect((await manager.get('/api/console/me')).json.memberships).toEqual([
      { merchant: { id: 'shanchuan', name: '山川咖啡' }, role: 'manager' },
    ])
  })
})

describe('members', () => {
  it('lets one person belong to several merchants', async () => {
    const a = await newMerchant(t, '甲店')
    const b = await newMerchant(t, '乙店')
    // Memberships are listed in the order joined: the test clock stands still, so the second join comes a second later.
    t.clock.advance(1)
    const res = await a.owner.post(`/api/console/merchants/${a.id}/invites`, { role: 'manager' })
    const joined = await openWithWeChat(b.owner, res.json.url)
    expect(joined.location).toBe('/console')
    const me = await b.owner.get('/api/console/me')
    expect(me.json.memberships).toEqual([
      { merchant: { id: b.id, name: '乙店' }, role: 'owner' },
      { merchant: { id: a.id, name: '甲店' }, role: 'manager' },
    ])
  })

  it('changes a role and removes a member; it counts from the person’s next request', async () => {
    const { id, owner } = await newMerchant(t, '角色店')
    const manager = await newManager(t, owner, id)
    const memberId = await memberIdOf(owner, id)
    expect((await manager.post(`/api/console/merchants/${id}/invites`, { role: 'manager' })).status).toBe(403)
    const promoted = await consoleCall(owner, 'PATCH', `/api/console/merchants/${id}/members/${memberId}`, {
      role: 'owner',
    })
    expect(promoted.status).toBe(200)
    expect(promoted.json.member).toMatchObject({ id: memberId, role: 'owner', isMe: false })
    expect((await manager.post(`/api/console/merchants/${id}/invites`, { role: 'manager' })).status).toBe(201)
    const removed = await owner.request('DELETE', `/api/console/merchants/${id}/members/${memberId}`)
    expect(removed.status).toBe(204)
    const after = await manager.get(`/api/console/merchants/${id}/offers`)
    expect(after.status).toBe(403)
    expect(after.json.error.code).toBe('forbidden')
    expect((await owner.get(`/api/console/merchants/${id}/members`)).json.members).toHaveLength(1)
  })

  it('never removes or demotes the last owner (409 last_owner)', async () => {
    const { id, owner } = await newMerchant(t, '唯一店主')
    const mine = await memberIdOf(owner, id, true)
    const demote = await consoleCall(owner, 'PATCH', `/api/console/merchants/${id}/members/${mine}`, {
      role: 'manager',
    })
    expect(demote.status).toBe(409)
    expect(demote.json.error.code).toBe('last_owner')
    const remove = await owner.request('DELETE', `/api/console/merchants/${id}/members/${mine}`)
    expect(remove.status).toBe(409)
    expect(remove.json.error.code).toBe('last_owner')
    expect((await owner.get('/api/console/me')).json.memberships[0].role).toBe('owner')
  })

  it('keeps an owner when two owners demote each other at the same moment', async () => {
    const { id, owner } = await newMerchant(t, '互相降级')
    const second = await newManager(t, owner, id)
    const secondId = await memberIdOf(owner, id)
    await consoleCall(owner, 'PATCH', `/api/console/merchants/${id}/members/${secondId}`, { role: 'owner' })
    const firstId = await memberIdOf(owner, id, true)
    const [a, b] = await Promise.all([
      consoleCall(owner, 'PATCH', `/api/console/merchants/${id}/members/${secondId}`, { role: 'manager' }),
      consoleCall(second, 'PATCH', `/api/console/merchants/${id}/members/${firstId}`, { role: 'manager' }),
    ])
    // The loser is refused either as the last owner (409) or, when the winner committed before its
    // request was read, as no longer an owner (403); never do both succeed.
    const statuses = [a.status, b.status].sort()
    expect(statuses[0]).toBe(200)
    expect([403, 409]).toContain(statuses[1])
    const members = (await owner.get(`/api/console/merchants/${id}/members`)).json.members
    expect(members.filter((m: { role: string }) => m.role === 'owner')).toHaveLength(1)
  })

  it('keeps one owner when every owner is demoted at once (the merchant row serialises them)', async () => {
    const { id, owner } = await newMerchant(t, '五位店主')
    for (let i = 0; i < 4; i++) await newManager(t, owner, id)
    const db = t.database.db
    await db.updateTable('merchant_members').set({ role: 'owner' }).where('merchant_id', '=', id).execute()
    const members = await db
      .selectFrom('merchant_members')
      .select(['id', 'user_id'])
      .where('merchant_id', '=', id)
      .execute()
    const results = await Promise.allSettled(
      members.map(m =>
        changeMemberRole(db, { merchantId: id, memberId: m.id, actorId: m.user_id, role: 'manager' }, t.clock.now()),
      ),
    )
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(4)
    const refused = results.find(r => r.status === 'rejected') as PromiseRejectedResult
    expect(refused.reason).toMatchObject({ code: 'last_owner' })
    const owners = await db
      .selectFrom('merchant_members')
      .select('id')
      .where('merchant_id', '=', id)
      .where('role', '=', 'owner')
      .execute()
    expect(owners).toHaveLength(1)
  })

  it('answers 401 to /api/console/me without a session, and an empty list to someone who is no member', async () => {
    const none = await new Phone(t.url).get('/api/console/me')
    expect(none.status).toBe(401)
    expect(none.json.error.code).toBe('unauthenticated')
    const stranger = new Phone(t.url)
    await stranger.login()
    expect((await stranger.get('/api/console/me')).json.memberships).toEqual([])
  })
})
