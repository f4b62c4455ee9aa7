/** What a raw claim is given and how it ends, for both engines' baselines. */
import { makeCode } from '../../src/shared/code.ts'
import { newId, randomDigit } from '../../src/server/random.ts'

export interface RawClaim {
  userId: string
  key: string
  offerId: string
  now: number
  channel: string
}

/** ok, or why nothing was written; `repeat` is a known Idempotency-Key (nothing new to write). */
export type Outcome = 'ok' | 'repeat' | 'sold_out' | 'limit_reached'

/** A refusal inside a transaction: throwing it rolls the transaction back. */
export class Refusal extends Error {
  constructor(readonly outcome: Outcome) {
    super(outcome)
  }
}

/** The values the server makes per claim, made the same way (the same CSPRNG helpers). */
export function freshIds(): { couponId: string; eventId: string; code: string } {
  return { couponId: newId(), eventId: newId(), code: makeCode(randomDigit) }
}
