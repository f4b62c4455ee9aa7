/**
 * The bench's raw claim transaction (baseline b) is only a ceiling if it does the claim's own work:
 * the same rows as claimCoupon, the same refusals, nothing written when it refuses.
 */
import SQLite from 'better-sqlite3'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addUsers, type BenchUser, copyOffer } from '../../bench/fixtures.ts'
import type { Outcome, RawClaim } from '../../bench/raw/claim.ts'
import { CLAIM_FUNCTION, pgClaimer } from '../../bench/raw/postgres.ts'
import { projectPragmas, sqliteClaimer } from '../../bench/raw/sqlite.ts'
import { isWellFormedCode } from '../../src/shared/code.ts'
import { claimCoupon } from '../../src/server/coupons/service.ts'
import { seedDemo } from '../../src/server/db/seed.ts'
import { createTestDatabase, type TestDatabase, usingPostgres } from '../helpers/db.ts'
import { OfferCatalog } from '../../src/server/offers/catalog.ts'

let database: TestDatabase
let raw: (c: RawClaim) => Promise<Outcome>
let closeRaw: () => Promise<void>
let users: BenchUser[]
const now = 1_790_000_000

beforeAll(async () => {
  database = await createTestDatabase({ sandbox: false })
  await seedDemo(database.db, now)
  users = await addUsers(database.db, 5, 'raw', now)
  if (usingPostgres) {
    const pool = new pg.Pool({ connectionString: database.url, max: 2 })
    await pool.query(CLAIM_FUNCTION)
    raw = pgClaimer(pool)
    closeRaw = () => pool.end()
  } else {
    const sqlite = new SQLite(database.url.slice('sqlite:'.length))
    projectPragmas(sqlite)
    const claim = sqliteClaimer(sqlite)
    raw = async c => claim(c)
    closeRaw = async () => {
      sqlite.close()
    }
  }
})

afterAll(async () => {
  await closeRaw()
  await database.drop()
})

const claimOf = (user: BenchUser, offerId: string, key: string): RawClaim => ({
  userId: user.id,
  key,
  offerId,
  now,
  channel: 'share',
})

async function rowsOf(offerId: string) {
  const db = database.db
  return {
    offer: await db.selectFrom('offers').selectAll().where('id', '=', offerId).executeTakeFirstOrThrow(),
    keys: await db.selectFrom('claim_keys').selectAll().where('offer_id', '=', offerId).execute(),
    counts: await db.selectFrom('claim_counts').selectAll().where('offer_id', '=', offerId).execute(),
    coupons: await db.selectFrom('coupons').selectAll().where('offer_id', '=', offerId).execute(),
    events: await db.selectFrom('events').selectAll().where('offer_id', '=', offerId).execute(),
  }
}

describe(`the raw claim baseline (${usingPostgres ? 'PostgreSQL, one round trip' : 'SQLite, prepared statements'})`, () => {
  it.each([
    ['relative validity', { validity_type: 'relative', valid_days: 7 }],
    ['fixed validity', { validity_type: 'fixed', valid_from: now - 100, valid_to: now + 1000, valid_days: null }],
  ] as const)('writes the rows claimCoupon writes (%s)', async (name, validity) => {
    const stock = { stock_total: 10, stock_left: 10, per_user_limit: 2, ...validity }
    const served = `served-${name.split(' ')[0]}`
    const bench = `raw-${name.split(' ')[0]}`
    await copyOffer(database.db, served, stock, now)
    await copyOffer(database.db, bench, stock, now)
    const u = users[0]!
    await claimCoupon(
      new OfferCatalog(database.db),
      { offerId: served, userId: u.id, key: `server-key-${served}`, attribution: { ch: 'share' } },
      now,
    )
    expect(await raw(claimOf(u, bench, `bench-key-${bench}`))).toBe('ok')

    const a = await rowsOf(served)
    const b = await rowsOf(bench)
    expect(b.offer.stock_left).toBe(a.offer.stock_left)
    expect(b.offer.stock_left).toBe(9)
    const key = (k: (typeof a.keys)[number]) => ({ user_id: k.user_id, created_at: Number(k.created_at) })
    expect(b.keys.map(key)).toEqual(a.keys.map(key))
    expect(b.keys[0]!.coupon_id).toBe(b.coupons[0]!.id)
    expect(b.counts.map(c => [c.user_id, c.claimed])).toEqual(a.counts.map(c => [c.user_id, c.claimed]))
    const coupon = ({ id: _i, code: _c, offer_id: _o, ...rest }: (typeof a.coupons)[number]) => rest
    expect(b.coupons.map(coupon)).toEqual(a.coupons.map(coupon))
    expect(isWellFormedCode(b.coupons[0]!.code)).toBe(true)
    const event = ({ id: _i, offer_id: _o, coupon_id: _c, ...rest }: (typeof a.events)[number]) => rest
    expect(b.events.map(event)).toEqual(a.events.map(event))
    expect(b.events[0]!.coupon_id).toBe(b.coupons[0]!.id)
  })

  it('answers a repeated Idempotency-Key without writing again', async () => {
    await copyOffer(database.db, 'raw-repeat', { stock_total: 10, stock_left: 10, per_user_limit: 5 }, now)
    const c = claimOf(users[1]!, 'raw-repeat', 'the-same-key')
    expect(await raw(c)).toBe('ok')
    expect(await raw(c)).toBe('repeat')
    const r = await rowsOf('raw-repeat')
    expect([r.offer.stock_left, r.keys.length, r.coupons.length, r.events.length]).toEqual([9, 1, 1, 1])
  })

  it('refuses when sold out and leaves nothing behind, not even the key', async () => {
    await copyOffer(database.db, 'raw-gone', { stock_total: 1, stock_left: 1, per_user_limit: 5 }, now)
    expect(await raw(claimOf(users[2]!, 'raw-gone', 'gone-key-1'))).toBe('ok')
    expect(await raw(claimOf(users[3]!, 'raw-gone', 'gone-key-2'))).toBe('sold_out')
    const r = await rowsOf('raw-gone')
    expect(r.offer.stock_left).toBe(0)
    expect(r.keys.map(k => k.key)).toEqual(['gone-key-1'])
    expect([r.counts.length, r.coupons.length, r.events.length]).toEqual([1, 1, 1])
  })

  it('refuses past the per-user limit and gives the stock back', async () => {
    await copyOffer(database.db, 'raw-limit', { stock_total: 10, stock_left: 10, per_user_limit: 1 }, now)
    const u = users[4]!
    expect(await raw(claimOf(u, 'raw-limit', 'limit-key-1'))).toBe('ok')
    expect(await raw(claimOf(u, 'raw-limit', 'limit-key-2'))).toBe('limit_reached')
    const r = await rowsOf('raw-limit')
    expect(r.offer.stock_left).toBe(9)
    expect(r.counts.map(c => c.claimed)).toEqual([1])
    expect([r.keys.length, r.coupons.length, r.events.length]).toEqual([1, 1, 1])
  })

  // The server reads the offer again on a refusal to tell "ended" from "sold out"; the ceiling needn't.
  it('refuses an offer outside its claim window without taking stock', async () => {
    await copyOffer(
      database.db,
      'raw-ended',
      { stock_total: 10, stock_left: 10, starts_at: now - 100, ends_at: now - 1 },
      now,
    )
    expect(await raw(claimOf(users[0]!, 'raw-ended', 'ended-key-1'))).toBe('sold_out')
    expect((await rowsOf('raw-ended')).offer.stock_left).toBe(10)
  })
})
