/** The web app's page paths. The router uses them, and the server serves the app shell for them only. */
export const pagePaths = {
  offers: '/',
  offer: '/o/:offerId',
  store: '/s/:storeId',
  myCoupons: '/me/coupons',
  myCoupon: '/me/coupons/:couponId',
  clerk: '/clerk',
} as const

/** True when `path` (no query) is one of the pages above. */
export function isPagePath(path: string): boolean {
  return Object.values(pagePaths).some((pattern) => {
    const body = pattern.replace(/\/$/, '').replace(/:[a-zA-Z]+/g, '[A-Za-z0-9_-]{1,64}')
    const re = new RegExp(body === '' ? '^/$' : `^${body}/?$`)
    return re.test(path)
  })
}

/** Landing pages are rendered on the server so a tapped link paints before any script runs. */
export function isLandingPath(path: string): boolean {
  return /^\/(o|s)\/[A-Za-z0-9_-]{1,64}\/?$/.test(path) || path === '/'
}
