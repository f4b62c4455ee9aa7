/**
 * Authorization over the whole route table: every route under /api/console/merchants/:mid is read
 * from app.routeTable, so a route added later is checked too (and fails here until it has a body
 * and its parameters are known).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chinaDay } from '../../src/shared/time.ts'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { joinAsClerk } from '../helpers/clerk.ts'
import { consoleCall, consolePhone, newManager, newMerchant, offerBody } from '../helpers/console.ts'
import { Phone } from '../helpers/phone.ts'

let t: TestApp
let owner: Phone
let manager: Phone
let stranger: Phone
let other: { id: string; owner: Phone }
/** Ids of each kind, by path parameter: the demo café's own and the other merchant's. */
const mine: Record<string, string> = { mid: 'shanchuan', id: 'latte-10off', sid: 'nanjingxilu' }
const theirs: Record<string, string> = {}

const OWNER_ONLY = [
  'POST /api/console/merchants/:mid/invites',
  'PATCH /api/console/merchants/:mid/members/:memberId',
  'DELETE /api/console/merchants/:mid/members/:memberId',
]

/** A valid body for every console write: a refusal must come from who is asking, not from the body. */
function bodyFor(method: string, url: string): unknown {
  const bodies: Record<string, unknown> = {
    'POST /api/console/merchants/:mid/invites': { role: 'manager' },
    'PATCH /api/console/merchants/:mid/members/:memberId': { role: 'manager' },
    'POST /api/console/merchants/:mid/offers': offerBody(t, { status: 'draft' }),
    'PATCH /api/console/merchants/:mid/offers/:id': { description: '权限测试' },
    'POST /api/console/merchants/:mid/offers/:id/stock': { add: 1 },
    'POST /api/console/merchants/:mid/stores': { name: '权限测试店', address: '测试路1号' },
    'PATCH /api/console/merchants/:mid/stores/:sid': {},
    'POST /api/console/merchants/:mid/stores/:sid/clerk-invites': {},
    'POST /api/console/merchants/:mid/channels': { name: '权限测试渠道', kind: 'share', offerId: 'latte-10off' },
  }
  const key = `${method} ${url}`
  if (Object.hasOwn(bodies, key)) return bodies[key]
  if (method === 'GET' || method === 'HEAD' || method === 'DELETE') return undefined
  throw new Error(`no body for ${key}: add one to this test`)
}

function pathFor(url: string, ids: (name: string) => string): string {
  const path = url.replace(/:(\w+)/g, (_m, name: string) => {
    // Under …/channels/, :id is a channel's.
    const id = ids(name === 'id' && url.includes('/channels/') ? 'channelId' : name)
    if (!id) throw new Error(`unknown parameter :${name} in ${url}: add it to this test`)
    return id
  })
  // The funnel asks for a range of days.
  return /\/funnel(\.csv)?$/.test(url) ? `${path}?from=${chinaDay(t.clock.now())}&to=${chinaDay(t.clock.now())}` : path
}

function call(phone: Phone, method: string, path: string, url: string) {
  return consoleCall(phone, method, path, bodyFor(method, url), method === 'PATCH' ? 1 : undefined)
}

beforeAll(async () => {
  t = await startTestApp()
  owner = await consolePhone(t)
  manager = await newManager(t, owner, 'shanchuan')
  stranger = new Phone(t.url)
  await stranger.login()
  other = await newMerchant(t, '别家咖啡')
  const mid = other.id
  const store = await other.owner.post(`/api/console/merchants/${mid}/stores`, {
    name: '别家一店',
    address: '别处路2号',
  })
  const offer = await other.owner.post(`/api/console/merchants/${mid}/offers`, offerBody(t))
  const invite = await other.owner.post(`/api/console/merchants/${mid}/stores/${store.json.store.id}/clerk-invites`, {})
  await joinAsClerk(t, invite.json.url)
  const clerks = await other.owner.get(`/api/console/merchants/${mid}/stores/${store.json.store.id}/clerks`)
  const members = await other.owner.get(`/api/console/merchants/${mid}/members`)
  const poster = { name: '权限测试海报', kind: 'poster' }
  const channel = await other.owner.post(`/api/console/merchants/${mid}/channels`, {
    ...poster,
    storeId: store.json.store.id,
  })
  Object.assign(theirs, {
    mid,
    id: offer.json.offer.id,
    sid: store.json.store.id,
    cid: clerks.json.clerks[0].id,
    memberId: members.json.members[0].id,
    channelId: channel.json.channel.id,
  })
  mine.channelId = (
    await owner.post('/api/console/merchants/shanchuan/channels', { ...poster, storeId: 'nanjingxilu' })
  ).json.channel.id
  const ownClerk = await joinAsClerk(
    t,
    (await owner.post('/api/console/merchants/shanchuan/stores/nanjingxilu/clerk-invites', {})).json.url,
  )
  expect((await ownClerk.get('/api/clerk/me')).status).toBe(200)
  mine.cid = (await owner.get('/api/console/merchants/shanchuan/stores/nanjingxilu/clerks')).json.clerks[0].id
  mine.memberId = (await owner.get('/api/console/merchants/shanchuan/members')).json.members.find(
    (m: { isMe: boolean }) => !m.isMe,
  ).id
})
afterAll(async () => {
  await t.close()
})

const consoleRoutes = () =>
  t.app.routeTable.filter(r => r.url.startsWith('/api/console/merchants/:mid') && r.method !== 'HEAD')

