/**
 * The consumer path in a real browser, once as WeChat's in-app browser and once as plain
 * mobile Safari: a tapped chat link, the invisible login, the coupon at the counter, the
 * wallet list, the closed states, a store poster and a dead link. Every state is saved as
 * a screenshot under test-output/screenshots/ for a person to look at.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demo } from '../../src/server/db/seed.ts'
import { startTestApp, type TestApp, touchCatalog } from '../helpers/app.ts'
import { appMounted, openPhone, type Phone, userAgents, viewport } from './browser.ts'

const shots = join(process.cwd(), 'test-output', 'screenshots')
mkdirSync(shots, { recursive: true })

const longTitle = '周末限定 山川咖啡全场手冲与意式饮品第二杯半价 外加任意烘焙甜点立减五元'

/** A live offer with a title too long for one ticket line, to see that it is clamped. */
async function addLongTitleOffer(testApp: TestApp) {
  const now = testApp.clock.now()
  await testApp.database.db
    .insertInto('offers')
    .values({
      id: 'long-title',
      merchant_id: demo.merchantId,
      title: longTitle,
      kind: 'cash',
      value_fen: 1250,
      threshold_fen: 12_000,
      discount_percent: null,
      gift_name: null,
      description: '标题很长的优惠',
      rules: '',
      image_url: null,
      stock_total: 100,
      stock_left: 100,
      per_user_limit: 1,
      starts_at: now - 86_400 + 4,
      ends_at: now + 30 * 86_400,
      validity_type: 'relative',
      valid_from: null,
      valid_to: null,
      valid_days: 30,
      all_stores: 1,
      wx_card_id: null,
      created_at: now,
    })
    .execute()
}

