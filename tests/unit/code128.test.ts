import { describe, expect, it } from 'vitest'
import { code128C } from '../../src/shared/code128.ts'

// From the Code 128 specification (ISO/IEC 15417), written out here independently of the module.
const START_C = [2, 1, 1, 2, 3, 2]
const STOP = [2, 3, 3, 1, 1, 1, 2]
const SPEC: Record<number, number[]> = {
  0: [2, 1, 2, 2, 2, 2],
  12: [1, 1, 2, 2, 3, 2],
  34: [1, 3, 1, 1, 2, 3],
  82: [1, 2, 1, 2, 4, 1],
  99: [1, 1, 3, 1, 4, 1],
  100: [1, 1, 4, 1, 3, 1],
  101: [3, 1, 1, 1, 4, 1],
  102: [4, 1, 1, 1, 3, 1],
}

/** Splits the widths into 6-element symbols plus the 7-element stop. */
function symbols(widths: number[]): { data: number[][]; stop: number[] } {
  const body = widths.slice(0, -7)
  const data: number[][] = []
  for (let i = 0; i < body.length; i += 6) data.push(body.slice(i, i + 6))
  return { data, stop: widths.slice(-7) }
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

/** The pattern of each value 0..99, read from the module's own output as the data symbol of a two-digit code. */
const table = new Map<string, number>()
for (let v = 0; v < 100; v++) table.set(symbols(code128C(String(v).padStart(2, '0'))).data[1]!.join(''), v)
for (const v of [100, 101, 102]) table.set(SPEC[v]!.join(''), v)

/** Independent re-implementation of the mod-103 weighted checksum for code set C. */
function expectedChecksum(digits: string): number {
  let total = 105
  for (let i = 0; i < digits.length; i += 2) total += Number(digits.slice(i, i + 2)) * (i / 2 + 1)
  return total % 103
}

describe('code128C', () => {
  it('encodes "1234" as start C, 12, 34, checksum 82 and stop', () => {
    expect(code128C('1234')).toEqual([...START_C, ...SPEC[12]!, ...SPEC[34]!, ...SPEC[82]!, ...STOP])
  })

  it('encodes "00" with checksum 2 (105 mod 103)', () => {
    const { data } = symbols(code128C('00'))
    expect(data[1]).toEqual(SPEC[0])
    expect(table.get(data[2]!.join(''))).toBe(2)
  })

  it.each(['00', '1234', '99', '1234567890123456', '0000000000000000', '9999999999999999', '5724018836190027'])(
    'gives %s 6 widths per symbol plus 7 for the stop, 11 modules each and 13 for the stop',
    digits => {
      const widths = code128C(digits)
      const n = digits.length
      expect(widths).toHaveLength(6 * (2 + n / 2) + 7)
      expect(sum(widths)).toBe(11 * (2 + n / 2) + 13)
      const { data, stop } = symbols(widths)
      for (const s of data) expect(sum(s)).toBe(11)
      expect(sum(stop)).toBe(13)
      expect(stop).toEqual(STOP)
      expect(data[0]).toEqual(START_C)
    },
  )

  it('uses only widths of 1 to 4 modules', () => {
    for (const w of code128C('1234567890123456')) expect([1, 2, 3, 4]).toContain(w)
  })

  it('has an even number of bar modules in every symbol, as Code 128 requires', () => {
    // Bars are the 1st, 3rd and 5th widths of each symbol (bars and spaces alternate, starting with a bar).
    for (let v = 0; v < 100; v++) {
      const s = symbols(code128C(String(v).padStart(2, '0'))).data[1]!
      expect((s[0]! + s[2]! + s[4]!) % 2, `value ${v}`).toBe(0)
    }
  })

  it('gives each of the 100 two-digit values its own pattern', () => {
    expect(new Set([...table.keys()].slice(0, 100)).size).toBe(100)
  })

  it.each([
    ['00', 0],
    ['12', 12],
    ['34', 34],
    ['99', 99],
  ])("encodes the digit pair %s with the specification's pattern for %i", (digits, value) => {
    expect(symbols(code128C(digits)).data[1]).toEqual(SPEC[value])
  })

  it.each([
    '1234',
    '1234567890123456',
    '9999999999999999',
    '0000000000000001',
    '8008008008008008',
    '4711',
    '0102030405',
  ])('decodes %s back to its digit pairs with a correct mod-103 checksum', digits => {
    const { data } = symbols(code128C(digits))
    const values = data.slice(1).map(s => table.get(s.join('')))
    const pairs = values
      .slice(0, -1)
      .map(v => String(v).padStart(2, '0'))
      .join('')
    expect(pairs).toBe(digits)
    expect(values.at(-1)).toBe(expectedChecksum(digits))
  })

  it('encodes checksums of 100 to 102 with their own patterns', () => {
    const hit = new Set<number>()
    for (let v = 0; v < 100 && hit.size < 3; v++) {
      for (let w = 0; w < 100; w++) {
        const digits = String(v).padStart(2, '0') + String(w).padStart(2, '0')
        const c = expectedChecksum(digits)
        if (c < 100 || hit.has(c)) continue
        hit.add(c)
        expect(symbols(code128C(digits)).data[3]).toEqual(SPEC[c])
      }
    }
    expect([...hit].sort()).toEqual([100, 101, 102])
  })

  it.each([
    ['an odd number of digits', '123'],
    ['one digit', '1'],
    ['no digits', ''],
    ['a letter', '12a4'],
    ['a space', '12 34'],
    ['a minus sign', '-1234'],
  ])('throws on %s', (_label, digits) => {
    expect(() => code128C(digits)).toThrow()
  })
})
