/**
 * A phone for browser tests: headless Chromium at 375 × 740 with a given user agent, in a
 * fresh profile (so a new sandbox WeChat user), that can reach only the test server.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, chromium, type ConsoleMessage, type Page } from 'playwright-core'

export const userAgents = {
  wechat:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN',
  safari:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
} as const

export const viewport = { width: 375, height: 740 }
/** The merchant console's desktop: a laptop screen. */
export const desktopViewport = { width: 1280, height: 800 }
export const desktopUserAgent =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

export interface Phone {
  context: BrowserContext
  page: Page
  /** Console messages and uncaught errors seen so far, minus failures of requests we blocked. */
  problems: () => string[]
  /** Every console message seen so far, as `type: text`. */
  messages: () => string[]
  /** Requests refused because they left the machine. */
  blocked: string[]
  close: () => Promise<void>
}

export function openPhone(userAgent: string): Promise<Phone> {
  return openBrowser({ userAgent, viewport, deviceScaleFactor: 2, isMobile: true, hasTouch: true })
}

/** A desktop browser (Chrome on Windows at 1280 × 800), as a merchant opens the console on a computer. */
export function openDesktop(): Promise<Phone> {
  return openBrowser({ userAgent: desktopUserAgent, viewport: desktopViewport, deviceScaleFactor: 1 })
}

async function openBrowser(device: {
  userAgent: string
  viewport: { width: number; height: number }
  deviceScaleFactor: number
  isMobile?: boolean
  hasTouch?: boolean
}): Promise<Phone> {
  const dir = mkdtempSync(join(tmpdir(), 'kaquan-e2e-'))
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    ...device,
    locale: 'zh-CN',
  })
  const blocked: string[] = []
  // Only the test server: WeChat's JS-SDK reports telemetry to its own hosts, which must never be reached.
  await context.route('**/*', route => {
    const url = new URL(route.request().url())
    if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue()
    blocked.push(url.href)
    return route.abort('blockedbyclient')
  })
  const errors: string[] = []
  const messages: string[] = []
  const fromBlocked = (m: ConsoleMessage) => blocked.some(u => m.location().url === u || m.text().includes(u))
  // Every page of the browser is watched: a second tab or a window a link opens too.
  const watched = new WeakSet<Page>()
  const watch = (p: Page) => {
    if (watched.has(p)) return
    watched.add(p)
    // Fail fast: a local server answers in milliseconds, and the whole file has a time budget.
    p.setDefaultTimeout(10_000)
    p.on('console', m => {
      messages.push(`${m.type()}: ${m.text()}`)
      if (m.type() === 'error' && !fromBlocked(m)) errors.push(`console.error: ${m.text()} (${m.location().url})`)
    })
    p.on('pageerror', e => errors.push(`pageerror: ${e.message}`))
  }
  context.on('page', watch)
  const page = context.pages()[0] ?? (await context.newPage())
  watch(page)
  return {
    context,
    page,
    blocked,
    problems: () => [...errors],
    messages: () => [...messages],
    close: async () => {
      await context.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Resolves once Vue has mounted or hydrated #app (hydration sets no data-v-app attribute). */
export function appMounted(page: Page): Promise<unknown> {
  return page.waitForFunction(() => !!(document.getElementById('app') as { __vue_app__?: unknown } | null)?.__vue_app__)
}

/** Runs `fn` on a fresh phone and always closes it, whatever the test does. */
export async function withPhone<T>(userAgent: string, fn: (phone: Phone) => Promise<T>): Promise<T> {
  const phone = await openPhone(userAgent)
  try {
    return await fn(phone)
  } finally {
    await phone.close()
  }
}
