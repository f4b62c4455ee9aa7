import { describe, expect, it } from 'vitest'
import { isLandingPath, isPagePath } from '../../src/shared/routes.ts'

const id64 = 'a'.repeat(64)
const id65 = 'a'.repeat(65)

describe('isPagePath', () => {
  it.each([
    '/',
    '/o/latte-10off',
    '/o/latte-10off/',
    '/o/Latte_10',
    `/o/${id64}`,
    '/s/nanjingxilu',
    '/me/coupons',
    '/me/coupons/',
    '/me/coupons/abc',
  ])('treats %s as a page', (path) => {
    expect(isPagePath(path)).toBe(true)
  })

  it.each([
    '/api/offers',
    '/api/offers/latte-10off',
    '/o/',
    '/o',
    '/o/a/b',
    '/s/',
    '/s/a/b',
    '/assets/x.js',
    '/favicon.ico',
    `/o/${id65}`,
    '/o/latte.10off',
    '/o/latte%2010off',
    '/me',
    '/me/coupons/abc/def',
    '',
    'o/latte-10off',
  ])('does not treat %s as a page', (path) => {
    expect(isPagePath(path)).toBe(false)
  })
})

describe('isLandingPath', () => {
  it.each(['/', '/o/x', '/o/latte-10off', '/o/x/', '/s/x', '/s/nanjingxilu', `/s/${id64}`])('treats %s as a landing page', (path) => {
    expect(isLandingPath(path)).toBe(true)
  })

  it.each([
    '/me/coupons',
    '/me/coupons/abc',
    '/o/',
    '/s/',
    '/o/a/b',
    `/o/${id65}`,
    '/api/offers',
    '/assets/x.js',
    '/x/abc',
    '',
  ])('does not treat %s as a landing page', (path) => {
    expect(isLandingPath(path)).toBe(false)
  })
})
