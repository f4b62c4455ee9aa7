/**
 * When offers can be claimed and coupons used. Times are epoch seconds here; the API
 * turns them into ISO strings at the edge. Status is derived in this one place so both
 * database engines, the web app and the server agree.
 */
import type { ValidityDto } from './api/offers.ts'
import { chinaDate, epochOf, isoOf } from './time.ts'

/** Paused: the merchant stopped claims for now (the offer's status), whatever its claim window says. */
export type OfferPhase = 'upcoming' | 'live' | 'paused' | 'ended'
export type CouponStatus = 'available' | 'redeemed' | 'expired'

export type Validity = { type: 'fixed'; from: number; to: number } | { type: 'relative'; days: number }

export function offerPhase(
  window: { startsAt: number; endsAt: number; status?: 'draft' | 'live' | 'paused' | 'ended' },
  now: number,
): OfferPhase {
  // A draft is never shown to consumers; should one be asked about, it reads as not claimable.
  if (window.status === 'ended' || window.status === 'draft' || now >= window.endsAt) return 'ended'
  if (window.status === 'paused') return 'paused'
  if (now < window.startsAt) return 'upcoming'
  return 'live'
}

/** The API's form of a validity rule (ISO strings) as these rules take it (epoch seconds), and back. */
export function validityFromDto(v: ValidityDto): Validity {
  return v.type === 'relative' ? v : { type: 'fixed', from: epochOf(v.from), to: epochOf(v.to) }
}

export function validityToDto(v: Validity): ValidityDto {
  return v.type === 'relative' ? v : { type: 'fixed', from: isoOf(v.from), to: isoOf(v.to) }
}

/** The window a coupon claimed at `claimedAt` may be used in. */
export function couponWindow(validity: Validity, claimedAt: number): { from: number; to: number } {
  if (validity.type === 'fixed') return { from: validity.from, to: validity.to }
  return { from: claimedAt, to: claimedAt + validity.days * 86_400 }
}

export function couponStatus(c: { redeemedAt: number | null; validTo: number }, now: number): CouponStatus {
  if (c.redeemedAt !== null) return 'redeemed'
  if (now >= c.validTo) return 'expired'
  return 'available'
}

const two = (n: number) => String(n).padStart(2, '0')

/** 2026.12.01 */
export function formatDate(epochSeconds: number): string {
  const c = chinaDate(epochSeconds)
  return `${c.y}.${two(c.m)}.${two(c.d)}`
}

/** 12-01 14:02, or 2025.12.01 14:02 when not this year. */
export function formatDateTime(epochSeconds: number, now: number): string {
  const c = chinaDate(epochSeconds)
  const sameYear = chinaDate(now).y === c.y
  return `${sameYear ? `${two(c.m)}-${two(c.d)}` : `${c.y}.${two(c.m)}.${two(c.d)}`} ${two(c.h)}:${two(c.min)}`
}

/** "2026.12.01–12.31", with the end's year left out when it is the start's. The end is inclusive for people, exclusive in data. */
export function formatRange(from: number, to: number): string {
  const a = chinaDate(from)
  const b = chinaDate(to - 1)
  const end = a.y === b.y ? `${two(b.m)}.${two(b.d)}` : `${b.y}.${two(b.m)}.${two(b.d)}`
  return `${formatDate(from)}–${end}`
}

export function validityLabel(validity: Validity): string {
  if (validity.type === 'relative') return `领取后${validity.days}天内有效`
  return formatRange(validity.from, validity.to)
}
