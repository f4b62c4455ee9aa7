/**
 * The real weixin-js-sdk against the sandbox's WeixinJSBridge, in headless Chromium:
 * config on iOS and Android, a wrongly signed URL, share data, and the card wallet.
 */
import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { openPhone, type Phone, userAgents, withPhone } from './browser.ts'

const android =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP1A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.47.2560(0x28002f37) NetType/WIFI Language/zh_CN'
const shots = 'test-output/screenshots'

let t: TestApp
beforeAll(async () => {
  mkdirSync(shots, { recursive: true })
  t = await startTestApp()
})
afterAll(async () => {
  await t.close()
})

const wxState = (page: Page) =>
  page.evaluate(
    () =>
      (window as any).__wxSandbox as {
        verified: boolean
        verifyUrl: string
        landingUrl: string
        shares: Record<string, any>
      },
  )
const configured = (page: Page) =>
  page.waitForFunction(() => document.documentElement.dataset.wx === 'ready', null, { timeout: 15_000 })

async function claimLatte(phone: Phone) {
  await phone.page.goto(`${t.url}/o/latte-10off?ch=share&ref=e2e`)
  await phone.page.click('[data-testid=claim]')
  await phone.page.waitForURL(/\/me\/coupons\/[A-Za-z0-9]+/, { timeout: 15_000 })
  await phone.page.waitForSelector('[data-testid=coupon][data-status=available]')
}

describe.each([
  ['iPhone', userAgents.wechat, 'landing'],
  ['Android', android, 'current'],
])('wx.config on %s WeChat', (_name, ua, rule) => {
  let phone: Phone
  beforeAll(async () => {
    phone = await openPhone(ua)
  })
  afterAll(async () => {
    await phone.close()
  })

  it('succeeds on the landing page and again after navigating to another route', async () => {
    const { page } = phone
    await page.goto(`${t.url}/s/nanjingxilu?ch=qr`)
    await configured(page)
    const first = await wxState(page)
    expect(first.verified).toBe(true)
    expect(first.verifyUrl).toBe(`${t.url}/s/nanjingxilu?ch=qr`)

    await page.evaluate(() => {
      document.documentElement.dataset.wx = ''
    })
    await page.click('a[href^="/o/cookie-gift"]')
    await page.waitForURL(/\/o\/cookie-gift/)
    if (rule === 'current') await configured(page)
    // A share set after the navigation proves JS-SDK calls still work on the new route.
    await page.waitForFunction(
      () => (window as any).__wxSandbox.shares.appMessage?.link?.includes('/o/cookie-gift'),
      null,
      { timeout: 15_000 },
    )
    const after = await wxState(page)
    expect(after.verified).toBe(true)
    // iOS keeps verifying against the landing URL; Android verifies the URL it is on now.
    expect(after.verifyUrl).toBe(rule === 'landing' ? `${t.url}/s/nanjingxilu?ch=qr` : page.url())
    expect(phone.problems()).toEqual([])
  })
})

describe('a wrongly signed URL', () => {
  it('fails with config:invalid signature, as WeChat fails it', async () => {
    await withPhone(userAgents.wechat, async phone => {
      await phone.page.route('**/api/jssdk/config', async route => {
        const body = JSON.parse(route.request().postData() ?? '{}')
        await route.continue({ postData: JSON.stringify({ url: `${body.url}&wrong=1` }) })
      })
      await phone.page.goto(`${t.url}/o/all-88?ch=share`)
      await phone.page.waitForFunction(() => (document.documentElement.dataset.wx ?? '').startsWith('config:'), null, {
        timeout: 15_000,
      })
      expect(await phone.page.evaluate(() => document.documentElement.dataset.wx)).toBe('config:invalid signature')
      expect((await wxState(phone.page)).verified).toBe(false)
    })
  })
})

