import { describe, expect, it } from 'vitest'
import { isLandingPath, loginPath } from '../../src/shared/routes.ts'

const id64 = 'a'.repeat(64)
const id65 = 'a'.repeat(65)

describe('isLandingPath', () => {
  it.each(['/', '/o/x', '/o/latte-10off', '/o/x/', '/s/x', '/s/nanjingxilu', `/s/${id64}`])(
    'treats %s as a landing page',
    path => {
      expect(isLandingPath(path)).toBe(true)
    },
  )

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
  ])('does not treat %s as a landing page', path => {
    expect(isLandingPath(path)).toBe(false)
  })
})

describe('loginPath', () => {
  it('sends the browser to the login route with the return path encoded', () => {
    expect(loginPath('/o/latte-10off?ch=share&claim=1')).toBe(
      '/auth/wechat/login?return=%2Fo%2Flatte-10off%3Fch%3Dshare%26claim%3D1',
    )
  })
})
