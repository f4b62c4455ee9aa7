/** API shapes for web tests: a live cash offer and a coupon of it, with overrides. */
import type { CouponDto } from '../../src/shared/api/coupons.ts'
import type { OfferDetailDto } from '../../src/shared/api/offers.ts'

const day = 86_400_000
const iso = (ms: number) => new Date(ms).toISOString()

export function offerDto(over: Partial<OfferDetailDto> = {}): OfferDetailDto {
  const now = Date.now()
  return {
    id: 'latte-10off',
    merchant: { id: 'shanchuan', name: '山川咖啡', logoUrl: null },
    title: '拿铁立减10元',
    kind: 'cash',
    valueFen: 1000,
    thresholdFen: 3000,
    discountPercent: null,
    giftName: null,
    description: '任意拿铁可用',
    rules: ['每单限用一张'],
    imageUrl: null,
    stockTotal: 100,
    stockLeft: 60,
    perUserLimit: 1,
    claimedByMe: 0,
    startsAt: iso(now - day),
    endsAt: iso(now + 30 * day),
    phase: 'live',
    validity: { type: 'relative', days: 30 },
    allStores: true,
    storeIds: ['nanjingxilu'],
    stores: [{ id: 'nanjingxilu', name: '南京西路店', address: '南京西路 1 号' }],
    wxCardId: null,
    wxStockId: null,
    ...over,
  }
}

export function couponDto(over: Partial<CouponDto> = {}): CouponDto {
  const now = Date.now()
  return {
    id: 'c1',
    code: '1234567890123452',
    status: 'available',
    offerId: 'latte-10off',
    offer: offerDto(),
    inWallet: false,
    claimedAt: iso(now - 60_000),
    validFrom: iso(now - 60_000),
    validTo: iso(now + 30 * day),
    channel: 'share',
    redeemedAt: null,
    redeemedStore: null,
    ...over,
  }
}
