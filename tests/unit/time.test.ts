import { describe, expect, it } from 'vitest'
import { chinaDay, chinaDayStart, chinaDayStartOf, epochOf, isoOf, rfc3339China } from '../../src/shared/time.ts'

// 2026-12-01 00:00 in China is 2026-11-30 16:00 UTC.
const dec1 = Date.UTC(2026, 10, 30, 16) / 1000

describe('China days', () => {
  it.each([
    ['the first second of the day', dec1, '2026-12-01'],
    ['the last second of the day', dec1 + 86_399, '2026-12-01'],
    ['the next day', dec1 + 86_400, '2026-12-02'],
    ['the second before', dec1 - 1, '2026-11-30'],
    ['New Year in China, still the old year in UTC', Date.UTC(2026, 11, 31, 16, 30) / 1000, '2027-01-01'],
  ])('puts %s on the right day', (_label, t, day) => {
    expect(chinaDay(t)).toBe(day)
    expect(chinaDayStart(t)).toBe(chinaDayStartOf(day))
  })

  it.each(['2026-02-30', '2026-13-01', '2026-1-1', '20261201', '', '2026-12-01T00:00'])('refuses %j as a day', day => {
    expect(chinaDayStartOf(day)).toBeNull()
  })

  it('turns API times and epoch seconds into each other', () => {
    expect(isoOf(dec1)).toBe('2026-11-30T16:00:00.000Z')
    expect(epochOf('2026-11-30T16:00:00.000Z')).toBe(dec1)
    expect(epochOf('2026-12-01T00:00:00+08:00')).toBe(dec1)
    expect(rfc3339China(dec1)).toBe('2026-12-01T00:00:00+08:00')
  })
})
