import { describe, expect, it } from 'vitest'
import { formatDiscount, formatYuan, type OfferValueInput, offerValueLabel } from '../../src/shared/money.ts'

describe('formatYuan', () => {
  it.each([
    [1000, '10'],
    [1050, '10.5'],
    [1005, '10.05'],
    [1010, '10.1'],
    [1099, '10.99'],
    [0, '0'],
    [1, '0.01'],
    [10, '0.1'],
    [50, '0.5'],
    [100, '1'],
    [5000, '50'],
    [123_456, '1234.56'],
  ])('shows %i fen as ¥%s', (fen, expected) => {
    expect(formatYuan(fen)).toBe(expected)
  })

  it('never shows a trailing zero after the decimal point', () => {
    for (let fen = 0; fen < 10_000; fen += 7) {
      expect(formatYuan(fen), String(fen)).not.toMatch(/\.\d*0$|\.$/)
    }
  })

  it('round-trips every fen amount below 100 yuan back to the same number', () => {
    for (let fen = 0; fen < 10_000; fen++) {
      expect(Math.round(Number(formatYuan(fen)) * 100), String(fen)).toBe(fen)
    }
  })
})

describe('formatDiscount', () => {
  it.each([
    [88, '8.8折'],
    [80, '8折'],
    [75, '7.5折'],
    [95, '9.5折'],
    [50, '5折'],
    [99, '9.9折'],
    [5, '0.5折'],
  ])('shows %i%% of the price as %s', (percent, expected) => {
    expect(formatDiscount(percent)).toBe(expected)
  })
})

function offer(over: Partial<OfferValueInput>): OfferValueInput {
  return { kind: 'cash', valueFen: 1000, thresholdFen: 0, discountPercent: null, giftName: null, ...over }
}

describe('offerValueLabel', () => {
  it.each([
    [
      'cash with a threshold',
      offer({ kind: 'cash', valueFen: 1000, thresholdFen: 5000 }),
      { main: '¥10', condition: '满50可用', summary: '满50减10' },
    ],
    [
      'cash without a threshold',
      offer({ kind: 'cash', valueFen: 1000, thresholdFen: 0 }),
      { main: '¥10', condition: '无门槛', summary: '无门槛减10' },
    ],
    [
      'cash with fen amounts',
      offer({ kind: 'cash', valueFen: 550, thresholdFen: 2990 }),
      { main: '¥5.5', condition: '满29.9可用', summary: '满29.9减5.5' },
    ],
    [
      'a discount without a threshold',
      offer({ kind: 'discount', valueFen: 0, discountPercent: 88 }),
      { main: '8.8折', condition: '无门槛', summary: '无门槛8.8折' },
    ],
    [
      'a discount with a threshold',
      offer({ kind: 'discount', valueFen: 0, thresholdFen: 10_000, discountPercent: 88 }),
      { main: '8.8折', condition: '满100可用', summary: '满100享8.8折' },
    ],
    [
      'a whole-number discount',
      offer({ kind: 'discount', valueFen: 0, discountPercent: 80 }),
      { main: '8折', condition: '无门槛', summary: '无门槛8折' },
    ],
    [
      'a gift',
      offer({ kind: 'gift', valueFen: 0, giftName: '手工曲奇一份' }),
      { main: '赠品', condition: '手工曲奇一份', summary: '赠手工曲奇一份' },
    ],
  ])('labels %s', (_label, input, expected) => {
    expect(offerValueLabel(input)).toEqual(expected)
  })

  it('still names a gift when the gift has a threshold: the condition is the gift name', () => {
    const label = offerValueLabel(offer({ kind: 'gift', valueFen: 0, thresholdFen: 3000, giftName: '拿铁一杯' }))
    expect(label.main).toBe('赠品')
    expect(label.condition).toBe('拿铁一杯')
    expect(label.summary).toBe('赠拿铁一杯')
  })
})