describe.each(Object.entries(userAgents))('the consumer path in %s', (ua, userAgent) => {
  let testApp: TestApp
  let phone: Phone
  let page: Page
  let couponId = ''

  beforeAll(async () => {
    testApp = await startTestApp()
    await addLongTitleOffer(testApp)
    phone = await openPhone(userAgent)
    page = phone.page
  })

  afterAll(async () => {
    await phone?.close()
    await testApp?.close()
  })

  async function shot(state: string) {
    await page.screenshot({ path: join(shots, `${ua}-${state}.png`), fullPage: true })
  }

  /** What a thumb needs: nothing wider than the phone, and a tall enough target. */
  async function expectFitsPhone() {
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    expect(width).toBeLessThanOrEqual(viewport.width)
  }

  async function expectTappable(button: Locator) {
    const box = await button.boundingBox()
    expect(box?.height).toBeGreaterThanOrEqual(44)
  }

  function expectNoHydrationMismatch() {
    expect(phone.messages().filter(m => /hydrat/i.test(m))).toEqual([])
  }

  it('renders a shared offer on the server and claims it through the silent login with one tap', async () => {
    const landing = `${testApp.url}/o/${demo.offers.cash}?ch=share&ref=sharer1`
    const res = await page.goto(landing)
    expect(res?.status()).toBe(200)
    const html = await res!.text()
    for (const text of ['拿铁满50减10', '¥10', '满50可用']) expect(html).toContain(text)
    await appMounted(page)
    for (const text of ['拿铁满50减10', '¥10', '满50可用'])
      await page.getByText(text, { exact: true }).first().waitFor()
    const claim = page.getByTestId('claim')
    await expectTappable(claim)
    await expectFitsPhone()
    await shot('offer')
    expectNoHydrationMismatch()

    const hops: string[] = []
    const onRequest = (r: Request) => {
      if (r.isNavigationRequest()) hops.push(r.url())
    }
    page.on('request', onRequest)
    await claim.click()
    await page.waitForURL(/\/me\/coupons\/[A-Za-z0-9_-]+/)
    page.off('request', onRequest)
    // One tap: the sandbox's WeChat authorized silently and the page came back to finish the claim.
    expect(hops.some(u => u.includes('/__wx/connect/oauth2/authorize') && u.includes('scope=snsapi_base'))).toBe(true)
    expect(
      hops.some(u => new URL(u).pathname === `/o/${demo.offers.cash}` && new URL(u).searchParams.get('claim') === '1'),
    ).toBe(true)
    couponId = new URL(page.url()).pathname.split('/').pop()!
    const coupon = page.getByTestId('coupon')
    await expect(coupon.getAttribute('data-status')).resolves.toBe('available')
    await page.locator('[data-testid=qr] svg').waitFor()
    await page.getByTestId('barcode').waitFor()
    await expect(page.getByTestId('code').textContent()).resolves.toMatch(/^\d{4} \d{4} \d{4} \d{4}$/)
    // The clerk scans without the person scrolling: all three fit the first screen.
    for (const part of ['[data-testid=qr]', '[data-testid=barcode]', '[data-testid=code]']) {
      const box = await page.locator(part).boundingBox()
      expect(box!.y + box!.height, part).toBeLessThanOrEqual(viewport.height)
    }
    await expectFitsPhone()
    await shot('counter')

    const db = testApp.database.db
    const row = await db.selectFrom('coupons').selectAll().where('id', '=', couponId).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ offer_id: demo.offers.cash, channel: 'share', ref: 'sharer1' })
    const views = await db
      .selectFrom('events')
      .select(['channel', 'ref'])
      .where('type', '=', 'view')
      .where('offer_id', '=', demo.offers.cash)
      .execute()
    expect(views).toContainEqual({ channel: 'share', ref: 'sharer1' })
    expect(await db.selectFrom('coupons').select('id').execute()).toHaveLength(1)
    expect(phone.problems()).toEqual([])
  })

  it('lists the coupon under 可使用 and shows the empty state under 已使用', async () => {
    await page.goto(`${testApp.url}/me/coupons`)
    await expect(page.getByRole('tab', { selected: true }).textContent()).resolves.toContain('可使用')
    const link = page.locator(`a[href="/me/coupons/${couponId}"]`)
    await link.waitFor()
    await expect(link.textContent()).resolves.toContain('拿铁满50减10')
    await expectFitsPhone()
    await shot('my-coupons')

    await page.getByRole('tab', { name: /已使用/ }).click()
    await page.waitForURL(/tab=redeemed/)
    await expect(page.getByTestId('empty').textContent()).resolves.toContain('没有已使用的券')
    await shot('my-coupons-redeemed-empty')
    expect(phone.problems()).toEqual([])
  })

  it('offers no second claim of an offer limited to one per person', async () => {
    await page.goto(`${testApp.url}/o/${demo.offers.discount}`)
    await page.getByTestId('claim').click()
    await page.waitForURL(/\/me\/coupons\/[A-Za-z0-9_-]+/)
    await page.locator('[data-testid=qr] svg').waitFor()

    await page.goto(`${testApp.url}/o/${demo.offers.discount}`)
    await appMounted(page)
    const button = page.getByTestId('claim')
    await expect(button.textContent()).resolves.toContain('已领取')
    await expect(button.textContent()).resolves.not.toContain('立即领取')
    await shot('offer-claimed')
    expectNoHydrationMismatch()
    const mine = await testApp.database.db
      .selectFrom('coupons')
      .select('id')
      .where('offer_id', '=', demo.offers.discount)
      .execute()
    expect(mine).toHaveLength(1)
    expect(phone.problems()).toEqual([])
  })

  it("lists a store poster's offers and opens one with the poster's attribution", async () => {
    await page.goto(`${testApp.url}/s/${demo.stores.nanjing}?ch=qr`)
    await appMounted(page)
    const gift = page.locator(`a[href^="/o/${demo.offers.gift}"]`)
    await expect(gift.textContent()).resolves.toContain('满30赠手工曲奇')
    // A long title stays within two lines of its ticket.
    const title = page.locator('a[href^="/o/long-title"] .title')
    const { clientHeight, scrollHeight } = await title.evaluate(el => ({
      clientHeight: el.clientHeight,
      scrollHeight: el.scrollHeight,
    }))
    expect(scrollHeight).toBeGreaterThan(clientHeight)
    await expect(page.locator(`a[href^="/o/${demo.offers.scarce}"] .tag`).textContent()).resolves.toBe('仅剩 3 张')
    await expectFitsPhone()
    await shot('store')
    expectNoHydrationMismatch()

    await gift.click()
    await page.waitForURL(new RegExp(`/o/${demo.offers.gift}\\?`))
    const url = new URL(page.url())
    expect(url.searchParams.get('ch')).toBe('qr')
    expect(url.searchParams.get('store')).toBe(demo.stores.nanjing)
    await page.getByText('满30赠手工曲奇', { exact: true }).first().waitFor()
    await shot('store-offer')
    expect(phone.problems()).toEqual([])
  })

  it.each([
    { state: 'upcoming', offer: demo.offers.upcoming, label: '开抢' },
    { state: 'ended', offer: demo.offers.ended, label: '活动已结束' },
    { state: 'sold-out', offer: demo.offers.scarce, label: '已抢光' },
  ])('shows a disabled button for an offer that is $state', async ({ state, offer, label }) => {
    if (state === 'sold-out') {
      await testApp.database.db.updateTable('offers').set({ stock_left: 0 }).where('id', '=', offer).execute()
      await touchCatalog(testApp)
    }
    await page.goto(`${testApp.url}/o/${offer}`)
    await appMounted(page)
    const button = page.getByTestId('claim')
    await expect(button.isDisabled()).resolves.toBe(true)
    await expect(button.textContent()).resolves.toContain(label)
    await expectTappable(button)
    await expectFitsPhone()
    await shot(`offer-${state}`)
    expectNoHydrationMismatch()
    expect(phone.problems()).toEqual([])
  })

  it('greys out a sold-out offer in the store list', async () => {
    await page.goto(`${testApp.url}/s/${demo.stores.nanjing}?ch=qr`)
    await appMounted(page)
    const ticket = page.locator(`a[href^="/o/${demo.offers.scarce}"]`)
    await expect(ticket.locator('.tag').textContent()).resolves.toBe('已抢光')
    await expect(ticket.locator('.ticket').getAttribute('class')).resolves.toContain('muted')
    await shot('store-sold-out')
    expectNoHydrationMismatch()
    expect(phone.problems()).toEqual([])
  })

  it('answers an unknown offer with 404 and 优惠不存在', async () => {
    const before = phone.problems().length
    const res = await page.goto(`${testApp.url}/o/nope`)
    expect(res?.status()).toBe(404)
    await appMounted(page)
    await page.getByText('优惠不存在', { exact: false }).first().waitFor()
    await shot('offer-not-found')
    expectNoHydrationMismatch()
    // Chromium reports the page's own 404 status on the console; that is the answer we asked for.
    const problems = phone
      .problems()
      .slice(before)
      .filter(p => !/status of 404/.test(p))
    expect(problems).toEqual([])
  })
})
