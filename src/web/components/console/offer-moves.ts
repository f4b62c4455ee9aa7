/** The lifecycle buttons an offer shows: one per allowed move (statusMoves), named as merchants say it. */
import { type OfferStatus, statusMoves } from '../../../shared/api/offers.ts'

export type MoveLabel = 'move_draft_live' | 'move_paused_live' | 'move_live_paused' | 'move_ended'

export function offerMoves(from: OfferStatus): { to: OfferStatus; label: MoveLabel }[] {
  return statusMoves[from].map(to => ({
    to,
    label:
      to === 'ended'
        ? 'move_ended'
        : from === 'paused'
          ? 'move_paused_live'
          : to === 'paused'
            ? 'move_live_paused'
            : 'move_draft_live',
  }))
}
