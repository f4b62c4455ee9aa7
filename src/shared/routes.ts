import { patterns } from './patterns.ts'

/** The web app's page paths. The router uses them, and the server serves the app shell for them only (no catch-all fallback). */
export const pagePaths = {
  offers: '/',
  offer: '/o/:offerId',
  store: '/s/:storeId',
  myCoupons: '/me/coupons',
  myCoupon: '/me/coupons/:couponId',
  clerk: '/clerk',
  // The console: the app shell, never server-rendered. One merchant's pages go up to three levels
  // under /console/m/:mid (…/offers, …/offers/:itemId, …/offers/:itemId/edit): explicit paths,
  // because vue-router's repeatable params and Fastify's wildcards share no syntax.
  console: '/console',
  consoleLogin: '/console/login',
  consoleScan: '/console/scan',
  consoleMerchant: '/console/m/:mid',
  consoleSection: '/console/m/:mid/:section',
  consoleItem: '/console/m/:mid/:section/:itemId',
  consoleItemView: '/console/m/:mid/:section/:itemId/:view',
} as const

/** Where to send a browser to log in through WeChat and come back to `returnPath`. */
export function loginPath(returnPath: string): string {
  return `/auth/wechat/login?return=${encodeURIComponent(returnPath)}`
}

export type PageName = keyof typeof pagePaths

/** Landing pages are rendered on the server so a tapped link paints before any script runs. */
export const landingPages = ['offers', 'offer', 'store'] as const satisfies readonly PageName[]
export type LandingPage = (typeof landingPages)[number]

export interface LandingMatch {
  page: LandingPage
  /** The path's parameters by name (`offerId`, `storeId`), each a well-formed id. */
  params: Record<string, string>
}

/** `/o/:offerId` as a pattern: each `:name` is an id (patterns.id), a trailing slash is allowed. */
function compile(path: string): { re: RegExp; names: string[] } {
  const names: string[] = []
  const body = path.replace(/:(\w+)/g, (_m, name: string) => {
    names.push(name)
    return `(${patterns.id.source.slice(1, -1)})`
  })
  return { re: new RegExp(`^${body === '/' ? '/' : `${body}/?`}$`), names }
}

const compiled = landingPages.map(page => ({ page, ...compile(pagePaths[page]) }))

/** Which landing page a path is, with its parameters; null for any other path. */
export function matchLanding(pathname: string): LandingMatch | null {
  for (const c of compiled) {
    const m = c.re.exec(pathname)
    if (m) return { page: c.page, params: Object.fromEntries(c.names.map((n, i) => [n, m[i + 1]!])) }
  }
  return null
}

export function isLandingPath(path: string): boolean {
  return matchLanding(path) !== null
}
