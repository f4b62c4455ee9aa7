/**
 * What the load phases need in the database, written directly (as tests/helpers/users.ts does):
 * many users with session cookies sealed with the server's secret, offers copied from a seeded one,
 * clerks, and coupons to redeem. Going through OAuth or the console for tens of thousands of rows
 * would measure those instead.
 */
import { makeCode } from '../src/shared/code.ts'
import type { Db } from '../src/server/db/index.ts'
import type { OffersTable } from '../src/server/db/schema.ts'
import { demo } from '../src/server/db/seed.ts'
import { newId, randomDigit } from '../src/server/random.ts'
import { sessionCookie } from '../tests/helpers/users.ts'

export interface BenchUser {
  id: string
  openid: string
}

const CHUNK = 1000

async function inChunks<T>(db: Db, rows: T[], insert: (trx: Db, chunk: T[]) => Promise<unknown>): Promise<void> {
  await db.transaction().execute(async trx => {
    for (let i = 0; i < rows.length; i += CHUNK) await insert(trx, rows.slice(i, i + CHUNK))
  })
}

export async function addUsers(db: Db, n: number, prefix: string, now: number): Promise<BenchUser[]> {
  const rows = Array.from({ length: n }, (_, i) => ({
    id: newId(),
    openid: `o${prefix}${i}`.padEnd(28, 'x'),
    nickname: null,
    avatar_url: null,
    is_snapshot: 0,
    created_at: now,
    last_login_at: now,
  }))
  await inChunks(db, rows, (trx, chunk) => trx.insertInto('users').values(chunk).execute())
  return rows.map(r => ({ id: r.id, openid: r.openid }))
}

/** Session cookies as the login callback sets them, valid for an hour. */
export function cookiesOf(users: BenchUser[], secret: string, now: number): string[] {
  return users.map(u => sessionCookie(u, secret, now))
}

/**
 * A new offer copied from the seeded cash offer, so every column the schema has is filled as the
 * seed fills it; H5-only (no wallet card), valid in every store, claimable now.
 */
export async function copyOffer(db: Db, id: string, patch: Partial<OffersTable>, now: number): Promise<void> {
  const base = await db.selectFrom('offers').selectAll().where('id', '=', demo.offers.cash).executeTakeFirstOrThrow()
  await db
    .insertInto('offers')
    .values({
      ...base,
      id,
      title: `压测 ${id}`,
      wx_card_id: null,
      wx_stock_id: null,
      all_stores: 1,
      starts_at: now - 60,
      ends_at: now + 86_400,
      validity_type: 'relative',
      valid_from: null,
      valid_to: null,
      valid_days: 7,
      created_at: now,
      ...patch,
    })
    .execute()
}

export async function addClerks(db: Db, users: BenchUser[], storeId: string, now: number): Promise<void> {
  const store = await db.selectFrom('stores').select('merchant_id').where('id', '=', storeId).executeTakeFirstOrThrow()
  const rows = users.map(u => ({
    id: newId(),
    user_id: u.id,
    store_id: storeId,
    merchant_id: store.merchant_id,
    created_at: now,
    revoked_at: null,
  }))
  await inChunks(db, rows, (trx, chunk) => trx.insertInto('clerks').values(chunk).execute())
}

/** One available H5 coupon of `offerId` per holder; returns their codes in the holders' order. */
export async function addCoupons(db: Db, offerId: string, holders: BenchUser[], now: number): Promise<string[]> {
  const codes = new Set<string>()
  while (codes.size < holders.length) codes.add(makeCode(randomDigit))
  const rows = [...codes].map((code, i) => ({
    id: newId(),
    offer_id: offerId,
    user_id: holders[i]!.id,
    code,
    claimed_at: now - 60,
    valid_from: now - 60,
    valid_to: now + 7 * 86_400,
    channel: 'share',
    ref: null,
    store_id: null,
    in_wallet: 0,
    wallet_added_at: null,
    wallet_removed_at: null,
    redeemed_at: null,
    redeemed_store_id: null,
    redeemed_by: null,
    redeemed_source: null,
  }))
  await inChunks(db, rows, (trx, chunk) => trx.insertInto('coupons').values(chunk).execute())
  return rows.map(r => r.code)
}
