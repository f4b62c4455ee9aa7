/**
 * Placement and analysis in Chromium: a merchant logs in to the console on a computer (the
 * sandbox's scan), makes a store poster channel and looks at its poster; a consumer opens the
 * channel's link in WeChat and claims; a clerk of another store redeems the code; the 数据 page's
 * numbers move. Screenshots of both pages at 1280 × 800 and 375 × 740, and of the poster.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { inviteUrl } from '../helpers/clerk.ts'
import { DESKTOP_UA } from '../helpers/console.ts'
import { openPhone, type Phone, userAgents } from './browser.ts'

const shots = 'test-output/screenshots'
let t: TestApp
let desk: { context: BrowserContext; page: Page; errors: string[]; dir: string }
let consumer: Phone
let clerk: Phone
let channelUrl = ''

/** A computer: a wide window, a mouse, a desktop browser's user agent, only the test server reachable. */
async function openDesktop() {
  const dir = mkdtempSync(join(tmpdir(), 'kaquan-e2e-desk-'))
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    viewport: { width: 1280, height: 800 },
    userAgent: DESKTOP_UA,
    locale: 'zh-CN',
  })
  await context.route('**/*', route =>
    new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort('blockedbyclient'),
  )
  const page = context.pages()[0] ?? (await context.newPage())
  page.setDefaultTimeout(15_000)
  const errors: string[] = []
  page.on('pageerror', e => errors.push(`pageerror: ${e.message}`))
  page.on('console', m => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`)
  })
  return { context, page, errors, dir }
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true })
  t = await startTestApp()
  desk = await openDesktop()
  consumer = await openPhone(userAgents.wechat)
  clerk = await openPhone(userAgents.wechat)
})
afterAll(async () => {
  await consumer?.close()
  await clerk?.close()
  await desk?.context.close()
  if (desk) rmSync(desk.dir, { recursive: true, force: true })
  await t.close()
})

/** Until no CSS transition runs (a dialog zooming in, a toast fading): what a screenshot should show. */
const settled = (page: Page) => page.waitForFunction(() => document.getAnimations().length === 0)
const figure = (page: Page, step: string) => page.textContent(`[data-step=${step}] [data-testid=figure]`)

/** The same page at phone width: the menu becomes a top bar, tables become cards. */
async function atPhoneWidth(page: Page, name: string, ready: string) {
  await page.setViewportSize({ width: 375, height: 740 })
  await page.waitForSelector(ready)
  await settled(page)
  await page.screenshot({ path: `${shots}/${name}-375.png`, fullPage: true })
  await page.setViewportSize({ width: 1280, height: 800 })
}

describe('a poster channel, from the console to the counter and back', () => {
  it('logs the merchant in on a computer through the sandbox’s scan', async () => {
    const { page, context } = desk
    await page.goto(`${t.url}/console/login`)
    await page.waitForSelector('[data-testid=sandbox-scan]')
    const [scanner] = await Promise.all([context.waitForEvent('page'), page.click('[data-testid=sandbox-scan]')])
    await scanner.waitForLoadState()
    // The demo café's owner, 老王, is listed first.
    await scanner.click('.cell:first-child button')
    await scanner.waitForSelector('[data-testid=scan-confirm]')
    expect(await scanner.textContent('[data-testid=scan-ask]')).toContain('山川咖啡')
    await scanner.click('[data-testid=scan-confirm]')
    await page.waitForURL(/\/console\/m\/shanchuan\/offers/)
    await scanner.close()
  })

  it('makes a store poster channel on the 渠道 page and shows its poster', async () => {
    const { page } = desk
    await page.click('[data-menu=menuChannels]')
    await page.waitForSelector('[data-testid=empty]')
    await page.click('[data-testid=new-channel]')
    await page.fill('[data-testid=channel-name] input', '南京西路店收银台')
    await page.click('[data-testid=channel-kind] [data-kind=poster]')
    await page.selectOption('[data-testid=channel-store]', 'nanjingxilu')
    await page.selectOption('[data-testid=channel-offer]', 'all-88')
    await page.click('.t-dialog__confirm')
    await page.waitForSelector('[data-testid=channel-detail]')
    await page.waitForSelector('.sheet[data-state=shown]', { timeout: 30_000 })
    channelUrl = await page.inputValue('[data-testid=channel-url] input')
    expect(channelUrl).toMatch(new RegExp(`^${t.url}/o/all-88\\?ch=[a-z0-9]{6,8}&store=nanjingxilu$`))
    await settled(page)
    await page.screenshot({ path: `${shots}/console-channel-poster-1280.png` })

    // The poster as it prints: the A5 PNG the preview shows, fetched with the merchant's session.
    const src = await page.getAttribute('[data-testid=poster-preview]', 'src')
    const png = await page.request.get(src!)
    expect(png.status()).toBe(200)
    expect(png.headers()['content-type']).toBe('image/png')
    writeFileSync(`${shots}/console-poster-a5.png`, await png.body())

    await page
      .locator('.t-dialog', { has: page.locator('[data-testid=channel-detail]') })
      .locator('.t-dialog__close')
      .click()
    await page.waitForSelector('[data-testid=channel-detail]', { state: 'hidden' })
    // The 渠道已创建 toast has gone: the list as it stays.
    await page.waitForSelector('.t-message', { state: 'detached' })
    expect(await page.textContent('[data-testid=channel-totals]')).toBe('0 / 0 / 0 / 0')
  })

  it('shows zeros on the 数据 page before anyone came', async () => {
    const { page } = desk
    await page.click('[data-menu=menuData]')
    await page.waitForSelector('[data-testid=figures]')
    expect(await figure(page, 'claims')).toBe('0')
    expect(await page.textContent('[data-testid=empty]')).toContain('这段时间还没有数据')
  })

  it('brings a consumer through the poster’s link, and a clerk of another store redeems the coupon', async () => {
    const { page } = consumer
    await page.goto(channelUrl)
    await page.waitForSelector('[data-testid=claim]')
    // A link this consumer forwards keeps the poster's channel.
    await page.waitForFunction(() => !!(window as any).__wxSandbox?.shares?.appMessage, null, { timeout: 15_000 })
    const shared = new URL(await page.evaluate(() => (window as any).__wxSandbox.shares.appMessage.link as string))
    expect(shared.searchParams.get('ch')).toBe(new URL(channelUrl).searchParams.get('ch'))
    await page.click('[data-testid=claim]')
    await page.waitForURL(/\/me\/coupons\/[A-Za-z0-9]+/, { timeout: 15_000 })
    await page.waitForSelector('[data-testid=coupon][data-status=available]')
    const code = (await page.textContent('[data-testid=code]'))!.replace(/\s/g, '')

    await clerk.page.goto(await inviteUrl(t, 'jingansi'))
    await clerk.page.waitForURL(/\/clerk\?store=jingansi/, { timeout: 15_000 })
    await clerk.page.click('[data-testid=scan]')
    await clerk.page.fill('[data-wx-sandbox=scan-input]', code)
    await clerk.page.click('[data-wx-sandbox=scan-confirm]')
    await clerk.page.waitForSelector('[data-testid=result]')
    expect(await clerk.page.getAttribute('[data-testid=result]', 'data-ok')).toBe('true')
    expect(consumer.problems()).toEqual([])
  })

  it('moves the numbers on the 数据 page, by channel and by store', async () => {
    const { page } = desk
    await page.click('[data-range=today]')
    await page.waitForFunction(
      () => document.querySelector('[data-step=redemptions] [data-testid=figure]')?.textContent === '1',
    )
    expect(await figure(page, 'views')).toBe('1')
    expect(await figure(page, 'claims')).toBe('1')
    expect(await figure(page, 'walletAdds')).toBe('0')
    expect(await page.textContent('[data-rate=rateClaim] b')).toBe('100%')
    expect(await page.textContent('[data-group=channel]')).toContain('南京西路店收银台')
    await page.waitForSelector('[data-testid=funnel-chart] svg')
    // The week, for the picture: the same figures, today's spike at the end of the line.
    await page.click('[data-range=last7]')
    await page.waitForSelector('[data-range=last7].t-is-checked')
    await page.waitForSelector('.answer:not(.refreshing) [data-testid=daily-chart] svg')
    expect(await figure(page, 'redemptions')).toBe('1')
    await settled(page)
    await page.screenshot({ path: `${shots}/console-data-1280.png`, fullPage: true })

    await page.click('[data-table=store]')
    const stores = await page.textContent('[data-group=store]')
    expect(stores).toContain('南京西路店')
    expect(stores).toContain('静安寺店')
    await page.click('[data-table=offer]')
    expect(await page.textContent('[data-testid=k-factor]')).toBe('0.00')
    await atPhoneWidth(page, 'console-data', '[data-testid=console-cards]')

    const csv = await page.request.get(`${t.url}${await page.getAttribute('[data-testid=export-csv]', 'href')}`)
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8')
    expect(await csv.text()).toContain('全场饮品8.8折')
  })

  it('shows the channel’s own totals on the 渠道 page, on a computer and on a phone', async () => {
    const { page } = desk
    await page.click('[data-menu=menuChannels]')
    await page.waitForSelector('[data-testid=console-table]')
    expect(await page.textContent('[data-testid=channel-totals]')).toBe('1 / 1 / 0 / 1')
    expect(await page.textContent('[data-testid=channel-rate]')).toBe('100%')
    await settled(page)
    await page.screenshot({ path: `${shots}/console-channels-1280.png` })
    await atPhoneWidth(page, 'console-channels', '[data-testid=console-cards]')
    await page.setViewportSize({ width: 375, height: 740 })
    await page.click('[data-action=open]')
    await page.waitForSelector('.sheet[data-state=shown]', { timeout: 30_000 })
    await settled(page)
    await page.screenshot({ path: `${shots}/console-channel-poster-375.png`, fullPage: true })
    expect(desk.errors).toEqual([])
  })
})
