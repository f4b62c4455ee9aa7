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
        database.db,
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
