/**
 * Several server processes on one database, as a deployment with two workers runs. On SQLite
 * this is where file locking shows: every write transaction must wait its turn, never answer 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { upsertUser } from '../../src/server/auth/users.ts'
import { claimCoupon } from '../../src/server/coupons/service.ts'
import { seedDemo } from '../../src/server/db/seed.ts'
import { newId } from '../../src/server/random.ts'
import { createSandboxCard } from '../../src/server/sandbox/seed.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'
import { type ServerProcess, startServerProcess } from '../helpers/process.ts'
import { sessionCookie } from '../helpers/users.ts'
import { OfferCatalog } from '../../src/server/offers/catalog.ts'

const SECRET = 'processes-test-session-secret-0123456789'
let database: TestDatabase
let servers: ServerProcess[] = []
const now = Math.floor(Date.now() / 1000)

beforeAll(async () => {
  database = await createTestDatabase()
  await seedDemo(database.db, now, { wxCardId: await createSandboxCard(database.db, now) })
  const env = { DATABASE_URL: database.url, SESSION_SECRET: SECRET, SEED_DEMO: '0' }
  servers = await Promise.all([startServerProcess(env), startServerProcess(env)])
})
afterAll(async () => {
  await Promise.all(servers.map(s => s.stop()))
  await database.drop()
})

async function cookieFor(openid: string) {
  const u = await upsertUser(database.db, { openid, isSnapshot: false }, now)
  return { user: u, cookie: sessionCookie(u, SECRET, now) }
}

describe('two server processes on one database', () => {
  it('redeem concurrently without a single 5xx, each code exactly once', async () => {
    const clerk = await cookieFor('oClerkOfTwoProcesses00000000')
    await database.db
      .insertInto('clerks')
      .values({
        id: newId(),
        user_id: clerk.user.id,
        store_id: 'nanjingxilu',
        merchant_id: 'shanchuan',
        created_at: now,
        revoked_at: null,
      })
      .execute()
    const codes: string[] = []
    for (let i = 0; i < 60; i++) {
      const { user } = await cookieFor(`oConsumerTwoProcesses${String(i).padStart(6, '0')}`)
      const { coupon } = await claimCoupon(
        new OfferCatalog(database.db),
        { offerId: 'all-88', userId: user.id, key: newId(), attribution: {} },
        now,
      )
      codes.push(coupon.code)
    }
    // Every code twice, once through each process, all at once.
    const attempts = codes.flatMap((code, i) => [0, 1].map(k => ({ code, server: servers[(i + k) % 2]! })))
    const answers = await Promise.all(
      attempts.map(async a => {
        const res = await fetch(`${a.server.url}/api/redeem`, {
          method: 'POST',
          headers: { cookie: clerk.cookie, 'content-type': 'application/json' },
          body: JSON.stringify({ code: a.code, storeId: 'nanjingxilu' }),
        })
        return { code: a.code, status: res.status, body: await res.text() }
      }),
    )
    const failures = answers.filter(a => a.status >= 500)
    expect(failures, failures[0]?.body).toEqual([])
    for (const code of codes) {
      const mine = answers
        .filter(a => a.code === code)
        .map(a => a.status)
        .sort()
      expect(mine).toEqual([200, 409])
    }
  })

  it('claim concurrently through both processes without a 5xx or an oversell', async () => {
    await database.db.updateTable('offers').set({ stock_left: 25 }).where('id', '=', 'opening-30off').execute()
    const people = await Promise.all(
      Array.from({ length: 80 }, (_, i) => cookieFor(`oClaimerTwoProcesses${String(i).padStart(8, '0')}`)),
    )
    const statuses = await Promise.all(
      people.map(async (p, i) => {
        const res = await fetch(`${servers[i % 2]!.url}/api/offers/opening-30off/claim`, {
          method: 'POST',
          headers: { cookie: p.cookie, 'content-type': 'application/json', 'idempotency-key': newId() },
          body: '{}',
        })
        return res.status
      }),
    )
    expect(statuses.filter(s => s >= 500)).toEqual([])
    expect(statuses.filter(s => s === 201)).toHaveLength(25)
    const left = await database.db
      .selectFrom('offers')
      .select('stock_left')
      .where('id', '=', 'opening-30off')
      .executeTakeFirstOrThrow()
    expect(left.stock_left).toBe(0)
  })
})

describe('the offer catalog across processes', () => {
  async function owner() {
    const o = await cookieFor('oOwnerOfTwoProcesses000000000')
    await database.db
      .insertInto('merchant_members')
      .values({ id: newId(), merchant_id: 'shanchuan', user_id: o.user.id, role: 'owner', created_at: now })
      .onConflict(oc => oc.columns(['merchant_id', 'user_id']).doNothing())
      .execute()
    return o.cookie
  }
  const consoleWrite = (
    server: ServerProcess,
    cookie: string,
    method: string,
    path: string,
    body: unknown,
    version?: number,
  ) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: { cookie, 'content-type': 'application/json', ...(version ? { 'if-match': String(version) } : {}) },
      body: JSON.stringify(body),
    }).then(async r => ({ status: r.status, json: (await r.json()) as any }))
  const title = async (server: ServerProcess) =>
    ((await (await fetch(`${server.url}/api/offers/cookie-gift`)).json()) as any).offer.title as string

  it('shows a console edit made through one process to consumers of the other, and a pause is never claimable', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess]
    const cookie = await owner()
    // Both processes have read the offer, so both hold it in memory.
    expect(await title(a)).toBe(await title(b))
    const path = '/api/console/merchants/shanchuan/offers/cookie-gift'
    const current = (await (await fetch(`${a.url}${path}`, { headers: { cookie } })).json()) as any
    const edited = await consoleWrite(
      a,
      cookie,
      'PATCH',
      path,
      { title: '满30赠手工曲奇（新）' },
      current.offer.version,
    )
    expect(edited.status).toBe(200)
    expect(await title(a)).toBe('满30赠手工曲奇（新）')
    const deadline = Date.now() + 5000
    while ((await title(b)) !== '满30赠手工曲奇（新）' && Date.now() < deadline)
      await new Promise(r => setTimeout(r, 50))
    expect(await title(b)).toBe('满30赠手工曲奇（新）')

    // Paused through one process: the other refuses the very next claim, whatever its memory says.
    const paused = await consoleWrite(a, cookie, 'PATCH', path, { status: 'paused' }, edited.json.offer.version)
    expect(paused.status).toBe(200)
    const consumer = await cookieFor('oConsumerAfterPause0000000000')
    const claim = await fetch(`${b.url}/api/offers/cookie-gift/claim`, {
      method: 'POST',
      headers: { cookie: consumer.cookie, 'content-type': 'application/json', 'idempotency-key': newId() },
      body: '{}',
    })
    expect(claim.status).toBe(409)
    expect(((await claim.json()) as any).error.code).toBe('offer_not_live')
  })
})
