import { describe, expect, it } from 'vitest'
import { epochOf, rfc3339China } from '../../src/server/wechatpay/time.ts'

describe('WeChat Pay times', () => {
  it.each([
    [0, '1970-01-01T08:00:00+08:00'],
    [1795503845, '2026-11-24T15:04:05+08:00'],
    [1795503845.9, '2026-11-24T15:04:05+08:00'],
  ])('writes %d as %s, in China time as WeChat Pay shows it', (epoch, text) => {
    expect(rfc3339China(epoch)).toBe(text)
    expect(epochOf(text)).toBe(Math.floor(epoch))
  })

  it.each([
    ['2026-11-24T07:04:05Z', 1795503845],
    ['2026-11-24T15:04:05.250+08:00', 1795503845],
  ])('reads %s in any zone', (text, epoch) => {
    expect(epochOf(text)).toBe(epoch)
  })

  it.each(['2026-11-24T15:04:05', '2026-11-24 15:04:05+08:00', '', 'tomorrow', '2026-13-45T99:99:99+08:00'])(
    'refuses %j, which has no zone or is no time',
    text => {
      expect(epochOf(text)).toBeNull()
    },
  )
})
