/**
 * 商家券 in headless Chromium with the real weixin-js-sdk against the sandbox's WeChat and WeChat Pay:
 * claim, 添加 in WeChat's sheet, 已在卡包, the coupon in 我的卡包, redeemed at the counter, used in the
 * wallet; and a cancelled add that leaves the H5 coupon, then a retry. iPhone and Android.
 */
import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { inviteUrl } from '../helpers/clerk.ts'
import { eventually } from '../helpers/wallet.ts'
import { pointCallbacksAt } from '../helpers/wxpay.ts'
import { type Phone, userAgents, withPhone } from './browser.ts'

const android =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP1A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.47.2560(0x28002f37) NetType/WIFI Language/zh_CN'
const shots = 'test-output/screenshots'

let t: TestApp
beforeAll(async () => {
  mkdirSync(shots, { recursive: true })
  // The outbox runs as in production, so the counter's redemption reaches WeChat Pay by itself.
  t = await startTestApp({ outboxIntervalMs: 200 })
  await pointCallbacksAt(t)
})
afterAll(async () => {
  await t.close()
})

async function claimAmericano(phone: Phone): Promise<{ id: string; code: string }> {
  const { page } = phone
  await page.goto(`${t.url}/o/americano-5off?ch=share&ref=e2e`)
  await page.click('[data-testid=claim]')
  await page.waitForURL(/\/me\/coupons\/[A-Za-z0-9]+/, { timeout: 15_000 })
  await page.waitForSelector('[data-testid=coupon][data-status=available]')
  const code = (await page.textContent('[data-testid=code]'))!.replace(/\s/g, '')
  return { id: page.url().split('/').pop()!.split('?')[0]!, code }
}

/** WeChat's ··· menu → 我的卡包: the rows the sandbox wallet shows. */
async function walletRows(page: Page): Promise<string[]> {
  await page.click('[data-wx-sandbox=menu]')
  await page.getByRole('button', { name: '我的卡包' }).click()
  await page.waitForSelector('.wxsb-list', { state: 'attached' })
  return page.$$eval('.wxsb-list .wxsb-row', rows => rows.map(r => r.textContent ?? ''))
}
const closeSheet = (page: Page) => page.getByRole('button', { name: '关闭' }).click()

const walletAdds = (couponId: string) =>
  t.database.db
    .selectFrom('events')
    .selectAll()
    .where('coupon_id', '=', couponId)
    .where('type', '=', 'wallet_add')
    .execute()

describe.each([
  ['iPhone', userAgents.wechat, 'ios'],
  ['Android', android, 'android'],
])('a 商家券 on %s WeChat', (_name, ua, os) => {
  it('goes to the wallet through WeChat’s sheet, shows 已在卡包, is redeemed at the counter and shows used in the wallet', async () => {
    await withPhone(ua, async consumer => {
      const { page } = consumer
      const coupon = await claimAmericano(consumer)
      await page.click('[data-testid=add-to-wallet]')
      await page.waitForSelector('[data-wx-sandbox=add-card-confirm]')
      expect(await page.textContent('.wxsb-sheet')).toContain('美式咖啡满30减5')
      await page.screenshot({ path: `${shots}/busifavor-${os}-add-sheet.png` })
      await page.click('[data-wx-sandbox=add-card-confirm]')
      await page.waitForSelector('[data-testid=in-wallet]', { timeout: 15_000 })
      expect(await page.textContent('[data-testid=in-wallet]')).toBe('已在卡包')
      expect(await page.textContent('[data-testid=wallet-note]')).toContain('我-卡包-券')
      expect(await page.$('[data-testid=add-to-wallet]')).toBeNull()
      await page.screenshot({ path: `${shots}/busifavor-${os}-in-wallet.png` })
      // The page's report and WeChat Pay's COUPON.SEND both arrive; one wallet add.
      await eventually(
        async () =>
          (
            await t.database.db
              .selectFrom('wxpay_notifications')
              .selectAll()
              .where('resource', 'like', `%${coupon.code}%`)
              .execute()
          ).length === 1,
      )
      expect(await walletAdds(coupon.id)).toHaveLength(1)

      const rows = await walletRows(page)
      expect(rows.find(r => r.includes(coupon.code))).toContain('美式咖啡满30减5')
      await page.screenshot({ path: `${shots}/busifavor-${os}-wallet-sheet.png` })
      await closeSheet(page)

      await withPhone(userAgents.wechat, async clerk => {
        await clerk.page.goto(await inviteUrl(t, 'nanjingxilu'))
        await clerk.page.waitForURL(/\/clerk\?store=nanjingxilu/, { timeout: 15_000 })
        await clerk.page.click('[data-testid=scan]')
        // The code the camera sees: the consumer's wallet copy is among the scannable ones.
        await clerk.page.getByText(coupon.code, { exact: true }).click()
        await clerk.page.waitForSelector('[data-testid=result]')
        expect(await clerk.page.getAttribute('[data-testid=result]', 'data-ok')).toBe('true')
        expect(await clerk.page.textContent('[data-testid=result-detail]')).toContain('美式咖啡满30减5')
        await clerk.page.screenshot({ path: `${shots}/busifavor-${os}-clerk-ok.png` })
        expect(clerk.problems()).toEqual([])
      })

      await page.waitForSelector('[data-testid=coupon][data-status=redeemed]', { timeout: 15_000 })
      await eventually(
        async () =>
          (await walletRows(page).finally(() => closeSheet(page))).some(
            r => r.includes(coupon.code) && r.includes('已核销'),
          ),
        10_000,
      )
      const used = await walletRows(page)
      expect(used.find(r => r.includes(coupon.code))).toContain('（已核销）')
      await page.screenshot({ path: `${shots}/busifavor-${os}-wallet-used.png` })
      await closeSheet(page)
      await page.screenshot({ path: `${shots}/busifavor-${os}-coupon-redeemed.png` })
      expect(consumer.problems()).toEqual([])
    })
  })

  it('keeps the H5 coupon when 取消 is tapped, and a retry adds it', async () => {
    await withPhone(ua, async consumer => {
      const { page } = consumer
      const coupon = await claimAmericano(consumer)
      await page.click('[data-testid=add-to-wallet]')
      await page.click('[data-wx-sandbox=add-card-cancel]')
      await page.waitForSelector('[data-testid=wallet-note]')
      expect(await page.textContent('[data-testid=wallet-note]')).toContain('已取消')
      expect(await page.textContent('[data-testid=code]')).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/)
      await page.screenshot({ path: `${shots}/busifavor-${os}-cancelled.png` })
      const row = await t.database.db
        .selectFrom('coupons')
        .selectAll()
        .where('id', '=', coupon.id)
        .executeTakeFirstOrThrow()
      expect(row.in_wallet).toBe(0)
      expect(await walletRows(page)).toEqual([])
      await closeSheet(page)

      await page.click('[data-testid=add-to-wallet]')
      await page.click('[data-wx-sandbox=add-card-confirm]')
      await page.waitForSelector('[data-testid=in-wallet]', { timeout: 15_000 })
      expect(await walletAdds(coupon.id)).toHaveLength(1)
      expect(consumer.problems()).toEqual([])
    })
  })
})