describe('the console’s route table', () => {
  it('holds every console route the contract names', () => {
    const names = consoleRoutes().map(r => `${r.method} ${r.url}`)
    expect(names).toEqual(
      expect.arrayContaining([
        'GET /api/console/merchants/:mid/offers',
        'POST /api/console/merchants/:mid/offers',
        'GET /api/console/merchants/:mid/offers/:id',
        'PATCH /api/console/merchants/:mid/offers/:id',
        'POST /api/console/merchants/:mid/offers/:id/stock',
        'GET /api/console/merchants/:mid/stores',
        'POST /api/console/merchants/:mid/stores',
        'PATCH /api/console/merchants/:mid/stores/:sid',
        'POST /api/console/merchants/:mid/stores/:sid/clerk-invites',
        'GET /api/console/merchants/:mid/stores/:sid/clerks',
        'DELETE /api/console/merchants/:mid/clerks/:cid',
        'GET /api/console/merchants/:mid/audit',
        ...OWNER_ONLY,
        'GET /api/console/merchants/:mid/members',
        'GET /api/console/merchants/:mid/channels',
        'POST /api/console/merchants/:mid/channels',
        'GET /api/console/merchants/:mid/channels/:id',
        'GET /api/console/merchants/:mid/channels/:id/poster.png',
        'GET /api/console/merchants/:mid/channels/:id/poster.pdf',
        'GET /api/console/merchants/:mid/funnel',
        'GET /api/console/merchants/:mid/funnel.csv',
      ]),
    )
  })

  it('answers 401 without a session on every console route', async () => {
    for (const r of consoleRoutes()) {
      const res = await call(
        new Phone(t.url),
        r.method,
        pathFor(r.url, n => mine[n]!),
        r.url,
      )
      expect([r.method, r.url, res.status, res.json?.error?.code]).toEqual([r.method, r.url, 401, 'unauthenticated'])
    }
  })

  it('answers 403 on every console route of a merchant the caller doesn’t belong to', async () => {
    for (const r of consoleRoutes())
      for (const phone of [owner, stranger]) {
        const res = await call(
          phone,
          r.method,
          pathFor(r.url, n => theirs[n]!),
          r.url,
        )
        expect([r.method, r.url, res.status, res.json?.error?.code]).toEqual([r.method, r.url, 403, 'forbidden'])
      }
  })

  it('answers 404 for another merchant’s id under the caller’s own merchant', async () => {
    const withIds = consoleRoutes().filter(r => r.url.replace(':mid', '').includes(':'))
    expect(withIds.length).toBeGreaterThanOrEqual(8)
    for (const r of withIds) {
      const path = pathFor(r.url, n => (n === 'mid' ? mine.mid! : theirs[n]!))
      const res = await call(owner, r.method, path, r.url)
      expect([r.method, r.url, res.status, res.json?.error?.code]).toEqual([r.method, r.url, 404, 'not_found'])
    }
  })

  it('refuses managers on the owner-only routes (403), and only there', async () => {
    for (const r of consoleRoutes()) {
      const ownerOnly = OWNER_ONLY.includes(`${r.method} ${r.url}`)
      // Ids of the other merchant under its own: a route that lets a manager in then answers 404, not 403.
      const path = pathFor(r.url, n => (n === 'mid' ? mine.mid! : ownerOnly ? mine[n]! : theirs[n]!))
      const res = await call(manager, r.method, path, r.url)
      if (ownerOnly) expect([r.method, r.url, res.status]).toEqual([r.method, r.url, 403])
      else expect([r.method, r.url, res.status]).not.toEqual([r.method, r.url, 403])
      expect(res.status).toBeLessThan(500)
    }
  })

  it('lets the owner in everywhere (no 401, 403 or 5xx on the merchant’s own ids)', async () => {
    for (const r of consoleRoutes().filter(r => r.method === 'GET')) {
      const res = await call(
        owner,
        r.method,
        pathFor(r.url, n => mine[n]!),
        r.url,
      )
      expect([r.method, r.url, res.status]).toEqual([r.method, r.url, 200])
    }
  })
})

describe('console writes', () => {
  const writes = () =>
    t.app.routeTable.filter(r => r.url.startsWith('/api/console/') && (r.method === 'POST' || r.method === 'PATCH'))

  it.each([
    ['a form', 'application/x-www-form-urlencoded', 'role=manager&name=x'],
    ['plain text', 'text/plain', '{"role":"manager"}'],
    ['multipart', 'multipart/form-data; boundary=x', '--x--'],
  ])('refuse %s body with a 400 on every console POST and PATCH, writing nothing', async (_what, type, payload) => {
    const before = await t.database.db.selectFrom('audit_log').select('id').execute()
    for (const r of writes()) {
      const path = pathFor(r.url, n => mine[n] ?? 'x'.repeat(16))
      const sent = await fetch(`${t.url}${path}`, {
        method: r.method,
        headers: { cookie: owner.cookieHeader(), 'content-type': type, 'if-match': '1' },
        body: payload,
      })
      expect([r.method, r.url, sent.status]).toEqual([r.method, r.url, 400])
      expect(((await sent.json()) as any).error.code).toBe('invalid_request')
    }
    expect(await t.database.db.selectFrom('audit_log').select('id').execute()).toHaveLength(before.length)
  })
})
