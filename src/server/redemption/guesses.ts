/**
 * The wrong-code limit at the counter. Codes are 16 digits with a check digit, so guessing one
 * takes many tries; ten misses per clerk in ten minutes is plenty for typos and far too few to
 * guess. A miss (an unknown code, or another merchant's) is counted with one atomic increment,
 * and its answer depends on the count that increment returns: of 60 concurrent wrong codes,
 * exactly ten are told "unknown" and the rest "too many", on any number of processes. Past the
 * limit every attempt is refused, real codes too, so the answers tell a guesser nothing.
 */
import type { Db } from '../db/index.ts'
import { AppError } from '../http/errors.ts'
import { bump, type CounterWindow, peek, sweepCounters } from '../limits/counters.ts'

export const GUESS_LIMIT = 10
export const GUESS_WINDOW = 10 * 60

const MISSES: ReadonlySet<string> = new Set(['unknown_code', 'other_merchant'])
const tooMany = () => new AppError('rate_limited', '错误券码过多，请稍后再试')

/** The window a clerk's misses are counted in. */
export const guessWindow = (clerkUserId: string): CounterWindow => ({
  key: `redeem-miss:${clerkUserId}`,
  seconds: GUESS_WINDOW,
})

/**
 * Runs `attempt` under the clerk's guess budget; refuses with 429 once the budget is spent.
 * `spent` is the misses so far when the caller read them already (in its own query), else peeked.
 */
export async function withGuessBudget<T>(
  db: Db,
  clerkUserId: string,
  now: number,
  attempt: () => Promise<T>,
  spent?: number,
): Promise<T> {
  const w = guessWindow(clerkUserId)
  if ((spent ?? (await peek(db, w, now))) >= GUESS_LIMIT) throw tooMany()
  try {
    return await attempt()
  } catch (err) {
    if (!(err instanceof AppError && MISSES.has(err.code))) throw err
    const misses = await bump(db, w, now)
    // A clerk's first miss in a new window is a good moment to drop everyone's ended windows.
    if (misses === 1) await sweepCounters(db, now)
    throw misses > GUESS_LIMIT ? tooMany() : err
  }
}
