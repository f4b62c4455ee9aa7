import { describe, expect, it } from 'vitest'
import { epochOf } from '../../src/shared/time.ts'
import {
  couponStatus,
  couponWindow,
  formatDate,
  formatDateTime,
  formatRange,
  offerPhase,
  validityLabel,
} from '../../src/shared/validity.ts'

/** Epoch seconds for a wall-clock time in China (UTC+8). */
const china = (local: string) => Date.parse(`${local}+08:00`) / 1000

const DAY = 86_400

describe('offerPhase', () => {
  const window = { startsAt: china('2026-12-01T10:00:00'), endsAt: china('2026-12-31T22:00:00') }

  it.each([
    ['long before the start', window.startsAt - 30 * DAY, 'upcoming'],
    ['one second before the start', window.startsAt - 1, 'upcoming'],
    ['exactly at the start', window.startsAt, 'live'],
    ['in the middle', window.startsAt + 10 * DAY, 'live'],
    ['one second before the end', window.endsAt - 1, 'live'],
    ['exactly at the end', window.endsAt, 'ended'],
    ['long after the end', window.endsAt + 30 * DAY, 'ended'],
  ] as const)('is %s -> %s', (_label, now, phase) => {
    expect(offerPhase(window, now)).toBe(phase)
  })

  it.each([
    ['live', window.startsAt + DAY, 'live'],
    ['live before its start', window.startsAt - DAY, 'upcoming'],
    ['paused inside its window', window.startsAt + DAY, 'paused'],
    ['paused before its start', window.startsAt - DAY, 'paused'],
    ['paused after its end', window.endsAt + DAY, 'ended'],
    ['ended inside its window', window.startsAt + DAY, 'ended'],
    ['a draft', window.startsAt + DAY, 'ended'],
  ] as const)('with status %s reads as %s', (label, now, phase) => {
    const status = label.split(' ')[0] === 'a' ? 'draft' : (label.split(' ')[0] as 'live' | 'paused' | 'ended')
    expect(offerPhase({ ...window, status }, now)).toBe(phase)
  })
})

describe('couponWindow', () => {
  const claimedAt = china('2026-12-05T15:30:00')

  it("uses the offer's fixed dates whenever the coupon was claimed", () => {
    const validity = { type: 'fixed' as const, from: china('2026-12-01T00:00:00'), to: china('2027-01-01T00:00:00') }
    expect(couponWindow(validity, claimedAt)).toEqual({ from: validity.from, to: validity.to })
    expect(couponWindow(validity, claimedAt + 3 * DAY)).toEqual({ from: validity.from, to: validity.to })
  })

  it.each([1, 7, 30])('opens a relative window of %i days at the moment of claiming', days => {
    expect(couponWindow({ type: 'relative', days }, claimedAt)).toEqual({ from: claimedAt, to: claimedAt + days * DAY })
  })
})

describe('couponStatus', () => {
  const validTo = china('2026-12-31T00:00:00')

  it.each([
    ['available well before validTo', { redeemedAt: null, validTo }, validTo - DAY, 'available'],
    ['available one second before validTo', { redeemedAt: null, validTo }, validTo - 1, 'available'],
    ['expired exactly at validTo', { redeemedAt: null, validTo }, validTo, 'expired'],
    ['expired after validTo', { redeemedAt: null, validTo }, validTo + DAY, 'expired'],
    ['redeemed while still valid', { redeemedAt: validTo - 2 * DAY, validTo }, validTo - DAY, 'redeemed'],
    [
      'redeemed, not expired, once the window has passed',
      { redeemedAt: validTo - 2 * DAY, validTo },
      validTo + DAY,
      'redeemed',
    ],
    ['redeemed even when redeemedAt is 0', { redeemedAt: 0, validTo }, validTo + DAY, 'redeemed'],
  ] as const)('is %s', (_label, coupon, now, status) => {
    expect(couponStatus(coupon, now)).toBe(status)
  })
})

describe('formatDate', () => {
  it.each([
    ['2026-12-01T00:00:00', '2026.12.01'],
    ['2026-12-01T07:59:59', '2026.12.01'],
    ['2026-11-30T23:59:59', '2026.11.30'],
    ['2027-01-01T00:00:00', '2027.01.01'],
    ['2026-03-09T12:00:00', '2026.03.09'],
  ])('shows China time %s as %s', (local, expected) => {
    expect(formatDate(china(local))).toBe(expected)
  })

  it("uses China's date, not UTC's: 16:00 UTC is already the next day in China", () => {
    expect(formatDate(Date.parse('2026-11-30T16:00:00Z') / 1000)).toBe('2026.12.01')
    expect(formatDate(Date.parse('2026-11-30T15:59:59Z') / 1000)).toBe('2026.11.30')
  })
})

describe('formatDateTime', () => {
  const now = china('2026-06-15T12:00:00')

  it.each([
    ['a time this year without the year', '2026-12-01T14:02:00', '12-01 14:02'],
    ['midnight this year', '2026-01-01T00:00:00', '01-01 00:00'],
    ['a time last year with the year', '2025-12-01T14:02:00', '2025.12.01 14:02'],
    ['a time next year with the year', '2027-01-01T09:05:00', '2027.01.01 09:05'],
  ])('shows %s', (_label, local, expected) => {
    expect(formatDateTime(china(local), now)).toBe(expected)
  })

  it('decides "this year" by China\'s calendar', () => {
    // 2026-12-31 17:00 UTC is 2027-01-01 01:00 in China.
    const newYearInChina = Date.parse('2026-12-31T17:00:00Z') / 1000
    expect(formatDateTime(china('2027-01-05T08:30:00'), newYearInChina)).toBe('01-05 08:30')
    expect(formatDateTime(china('2026-12-31T08:30:00'), newYearInChina)).toBe('2026.12.31 08:30')
  })
})

describe('formatRange', () => {
  it.each([
    [
      'a month, with the exclusive end shown as the day before',
      '2026-12-01T00:00:00',
      '2027-01-01T00:00:00',
      '2026.12.01–12.31',
    ],
    ['a range ending mid-day, including that day', '2026-12-01T00:00:00', '2026-12-15T18:00:00', '2026.12.01–12.15'],
    ['a single day', '2026-12-01T00:00:00', '2026-12-02T00:00:00', '2026.12.01–12.01'],
    [
      "a range across a new year, keeping the end's year",
      '2026-12-15T00:00:00',
      '2027-01-16T00:00:00',
      '2026.12.15–2027.01.15',
    ],
    [
      'a range ending one second into the new year',
      '2026-12-01T00:00:00',
      '2027-01-01T00:00:01',
      '2026.12.01–2027.01.01',
    ],
  ])('formats %s', (_label, from, to, expected) => {
    expect(formatRange(china(from), china(to))).toBe(expected)
  })
})

describe('validityLabel', () => {
  it.each([1, 7, 30])('says a relative validity of %i days is valid for that many days after claiming', days => {
    expect(validityLabel({ type: 'relative', days })).toBe(`领取后${days}天内有效`)
  })

  it('shows a fixed validity as its date range', () => {
    expect(validityLabel({ type: 'fixed', from: china('2026-12-01T00:00:00'), to: china('2027-01-01T00:00:00') })).toBe(
      '2026.12.01–12.31',
    )
  })
})

describe('epochOf', () => {
  it.each([
    ['2026-12-01T00:00:00.000Z', 1796083200],
    ['2026-12-01T08:00:00+08:00', 1796083200],
    ['2026-12-01T00:00:00.999Z', 1796083200],
  ])('reads %s as %i', (iso, seconds) => {
    expect(epochOf(iso)).toBe(seconds)
  })
})
