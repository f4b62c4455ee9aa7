import { describe, expect, it } from 'vitest'
import { newId, randomDigit, randomToken } from '../../src/server/random.ts'

describe('randomToken', () => {
  it.each([1, 16, 24, 32, 128, 500])('has length %i and only letters and digits', n => {
    const token = randomToken(n)
    expect(token).toHaveLength(n)
    expect(token).toMatch(/^[A-Za-z0-9]+$/)
  })

  it('is 24 characters long by default', () => {
    expect(randomToken()).toHaveLength(24)
  })

  it('makes 1000 distinct tokens', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => randomToken(16)))
    expect(tokens.size).toBe(1000)
  })

  it('uses many different characters, not a handful', () => {
    const seen = new Set(randomToken(5000))
    expect(seen.size).toBeGreaterThan(40)
  })
})

describe('newId', () => {
  it('is a 16-character letters-and-digits token', () => {
    expect(newId()).toMatch(/^[A-Za-z0-9]{16}$/)
  })
})

describe('randomDigit', () => {
  it('gives every digit from 0 to 9 and nothing else', () => {
    const seen = new Set(Array.from({ length: 2000 }, randomDigit))
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })
})