describe('the card wallet on iPhone WeChat', () => {
  it('adds a claimed coupon to the wallet after 添加 in WeChat’s sheet', async () => {
    await withPhone(userAgents.wechat, async phone => {
      await claimLatte(phone)
      const { page } = phone
      await page.click('[data-testid=add-to-wallet]')
      await page.waitForSelector('[data-wx-sandbox=add-card-confirm]')
      await page.screenshot({ path: `${shots}/wechat-add-card-sheet.png` })
      await page.click('[data-wx-sandbox=add-card-confirm]')
      await page.waitForSelector('[data-testid=in-wallet]', { timeout: 15_000 })
      await page.waitForSelector('[data-testid=open-wallet]')
      await page.screenshot({ path: `${shots}/wechat-in-wallet.png` })
      const id = page.url().split('/').pop()!.split('?')[0]!
      const row = await t.database.db.selectFrom('coupons').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
      expect(row.in_wallet).toBe(1)
      const adds = await t.database.db
        .selectFrom('events')
        .selectAll()
        .where('coupon_id', '=', id)
        .where('type', '=', 'wallet_add')
        .execute()
      expect(adds).toHaveLength(1)
      expect(phone.problems()).toEqual([])
    })
  })

  it('keeps the H5 coupon when 取消 is tapped, and a later retry succeeds', async () => {
    await withPhone(userAgents.wechat, async phone => {
      await claimLatte(phone)
      const { page } = phone
      await page.click('[data-testid=add-to-wallet]')
      await page.click('[data-wx-sandbox=add-card-cancel]')
      await page.waitForSelector('[data-testid=wallet-note]')
      expect(await page.textContent('[data-testid=wallet-note]')).toContain('已取消')
      expect(await page.textContent('[data-testid=code]')).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/)
      await page.screenshot({ path: `${shots}/wechat-add-card-cancelled.png` })
      await page.click('[data-testid=add-to-wallet]')
      await page.click('[data-wx-sandbox=add-card-confirm]')
      await page.waitForSelector('[data-testid=in-wallet]', { timeout: 15_000 })
    })
  })

  it.each([
    ['fail', '添加失败'],
    ['cancel', '已取消'],
  ])('says what happened when WeChat answers %s, and keeps the code on screen', async (mode, note) => {
    await withPhone(userAgents.wechat, async phone => {
      await claimLatte(phone)
      await fetch(`${t.url}/__wx/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ target: 'bridge:addCard', mode, count: 1 }),
      })
      await phone.page.click('[data-testid=add-to-wallet]')
      await phone.page.waitForSelector('[data-testid=wallet-note]')
      expect(await phone.page.textContent('[data-testid=wallet-note]')).toContain(note)
      expect(await phone.page.$('[data-wx-sandbox=add-card-confirm]')).toBeNull()
      expect(await phone.page.textContent('[data-testid=code]')).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/)
      expect(await phone.page.$('[data-testid=add-to-wallet]')).not.toBeNull()
    })
  })

  it('shares the offer with ch=share and the sharer’s ref, and a friend’s claim through it is attributed', async () => {
    await withPhone(userAgents.wechat, async phone => {
      await claimLatte(phone)
      const { page } = phone
      const me = await (await page.request.get(`${t.url}/api/me`)).json()
      await page.goto(`${t.url}/o/all-88`)
      await page.waitForFunction(() => !!(window as any).__wxSandbox.shares.appMessage, null, { timeout: 15_000 })
      const share = (await wxState(page)).shares.appMessage
      expect(share.title).toContain('全场饮品8.8折')
      const link = new URL(share.link)
      expect(link.searchParams.get('ch')).toBe('share')
      expect(link.searchParams.get('ref')).toBe(me.user.id)
      expect((await wxState(page)).shares.timeline.link).toBe(share.link)

      // WeChat's menu → 发送给朋友: the link opens as another sandbox user.
      await page.click('[data-wx-sandbox=menu]')
      await page.click('[data-wx-sandbox=share-to-friend]')
      await page.waitForURL(/\/o\/all-88\?ch=share&ref=/)
      await page.click('[data-testid=claim]')
      await page.waitForURL(/\/me\/coupons\/[A-Za-z0-9]+/, { timeout: 15_000 })
      const friend = await (await page.request.get(`${t.url}/api/me`)).json()
      expect(friend.user.id).not.toBe(me.user.id)
      const coupon = await t.database.db
        .selectFrom('coupons')
        .selectAll()
        .where('user_id', '=', friend.user.id)
        .executeTakeFirstOrThrow()
      expect(coupon).toMatchObject({ offer_id: 'all-88', channel: 'share', ref: me.user.id })
    })
  })
})

describe('a plain mobile browser', () => {
  it('shows the H5 coupon only, with no wallet button', async () => {
    await withPhone(userAgents.safari, async phone => {
      await claimLatte(phone)
      expect(await phone.page.$('[data-testid=add-to-wallet]')).toBeNull()
      expect(await phone.page.textContent('[data-testid=wallet-note]')).toContain('在微信中打开')
      expect(await phone.page.evaluate(() => typeof (window as any).WeixinJSBridge)).toBe('undefined')
      await phone.page.screenshot({ path: `${shots}/safari-coupon-h5-only.png` })
    })
  })
})
