import { describe, expect, it } from 'vitest'
import { CODE_LENGTH, checkDigit, groupCode, isWellFormedCode, makeCode, normalizeCode } from '../../src/shared/code.ts'

/** Yields the given digits in order, then repeats them. */
function sequence(...digits: number[]): () => number {
  let i = 0
  return () => digits[i++ % digits.length]!
}

/** A small seeded LCG, so "random" codes are the same on every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0
    return s % 10
  }
}

// A valid code built by hand: fifteen digits plus their Damm check digit.
const body = '123456789012345'
const valid = body + checkDigit(body)

describe('checkDigit', () => {
  it.each([
    // Known Damm values from the literature (572 -> 4; 5724 is valid).
    ['572', 4],
    ['5724', 0],
    ['', 0],
    ['0', 0],
    ['1', 3],
    ['12', 5],
  ])('gives %j the check digit %i', (digits, expected) => {
    expect(checkDigit(digits)).toBe(expected)
  })

  it('makes any string valid once its check digit is appended', () => {
    for (const digits of ['9', '42', '31415926535', '000000000000001', '999999999999999']) {
      expect(checkDigit(digits + checkDigit(digits))).toBe(0)
    }
  })
})

describe('makeCode', () => {
  it('builds a 16-digit code whose check digit makes the whole code check to 0', () => {
    const code = makeCode(seeded(7))
    expect(code).toMatch(/^\d{16}$/)
    expect(code).toHaveLength(CODE_LENGTH)
    expect(checkDigit(code)).toBe(0)
    expect(isWellFormedCode(code)).toBe(true)
  })

  it('uses the random digits it is given, in order, for the first fifteen digits', () => {
    const code = makeCode(sequence(3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9))
    expect(code.slice(0, 15)).toBe('414159265358979')
    expect(code[15]).toBe(String(checkDigit('414159265358979')))
  })

  it('is deterministic for a deterministic random source', () => {
    expect(makeCode(seeded(42))).toBe(makeCode(seeded(42)))
    expect(makeCode(seeded(42))).not.toBe(makeCode(seeded(43)))
  })

  it('never starts with 0, even when the first random digit is 0', () => {
    const code = makeCode(sequence(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
    expect(code[0]).not.toBe('0')
    expect(code).toHaveLength(CODE_LENGTH)
    expect(isWellFormedCode(code)).toBe(true)
  })

  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])('never starts with 0 when the first random digit is %i', first => {
    const code = makeCode(sequence(first, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5))
    expect(code[0]).toMatch(/[1-9]/)
    expect(isWellFormedCode(code)).toBe(true)
  })

  it('builds well-formed codes from many seeds', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const code = makeCode(seeded(seed))
      expect(isWellFormedCode(code), code).toBe(true)
    }
  })
})

describe('isWellFormedCode', () => {
  it('accepts a valid code', () => {
    expect(isWellFormedCode(valid)).toBe(true)
  })

  it.each([
    ['15 digits', valid.slice(0, 15)],
    ['17 digits', `${valid}0`],
    ['empty', ''],
    ['a letter in place of a digit', `${valid.slice(0, 5)}a${valid.slice(6)}`],
    ['spaces', groupCode(valid)],
    ['a leading minus sign', `-${valid.slice(1)}`],
    ['full-width digits', valid.replace(/\d/g, d => String.fromCharCode(0xff10 + Number(d)))],
  ])('rejects a code with %s', (_label, code) => {
    expect(isWellFormedCode(code)).toBe(false)
  })

  it('rejects a code with a leading zero even when its check digit is right', () => {
    const zeroBody = '023456789012345'
    const code = zeroBody + checkDigit(zeroBody)
    expect(checkDigit(code)).toBe(0)
    expect(isWellFormedCode(code)).toBe(false)
  })

  it('rejects a code with a wrong check digit', () => {
    const wrong = body + ((checkDigit(body) + 1) % 10)
    expect(isWellFormedCode(wrong)).toBe(false)
  })

  const singleDigitChanges: Array<[number, string, string]> = []
  for (let pos = 0; pos < CODE_LENGTH; pos++) {
    for (let d = 0; d <= 9; d++) {
      if (String(d) === valid[pos]) continue
      singleDigitChanges.push([pos, String(d), valid.slice(0, pos) + d + valid.slice(pos + 1)])
    }
  }

  it('checks all 16 positions with all 9 alternative digits', () => {
    expect(singleDigitChanges).toHaveLength(16 * 9)
  })

  it.each(singleDigitChanges)('rejects a code with the digit at position %i changed to %s', (_pos, _digit, code) => {
    expect(isWellFormedCode(code)).toBe(false)
  })

  const swaps: Array<[number, string]> = []
  for (let pos = 0; pos < CODE_LENGTH - 1; pos++) {
    if (valid[pos] === valid[pos + 1]) continue
    swaps.push([pos, valid.slice(0, pos) + valid[pos + 1] + valid[pos] + valid.slice(pos + 2)])
  }

  it.each(swaps)('rejects a code with the digits at positions %i and the next swapped', (_pos, code) => {
    expect(isWellFormedCode(code)).toBe(false)
  })

  it('rejects every swap of two different adjacent digits in many generated codes', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const code = makeCode(seeded(seed))
      for (let pos = 0; pos < CODE_LENGTH - 1; pos++) {
        if (code[pos] === code[pos + 1]) continue
        const swapped = code.slice(0, pos) + code[pos + 1] + code[pos] + code.slice(pos + 2)
        expect(isWellFormedCode(swapped), `${code} swapped at ${pos}`).toBe(false)
      }
    }
  })
})

describe('normalizeCode', () => {
  it.each([
    ['1234 5678 9012 3456', '1234567890123456'],
    ['1234-5678-9012-3456', '1234567890123456'],
    ['  1234\t5678\n9012 - 3456 ', '1234567890123456'],
    ['1234567890123456', '1234567890123456'],
    ['', ''],
  ])('turns %j into %j', (input, expected) => {
    expect(normalizeCode(input)).toBe(expected)
  })

  it('keeps characters other than spaces and dashes so validation can reject them', () => {
    expect(normalizeCode('12a4_5678')).toBe('12a4_5678')
  })

  it('makes a grouped valid code well-formed again', () => {
    expect(isWellFormedCode(normalizeCode(groupCode(valid)))).toBe(true)
  })
})

describe('groupCode', () => {
  it.each([
    ['1234567890123456', '1234 5678 9012 3456'],
    ['12345678', '1234 5678'],
    ['123456', '1234 56'],
    ['1234', '1234'],
    ['', ''],
  ])('groups %j as %j', (code, expected) => {
    expect(groupCode(code)).toBe(expected)
  })
})
