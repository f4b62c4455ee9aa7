/**
 * What an offer's tag says in the console. `status` is the merchant's switch; whether consumers can
 * claim right now also depends on the claim window and the stock, so a live offer whose window has
 * not opened (or has closed), or whose stock is gone, says so instead of 进行中.
 */
import type { ConsoleOfferDto } from '../../../shared/api/offers.ts'
import { epochOf } from '../../../shared/time.ts'
import { offerPhase } from '../../../shared/validity.ts'

export type OfferState = 'draft' | 'live' | 'paused' | 'ended' | 'upcoming' | 'closed' | 'soldOut'

export function offerState(
  o: Pick<ConsoleOfferDto, 'status' | 'startsAt' | 'endsAt' | 'stockLeft'>,
  now = Date.now() / 1000,
): OfferState {
  if (o.status !== 'live') return o.status
  const phase = offerPhase({ startsAt: epochOf(o.startsAt), endsAt: epochOf(o.endsAt), status: 'live' }, now)
  if (phase === 'upcoming') return 'upcoming'
  if (phase === 'ended') return 'closed'
  return o.stockLeft === 0 ? 'soldOut' : 'live'
}
