/**
 * The wrong-code limit at the counter. Codes are 16 digits with a check digit, so guessing one
 * takes many tries; ten misses per clerk in ten minutes is plenty for typos and far too few to
 * guess. Each attempt reserves a miss before it looks the code up (so 60 concurrent wrong codes
 * can't all slip through a check made before any of them counted) and gives it back when the
 * code turned out to be a real coupon of this merchant. A code of another merchant is a miss.
 */
import type { Db } from '../db/index.ts'
import { AppError } from '../http/errors.ts'
import { bump, sweepCounters } from '../limits/counters.ts'

export const GUESS_LIMIT = 10
export const GUESS_WINDOW = 10 * 60

const MISSES: ReadonlySet<string> = new Set(['unknown_code', 'other_merchant'])

/** Runs `attempt` under the clerk's guess budget; refuses with 429 once the budget is spent. */
export async function withGuessBudget<T>(
  db: Db,
  clerkUserId: string,
  now: number,
  attempt: () => Promise<T>,
): Promise<T> {
  const w = { key: `redeem-miss:${clerkUserId}`, seconds: GUESS_WINDOW }
  const used = await bump(db, w, now)
  // A new window for this clerk is a good moment to drop everyone's ended ones.
  if (used === 1) await sweepCounters(db, now)
  if (used > GUESS_LIMIT) throw new AppError('rate_limited', '错误券码过多，请稍后再试')
  let refund = true
  try {
    return await attempt()
  } catch (err) {
    if (err instanceof AppError && MISSES.has(err.code)) refund = false
    throw err
  } finally {
    if (refund) await bump(db, w, now, -1)
  }
}
