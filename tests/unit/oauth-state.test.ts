import { describe, expect, it } from 'vitest'
import { isStateToken, safeReturnPath } from '../../src/server/auth/oauth-state.ts'

const ORIGIN = 'https://shop.example.com'

describe('isStateToken', () => {
  it.each([
    ['16 letters and digits', 'abcDEF0123456789'],
    ['24 letters and digits', 'ABCDEFGHJKLMNPQRSTUVWXYZ'],
    ['128 characters', 'a'.repeat(128)],
  ])('accepts %s', (_label, value) => {
    expect(isStateToken(value)).toBe(true)
  })

  it.each([
    ['15 characters', 'a'.repeat(15)],
    ['129 characters', 'a'.repeat(129)],
    ['empty', ''],
    ['a dash', 'abcdefgh-ijklmnop'],
    ['an underscore', 'abcdefgh_ijklmnop'],
    ['a space', 'abcdefgh ijklmnop'],
    ['a trailing newline', `${'a'.repeat(20)}\n`],
    ['a slash', 'abcdefgh/ijklmnop'],
    ['non-ASCII letters', 'ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐ'],
    ['percent-encoding', 'abcdefgh%20ijklmnop'],
  ])('rejects %s', (_label, value) => {
    expect(isStateToken(value)).toBe(false)
  })
})

describe('safeReturnPath', () => {
  it.each([
    ['/', '/'],
    ['/o/1', '/o/1'],
    ['/o/1?ch=share', '/o/1?ch=share'],
    ['/o/1?ch=share#top', '/o/1?ch=share'],
    ['/me/coupons#x', '/me/coupons'],
    ['/o/1?ch=share&ref=u_1', '/o/1?ch=share&ref=u_1'],
  ])('accepts %s as %s', (value, expected) => {
    expect(safeReturnPath(value, ORIGIN)).toBe(expected)
  })

  it.each([
    ['a protocol-relative URL', '//evil.com/x'],
    ['a backslash host', '/\\evil.com'],
    ['a backslash host with a path', '/\\evil.com/x'],
    ['a tab hiding a second slash', '/\t/evil.com'],
    ['a newline hiding a second slash', '/\n/evil.com/x'],
    ['an absolute URL', 'https://evil.com/'],
    ['an absolute URL to the same host', 'https://shop.example.com/o/1'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['an empty string', ''],
    ['a relative path', 'o/1'],
    ['a dot-relative path', './o/1'],
  ])('rejects %s', (_label, value) => {
    expect(safeReturnPath(value, ORIGIN)).toBeNull()
  })

  // The result goes straight into a Location header, where "//host" is another site.
  it.each([
    '/..//evil.com',
    '/.//evil.com',
    '/./\\evil.com',
    '/o/..//evil.com/x',
    '/%2e%2e//evil.com',
    '/%2e//evil.com',
    '/%2F%2Fevil.com',
    '/ /evil.com',
  ])('never turns %j into a path that redirects off the site', value => {
    const path = safeReturnPath(value, ORIGIN)
    if (path === null) return
    expect(path).toMatch(/^\/(?![/\\])/)
    expect(new URL(path, ORIGIN).origin).toBe(ORIGIN)
  })
})
