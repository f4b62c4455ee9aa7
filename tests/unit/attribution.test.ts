import { describe, expect, it } from 'vitest'
import type { LocationQuery } from 'vue-router'
import { attributionFrom } from '../../src/web/pages/consumer/attribution.ts'

describe('attributionFrom', () => {
  it('keeps a valid channel, sharer and store', () => {
    expect(attributionFrom({ ch: 'share', ref: 'u_Ab-12', store: 'nanjingxilu' })).toEqual({
      ch: 'share',
      ref: 'u_Ab-12',
      store: 'nanjingxilu',
    })
  })

  it('returns nothing for an empty query', () => {
    expect(attributionFrom({})).toEqual({})
  })

  it('ignores parameters it does not know', () => {
    expect(attributionFrom({ ch: 'qr_1', utm_source: 'x', from: 'timeline' })).toEqual({ ch: 'qr_1' })
  })

  it.each<[string, LocationQuery, object]>([
    ['an upper-case channel', { ch: 'Share', ref: 'u1' }, { ref: 'u1' }],
    ['a channel with a dash', { ch: 'moments-1' }, {}],
    ['a channel of 33 characters', { ch: 'a'.repeat(33) }, {}],
    ['an empty channel', { ch: '' }, {}],
    ['a ref of 65 characters', { ch: 'share', ref: 'r'.repeat(65) }, { ch: 'share' }],
    ['a ref with a dot', { ref: 'u.1' }, {}],
    ['a store of 65 characters', { store: 's'.repeat(65) }, {}],
    ['a store with a slash', { store: 'a/b' }, {}],
    ['a store with a space', { store: 'a b' }, {}],
    ['a channel given twice', { ch: ['share', 'qr'], ref: 'u1' }, { ref: 'u1' }],
    ['a ref given as an array of one', { ref: ['u1'] }, {}],
    ['a store with no value', { store: null }, {}],
    ['a channel with a trailing newline', { ch: 'share\n' }, {}],
  ])('drops %s', (_label, query, expected) => {
    expect(attributionFrom(query)).toEqual(expected)
  })

  it.each<[string, LocationQuery]>([
    ['a channel of 32 characters', { ch: 'a'.repeat(32) }],
    ['a ref of 64 characters', { ref: 'r'.repeat(64) }],
    ['a store of 64 characters', { store: 's'.repeat(64) }],
  ])('keeps %s', (_label, query) => {
    expect(attributionFrom(query)).toEqual(query)
  })
})
