/**
 * The claim's writes, as close to the database's own limit as they go: the idempotency key, the
 * conditional stock decrement, the per-user count, the coupon, its event and its funnel count,
 * each guarded by a condition in the write itself (nothing read and then written). On SQLite
 * they run as prepared statements, synchronously, holding Kysely's connection so no other
 * transaction interleaves, and claims that arrive together share one BEGIN IMMEDIATE transaction
 * (group commit): each claim is a savepoint of its own, so a refused claim rolls back only its
 * writes, and every claim of the group answers once the group has committed. A commit is most of a
 * claim's cost on SQLite (the WAL frames of every page it touched); a crowd at one offer shares
 * it. On PostgreSQL the writes are one call of the
 * kaquan_claim function (migration 2026-12-05), one round trip. The rules around them (what a
 * refusal means, messages, the response) stay in coupons/service.ts.
 */
import type { Statement } from 'better-sqlite3'
import { couponWindow } from '../../shared/validity.ts'
import { offerValidity } from '../offers/service.ts'
import type { Db } from './index.ts'
import { nativeOf } from './index.ts'

export interface ClaimWrite {
  userId: string
  key: string
  offerId: string
  couponId: string
  code: string
  now: number
  /** Resolved before: the channel to record, the sharer, the store (this merchant's or null). */
  channel: string
  ref: string | null
  storeId: string | null
  eventId: string
  /** The China day of `now`, the funnel row it counts in. */
  day: string
}

export type ClaimWritten =
  | { kind: 'created'; validFrom: number; validTo: number; claimed: number }
  | { kind: 'existing'; couponId: string }
  /** The key was used for another offer. */
  | { kind: 'key_reused' }
  /** Not live or no stock: the caller reads why. */
  | { kind: 'unavailable' }
  | { kind: 'limit'; perUserLimit: number }
  /** The random code was taken: try again with another. */
  | { kind: 'code_taken' }

/** A claim of a group that failed on its own (not a refusal): its savepoint is rolled back. */
class Failed {
  constructor(readonly err: unknown) {}
}

class Refused extends Error {
  constructor(readonly outcome: ClaimWritten) {
    super(outcome.kind)
  }
}

export async function writeClaim(db: Db, w: ClaimWrite): Promise<ClaimWritten> {
  const native = nativeOf(db)
  if (native.engine === 'postgres') return writeClaimPostgres(native.pool, w)
  let group = groups.get(db)
  if (!group) groups.set(db, (group = new ClaimGroup(db, native.sqlite)))
  return group.add(w)
}

/** The most claims one transaction takes: a group holds the database's one writer for its duration. */
const MAX_GROUP = 64

const groups = new WeakMap<Db, ClaimGroup>()

/** Claims waiting for the next group commit, on one SQLite database. */
class ClaimGroup {
  private waiting: { w: ClaimWrite; resolve: (r: ClaimWritten) => void; reject: (e: unknown) => void }[] = []
  private scheduled = false

  constructor(
    private readonly db: Db,
    private readonly sqlite: Sqlite,
  ) {}

  add(w: ClaimWrite): Promise<ClaimWritten> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ w, resolve, reject })
      if (!this.scheduled) {
        this.scheduled = true
        // After this turn of the event loop: the claims parsed in it (a crowd's) commit together.
        setImmediate(() => void this.flush())
      }
    })
  }

  private async flush(): Promise<void> {
    this.scheduled = false
    const batch = this.waiting.splice(0, MAX_GROUP)
    if (this.waiting.length) {
      this.scheduled = true
      setImmediate(() => void this.flush())
    }
    let outcomes: (ClaimWritten | Failed)[]
    try {
      // Hold Kysely's one SQLite connection: no Kysely transaction is open on it while this runs.
      outcomes = await this.db.connection().execute(async () =>
        writeClaimsSqlite(
          this.sqlite,
          batch.map(b => b.w),
        ),
      )
    } catch (err) {
      // The group did not commit: nothing of it was written, and every claim in it fails alike.
      for (const b of batch) b.reject(err)
      return
    }
    for (const [i, b] of batch.entries()) {
      const o = outcomes[i]!
      if (o instanceof Failed) b.reject(o.err)
      else b.resolve(o)
    }
  }
}

type Sqlite = import('better-sqlite3').Database
const prepared = new WeakMap<Sqlite, ReturnType<typeof prepare>>()

