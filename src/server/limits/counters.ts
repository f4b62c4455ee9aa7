/**
 * Counters for limits that protect money, kept in the database so they hold across processes:
 * each bump is one atomic upsert that returns the new total, never a read and then a write.
 * Windows are fixed (they start at multiples of their length).
 */
import type { Db } from '../db/index.ts'

export interface CounterWindow {
  key: string
  seconds: number
}

export const windowStart = (w: CounterWindow, now: number) => Math.floor(now / w.seconds) * w.seconds

/** Adds `by` to the window containing `now`; the total after it. */
export async function bump(db: Db, w: CounterWindow, now: number, by = 1): Promise<number> {
  const start = windowStart(w, now)
  const row = await db
    .insertInto('limit_counters')
    .values({ key: w.key, window_start: start, hits: by, expires_at: start + w.seconds })
    .onConflict(oc =>
      oc.columns(['key', 'window_start']).doUpdateSet(eb => ({ hits: eb('limit_counters.hits', '+', by) })),
    )
    .returning('hits')
    .executeTakeFirstOrThrow()
  return Number(row.hits)
}

/** The total of the window containing `now`, without counting anything. */
export async function peek(db: Db, w: CounterWindow, now: number): Promise<number> {
  const row = await db
    .selectFrom('limit_counters')
    .select('hits')
    .where('key', '=', w.key)
    .where('window_start', '=', windowStart(w, now))
    .executeTakeFirst()
  return Number(row?.hits ?? 0)
}

/** Drops windows that ended before `now`: a few rows each time something is counted. */
export async function sweepCounters(db: Db, now: number): Promise<void> {
  await db.deleteFrom('limit_counters').where('expires_at', '<', now).execute()
}
