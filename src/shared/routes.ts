/** The web app's page paths. The router uses them, and the server serves the app shell for them only (no catch-all fallback). */
export const pagePaths = {
  offers: '/',
  offer: '/o/:offerId',
  store: '/s/:storeId',
  myCoupons: '/me/coupons',
  myCoupon: '/me/coupons/:couponId',
  clerk: '/clerk',
} as const

/** Where to send a browser to log in through WeChat and come back to `returnPath`. */
export function loginPath(returnPath: string): string {
  return `/auth/wechat/login?return=${encodeURIComponent(returnPath)}`
}

/** Landing pages are rendered on the server so a tapped link paints before any script runs. */
export function isLandingPath(path: string): boolean {
  return /^\/(o|s)\/[A-Za-z0-9_-]{1,64}\/?$/.test(path) || path === '/'
}
