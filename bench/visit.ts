/**
 * One unthrottled visit of the SSR landing in headless Chromium with WeChat's user agent, until
 * the network is idle: which scripts and stylesheets the page really loads, lazy chunks included
 * (inside WeChat the landing fetches weixin-js-sdk after it hydrates).
 */
import { chromium } from 'playwright-core'
import { WECHAT_UA } from './landing.ts'

export async function assetsLoaded(url: string): Promise<string[]> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  })
  try {
    const context = await browser.newContext({
      userAgent: WECHAT_UA,
      viewport: { width: 375, height: 740 },
      isMobile: true,
    })
    // Only loopback: WeChat's JS-SDK would otherwise report to its own hosts.
    await context.route(
      u => u.hostname !== '127.0.0.1',
      route => route.abort('blockedbyclient'),
    )
    const page = await context.newPage()
    const seen: string[] = []
    page.on('request', r => {
      if (['script', 'stylesheet'].includes(r.resourceType())) seen.push(new URL(r.url()).pathname)
    })
    await page.goto(url, { waitUntil: 'networkidle', timeout: 30_000 })
    return [...new Set(seen)]
  } finally {
    await browser.close()
  }
}
