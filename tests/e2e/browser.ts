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

export async function openPhone(userAgent: string): Promise<Phone> {
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
    viewport,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    userAgent,
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
  const page = context.pages()[0] ?? (await context.newPage())
  // Fail fast: a local server answers in milliseconds, and the whole file has a time budget.
  page.setDefaultTimeout(10_000)
  const errors: string[] = []
  const messages: string[] = []
  const fromBlocked = (m: ConsoleMessage) => blocked.some(u => m.location().url === u || m.text().includes(u))
  page.on('console', m => {
    messages.push(`${m.type()}: ${m.text()}`)
    if (m.type() === 'error' && !fromBlocked(m)) errors.push(`console.error: ${m.text()} (${m.location().url})`)
  })
  page.on('pageerror', e => errors.push(`pageerror: ${e.message}`))
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