function prepare(sqlite: Sqlite) {
  const s = (text: string) => sqlite.prepare(text)
  return {
    key: s(`insert into claim_keys (user_id, key, offer_id, coupon_id, created_at) values (?, ?, ?, ?, ?)
      on conflict (user_id, key) do nothing`),
    prior: s('select offer_id, coupon_id from claim_keys where user_id = ? and key = ?'),
    take: s(`update offers set stock_left = stock_left - 1
      where id = ? and stock_left > 0 and status = 'live' and starts_at <= ? and ends_at > ?
      returning merchant_id, per_user_limit, validity_type, valid_from, valid_to, valid_days`),
    count: s(`insert into claim_counts (user_id, offer_id, claimed) values (?, ?, 1)
      on conflict (user_id, offer_id) do update set claimed = claimed + 1 where claimed < ?
      returning claimed`),
    coupon: s(`insert into coupons (id, offer_id, user_id, code, claimed_at, valid_from, valid_to, channel, ref,
      store_id, in_wallet) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) on conflict (code) do nothing`),
    event: s(`insert into events (id, type, merchant_id, offer_id, coupon_id, user_id, store_id, channel, ref,
      created_at) values (?, 'claim', ?, ?, ?, ?, ?, ?, ?, ?)`),
    funnel: s(`insert into funnel_daily (merchant_id, day, offer_id, channel, store_id, ref, views, claims,
      wallet_adds, redemptions) values (?, ?, ?, ?, ?, ?, 0, 1, 0, 0)
      on conflict (merchant_id, day, offer_id, channel, store_id, ref, slot) do update set claims = claims + 1`),
  } satisfies Record<string, Statement>
}

interface TakenOffer {
  merchant_id: string
  per_user_limit: number
  validity_type: 'fixed' | 'relative'
  valid_from: number | null
  valid_to: number | null
  valid_days: number | null
}

function writeClaimsSqlite(sqlite: Sqlite, ws: ClaimWrite[]): (ClaimWritten | Failed)[] {
  let st = prepared.get(sqlite)
  if (!st) prepared.set(sqlite, (st = prepare(sqlite)))
  const q = st
  // Inside the group's transaction, better-sqlite3 runs each claim's transaction as a savepoint.
  const one = sqlite.transaction((w: ClaimWrite): ClaimWritten => {
    if (q.key.run(w.userId, w.key, w.offerId, w.couponId, w.now).changes === 0) {
      const prior = q.prior.get(w.userId, w.key) as { offer_id: string; coupon_id: string }
      return prior.offer_id === w.offerId ? { kind: 'existing', couponId: prior.coupon_id } : { kind: 'key_reused' }
    }
    const o = q.take.get(w.offerId, w.now, w.now) as TakenOffer | undefined
    if (!o) throw new Refused({ kind: 'unavailable' })
    const counted = q.count.get(w.userId, w.offerId, o.per_user_limit) as { claimed: number } | undefined
    if (!counted) throw new Refused({ kind: 'limit', perUserLimit: o.per_user_limit })
    const { from, to } = couponWindow(offerValidity(o), w.now)
    const ins = q.coupon.run(w.couponId, w.offerId, w.userId, w.code, w.now, from, to, w.channel, w.ref, w.storeId)
    if (ins.changes === 0) throw new Refused({ kind: 'code_taken' })
    q.event.run(w.eventId, o.merchant_id, w.offerId, w.couponId, w.userId, w.storeId, w.channel, w.ref, w.now)
    q.funnel.run(o.merchant_id, w.day, w.offerId, w.channel, w.storeId ?? '', w.ref ?? '')
    return { kind: 'created', validFrom: from, validTo: to, claimed: counted.claimed }
  })
  const group = sqlite.transaction((): (ClaimWritten | Failed)[] =>
    ws.map(w => {
      try {
        return one(w)
      } catch (err) {
        // Thrown inside the claim's savepoint, so everything it wrote is rolled back, and only
        // that: a refusal is an answer, anything else fails this claim and not its group.
        return err instanceof Refused ? err.outcome : new Failed(err)
      }
    }),
  )
  return group.immediate()
}

async function writeClaimPostgres(pool: import('pg').Pool, w: ClaimWrite): Promise<ClaimWritten> {
  try {
    const r = await pool.query<{
      outcome: string
      coupon_id: string | null
      valid_from: number
      valid_to: number
      claimed: number
    }>({
      // Named: each connection parses and plans it once.
      name: 'kaquan_claim',
      text: 'select * from kaquan_claim($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
      values: [w.userId, w.key, w.offerId, w.couponId, w.code, w.now, w.channel, w.ref, w.storeId, w.eventId, w.day],
    })
    const row = r.rows[0]!
    if (row.outcome === 'existing') return { kind: 'existing', couponId: row.coupon_id! }
    if (row.outcome === 'key_reused') return { kind: 'key_reused' }
    return {
      kind: 'created',
      validFrom: Number(row.valid_from),
      validTo: Number(row.valid_to),
      claimed: Number(row.claimed),
    }
  } catch (err) {
    const m = /^kaquan:(\w+)(?::(\d+))?/.exec((err as Error).message)
    if (m?.[1] === 'unavailable') return { kind: 'unavailable' }
    if (m?.[1] === 'limit') return { kind: 'limit', perUserLimit: Number(m[2]) }
    if (m?.[1] === 'code') return { kind: 'code_taken' }
    throw err
  }
}
