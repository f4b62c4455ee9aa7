/** The O2O loop in two browsers: a consumer shows a coupon, a clerk scans it in WeChat, the coupon turns 已使用. */
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { inviteUrl } from '../helpers/clerk.ts'
import { openPhone, type Phone, userAgents } from './browser.ts'

const shots = 'test-output/screenshots'
let t: TestApp
let consumer: Phone
let clerk: Phone
beforeAll(async () => {
  mkdirSync(shots, { recursive: true })
  t = await startTestApp()
  consumer = await openPhone(userAgents.wechat)
  clerk = await openPhone(userAgents.wechat)
})
afterAll(async () => {
  await consumer.close()
  await clerk.close()
  await t.close()
})

async function scanIn(code: string) {
  const { page } = clerk
  await page.click('[data-testid=scan]')
  await page.fill('[data-wx-sandbox=scan-input]', code)
  await page.click('[data-wx-sandbox=scan-confirm]')
  await page.waitForSelector('[data-testid=result]')
}

describe('redeeming at the counter', () => {
  it('scans the consumer’s code once, refuses it the second time, and the consumer sees 已使用', async () => {
    await consumer.page.goto(`${t.url}/o/all-88?ch=qr&store=nanjingxilu`)
    await consumer.page.click('[data-testid=claim]')
    await consumer.page.waitForURL(/\/me\/coupons\/[A-Za-z0-9]+/, { timeout: 15_000 })
    await consumer.page.waitForSelector('[data-testid=coupon][data-status=available]')
    const code = (await consumer.page.textContent('[data-testid=code]'))!.replace(/\s/g, '')

    await clerk.page.goto(await inviteUrl(t, 'nanjingxilu'))
    await clerk.page.waitForURL(/\/clerk\?store=nanjingxilu/, { timeout: 15_000 })
    await clerk.page.waitForSelector('[data-testid=scan]')
    await clerk.page.screenshot({ path: `${shots}/clerk-counter.png` })

    await scanIn(code)
    expect(await clerk.page.getAttribute('[data-testid=result]', 'data-ok')).toBe('true')
    expect(await clerk.page.textContent('[data-testid=result-headline]')).toBe('核销成功')
    expect(await clerk.page.textContent('[data-testid=result-detail]')).toContain('全场饮品8.8折')
    await clerk.page.screenshot({ path: `${shots}/clerk-result-ok.png` })
    await clerk.page.click('[data-testid=result-close]')
    await clerk.page.waitForSelector('.today li')

    await scanIn(code)
    expect(await clerk.page.getAttribute('[data-testid=result]', 'data-ok')).toBe('false')
    expect(await clerk.page.textContent('[data-testid=result-headline]')).toBe('已核销')
    expect(await clerk.page.textContent('[data-testid=result-detail]')).toMatch(/\d\d:\d\d 南京西路店/)
    await clerk.page.screenshot({ path: `${shots}/clerk-result-already.png` })
    await clerk.page.click('[data-testid=result-close]')

    await consumer.page.waitForSelector('[data-testid=coupon][data-status=redeemed]', { timeout: 15_000 })
    expect(await consumer.page.textContent('[data-testid=coupon]')).toContain('南京西路店')
    await consumer.page.screenshot({ path: `${shots}/consumer-coupon-redeemed.png` })
    expect(consumer.problems()).toEqual([])
    expect(clerk.problems().filter(p => !p.includes('409'))).toEqual([])
  })

  it('checks the check digit on the keypad before asking the server', async () => {
    const { page } = clerk
    for (const d of '1234567890123456') await page.click(`[data-key="${d}"]`)
    await page.click('[data-testid=redeem-typed]')
    expect(await page.textContent('[role=alert]')).toContain('券码有误')
    expect(await page.$('[data-testid=result]')).toBeNull()
    await page.screenshot({ path: `${shots}/clerk-keypad-error.png` })
  })
})
