/** What the one primary button on an offer says and does: a pure function, tested as a table. */
import type { OfferDto } from '../../../shared/api/offers.ts'
import { formatDateTime } from '../../../shared/validity.ts'
import { epochOf } from '../../../shared/time.ts'

export type OfferAction =
  | { kind: 'claim' }
  | { kind: 'mine' }
  | { kind: 'closed'; reason: 'upcoming' | 'paused' | 'ended' | 'sold_out'; startsAt?: string }

export function offerAction(offer: OfferDto, loggedIn: boolean, now = Date.now() / 1000): OfferAction {
  if (offer.phase === 'upcoming')
    return { kind: 'closed', reason: 'upcoming', startsAt: formatDateTime(epochOf(offer.startsAt), now) }
  if (offer.phase === 'ended') return { kind: 'closed', reason: 'ended' }
  if (offer.phase === 'paused') return { kind: 'closed', reason: 'paused' }
  if (loggedIn && offer.claimedByMe >= offer.perUserLimit) return { kind: 'mine' }
  if (offer.stockLeft <= 0) return { kind: 'closed', reason: 'sold_out' }
  return { kind: 'claim' }
}

/** Few enough left to say so in orange: ten or fewer, or under 5% of the total. */
export function nearlyGone(offer: OfferDto): boolean {
  return offer.stockLeft > 0 && (offer.stockLeft <= 10 || offer.stockLeft / offer.stockTotal < 0.05)
}
