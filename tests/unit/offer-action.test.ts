import { describe, expect, it } from 'vitest'
import type { OfferDto } from '../../src/shared/api/offers.ts'
import { nearlyGone, offerAction } from '../../src/web/pages/consumer/offer-action.ts'

function offer(over: Partial<OfferDto> = {}): OfferDto {
  return {
    id: 'latte-10off',
    merchant: { id: 'm1', name: '南京西路咖啡', logoUrl: null },
    title: '拿铁立减10元',
    kind: 'cash',
    valueFen: 1000,
    thresholdFen: 3000,
    discountPercent: null,
    giftName: null,
    description: '',
    rules: [],
    imageUrl: null,
    stockTotal: 200,
    stockLeft: 150,
    perUserLimit: 1,
    claimedByMe: 0,
    startsAt: '2026-12-01T02:00:00.000Z',
    endsAt: '2026-12-31T16:00:00.000Z',
    phase: 'live',
    validity: { type: 'relative', days: 30 },
    allStores: true,
    storeIds: [],
    ...over,
  }
}

describe('offerAction', () => {
  it.each([
    ['a live offer with stock, logged in', offer(), true, { kind: 'claim' }],
    ['a live offer with stock, logged out', offer(), false, { kind: 'claim' }],
    [
      'a live offer the user claimed fewer times than the limit',
      offer({ perUserLimit: 3, claimedByMe: 2 }),
      true,
      { kind: 'claim' },
    ],
    [
      'a live offer the user claimed up to the limit',
      offer({ perUserLimit: 1, claimedByMe: 1 }),
      true,
      { kind: 'mine' },
    ],
    [
      'a live offer the user claimed beyond the limit',
      offer({ perUserLimit: 2, claimedByMe: 3 }),
      true,
      { kind: 'mine' },
    ],
    ['a sold-out offer the user holds', offer({ stockLeft: 0, claimedByMe: 1 }), true, { kind: 'mine' }],
    ['a sold-out offer the user does not hold', offer({ stockLeft: 0 }), true, { kind: 'closed', reason: 'sold_out' }],
    ['a sold-out offer, logged out', offer({ stockLeft: 0 }), false, { kind: 'closed', reason: 'sold_out' }],
    ['an ended offer', offer({ phase: 'ended' }), true, { kind: 'closed', reason: 'ended' }],
    [
      'an ended offer the user holds',
      offer({ phase: 'ended', claimedByMe: 1 }),
      true,
      { kind: 'closed', reason: 'ended' },
    ],
    [
      'an ended offer that is sold out',
      offer({ phase: 'ended', stockLeft: 0 }),
      false,
      { kind: 'closed', reason: 'ended' },
    ],
  ] as const)('shows %s as %j', (_label, o, loggedIn, expected) => {
    expect(offerAction(o, loggedIn)).toEqual(expected)
  })

  it('says when an upcoming offer opens, in China time', () => {
    // 02:00 UTC is 10:00 in China.
    expect(offerAction(offer({ phase: 'upcoming', startsAt: '2026-12-01T02:00:00.000Z' }), false)).toEqual({
      kind: 'closed',
      reason: 'upcoming',
      startsAt: '12-01 10:00',
    })
  })

  it('shows an upcoming offer as closed even to a logged-in user with stock left', () => {
    const action = offerAction(offer({ phase: 'upcoming', startsAt: '2026-11-30T16:30:00.000Z', stockLeft: 200 }), true)
    expect(action).toEqual({ kind: 'closed', reason: 'upcoming', startsAt: '12-01 00:30' })
  })

  it('offers the claim button to a logged-out visitor, whose claimedByMe is always 0', () => {
    expect(offerAction(offer({ perUserLimit: 1, claimedByMe: 0 }), false)).toEqual({ kind: 'claim' })
  })
})

describe('nearlyGone', () => {
  it.each([
    [3, 200, true],
    [10, 200, true],
    [11, 200, false],
    [10, 1000, true],
    [11, 1000, true],
    [40, 1000, true],
    [49, 1000, true],
    [50, 1000, false],
    [51, 1000, false],
    [500, 1000, false],
    [1, 1, true],
    [0, 200, false],
    [0, 1000, false],
  ])('with %i of %i left is %s', (left, total, expected) => {
    expect(nearlyGone(offer({ stockLeft: left, stockTotal: total }))).toBe(expected)
  })
})
