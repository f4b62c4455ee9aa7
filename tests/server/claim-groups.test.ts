/**
 * Claims that arrive together commit together on SQLite (one transaction, a savepoint each): a
 * refused claim, a repeated key and a claim that fails outright take back only their own writes,
 * and everyone else's stand. On PostgreSQL each claim is its own call; the answers are the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { upsertUser } from '../../src/server/auth/users.ts'
import { type ClaimWrite, writeClaim } from '../../src/server/db/claim.ts'
import { newId } from '../../src/server/random.ts'
import { chinaDay } from '../../src/shared/time.ts'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { usingPostgres } from '../helpers/db.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ outboxIntervalMs: 0 })
})
afterAll(async () => {
  await t.close()
})

describe('claims written in one group', () => {
  it('answer each claim on its own and keep exactly the writes of those that succeeded', async () => {
    const db = t.database.db
    const now = t.clock.now()
    await db.updateTable('offers').set({ stock_left: 3, per_user_limit: 1 }).where('id', '=', 'opening-30off').execute()
    const user = async (name: string) =>
      (await upsertUser(db, { openid: `ogroup${name}`.padEnd(28, 'x'), isSnapshot: false }, now)).id
    const [a, b, c, d] = [await user('a'), await user('b'), await user('c'), await user('d')]
    let n = 0
    const claim = (userId: string, key: string, offerId = 'opening-30off'): ClaimWrite => ({
      userId,
      key,
      offerId,
      couponId: newId(),
      code: `91${String(n++).padStart(14, '0')}`,
      now,
      channel: 'direct',
      ref: null,
      storeId: null,
      eventId: newId(),
      day: chinaDay(now),
    })
    const writes = [
      claim(a, 'k1'),
      claim(a, 'k1'), // the same request again: the first's coupon
      claim(a, 'k2'), // a second coupon for a: over the limit of 1
      claim('no-such-user', 'k9'), // fails outright (no such user): only this claim
      claim(b, 'k3'),
      claim(c, 'k4'), // the last of the stock
      claim(d, 'k5'), // nothing left
      claim(a, 'k1', 'all-88'), // a's key, already used for another offer
    ]
    // On SQLite, started in one turn of the event loop, so they share one transaction. On
    // PostgreSQL, where concurrent calls race for the last coupon, one after another.
    const write = (w: ClaimWrite) => writeClaim(db, w).catch(() => ({ kind: 'failed' }) as const)
    const written = []
    if (usingPostgres) for (const w of writes) written.push(await write(w))
    else written.push(...(await Promise.all(writes.map(write))))
    expect(written.map(r => r.kind)).toEqual([
      'created',
      'existing',
      'limit',
      'failed',
      'created',
      'created',
      'unavailable',
      'key_reused',
    ])
    expect(written[1]).toEqual({ kind: 'existing', couponId: writes[0]!.couponId })

    const coupons = await db.selectFrom('coupons').select('id').where('offer_id', '=', 'opening-30off').execute()
    expect(coupons.map(r => r.id).sort()).toEqual(
      [writes[0]!.couponId, writes[4]!.couponId, writes[5]!.couponId].sort(),
    )
    const offer = await db
      .selectFrom('offers')
      .select('stock_left')
      .where('id', '=', 'opening-30off')
      .executeTakeFirstOrThrow()
    expect(offer.stock_left).toBe(0)
    const keys = await db
      .selectFrom('claim_keys')
      .select(['user_id', 'key'])
      .where('user_id', 'in', [a, b, c, d, 'no-such-user'])
      .execute()
    const names = new Map([
      [a, 'a'],
      [b, 'b'],
      [c, 'c'],
      [d, 'd'],
    ])
    expect(keys.map(k => `${names.get(k.user_id) ?? '?'}:${k.key}`).sort()).toEqual(['a:k1', 'b:k3', 'c:k4'])
    const events = await db
      .selectFrom('events')
      .select('coupon_id')
      .where('type', '=', 'claim')
      .where('offer_id', '=', 'opening-30off')
      .execute()
    expect(events).toHaveLength(3)
    const counts = await db
      .selectFrom('claim_counts')
      .select(['user_id', 'claimed'])
      .where('offer_id', '=', 'opening-30off')
      .execute()
    expect(counts.map(r => r.claimed)).toEqual([1, 1, 1])
  })
})
