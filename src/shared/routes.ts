import { patterns } from './patterns.ts'

/** The consumer and clerk app's page paths (index.html): all its router needs. */
export const appPaths = {
  offers: '/',
  offer: '/o/:offerId',
  store: '/s/:storeId',
  myCoupons: '/me/coupons',
  myCoupon: '/me/coupons/:couponId',
  clerk: '/clerk',
} as const

/** The merchant console's page paths (console.html). */
export const consolePaths = {
  console: '/console',
  consoleLogin: '/console/login',
  consoleScan: '/console/scan',
  /** A merchant's console; the app goes on to its first section. */
  consoleMerchant: '/console/m/:mid',
  consoleOffers: '/console/m/:mid/offers',
  consoleOfferNew: '/console/m/:mid/offers/new',
  consoleOffer: '/console/m/:mid/offers/:offerId',
  consoleStores: '/console/m/:mid/stores',
  consoleClerks: '/console/m/:mid/clerks',
  consoleChannels: '/console/m/:mid/channels',
  /** 数据: the funnel. */
  consoleData: '/console/m/:mid/data',
  consoleMembers: '/console/m/:mid/members',
  consoleAudit: '/console/m/:mid/audit',
} as const

const both = <A, B>(a: A, b: B): A & B => ({ ...a, ...b })
/**
 * Every page path of both apps. The server serves an app shell for these only (no catch-all
 * fallback); a bundle that reads only one app's paths leaves the other's out.
 */
export const pagePaths = /* @__PURE__ */ both(appPaths, consolePaths)

/** Where to send a browser to log in through WeChat and come back to `returnPath`. */
export function loginPath(returnPath: string): string {
  return `/auth/wechat/login?return=${encodeURIComponent(returnPath)}`
}

export type PageName = keyof typeof pagePaths

/** The merchant console is an app of its own (console.html), served for every path under /console. */
export function isConsolePath(pathname: string): boolean {
  return pathname === '/console' || pathname.startsWith('/console/')
}

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

let compiled: ({ page: LandingPage } & ReturnType<typeof compile>)[] | null = null

/** Which landing page a path is, with its parameters; null for any other path. */
export function matchLanding(pathname: string): LandingMatch | null {
  compiled ??= landingPages.map(page => ({ page, ...compile(appPaths[page]) }))
  for (const c of compiled) {
    const m = c.re.exec(pathname)
    if (m) return { page: c.page, params: Object.fromEntries(c.names.map((n, i) => [n, m[i + 1]!])) }
  }
  return null
}

export function isLandingPath(path: string): boolean {
  return matchLanding(path) !== null
}
