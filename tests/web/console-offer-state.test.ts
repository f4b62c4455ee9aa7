import { describe, expect, it } from 'vitest'
import { offerState } from '../../src/web/components/console/offer-state.ts'
import { consoleOffer } from './console-fixtures.ts'

const now = Date.now() / 1000
const at = (s: number) => new Date((now + s) * 1000).toISOString()

describe('an offer’s tag in the console says whether consumers can claim it now', () => {
  it.each([
    ['a live offer in its window', {}, 'live'],
    ['a live offer whose window opens tomorrow', { startsAt: at(86_400), endsAt: at(2 * 86_400) }, 'upcoming'],
    ['a live offer whose window closed', { startsAt: at(-2 * 86_400), endsAt: at(-60) }, 'closed'],
    ['a live offer with no stock left', { stockLeft: 0 }, 'soldOut'],
    ['a draft', { status: 'draft' as const }, 'draft'],
    ['a paused offer', { status: 'paused' as const }, 'paused'],
    ['an ended offer, whatever its window', { status: 'ended' as const, endsAt: at(86_400) }, 'ended'],
  ])('%s', (_what, over, state) => {
    expect(offerState(consoleOffer(over), now)).toBe(state)
  })
})
