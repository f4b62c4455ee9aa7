/**
 * The merchant console in real browsers, end to end: a desktop logs in by scanning with the
 * sandbox's WeChat, creates an offer beside its live preview and puts it live; a consumer claims it
 * in WeChat; the console invites a clerk, who redeems the code at the counter; the offer list and
 * the audit log show it. Then a manager's menu, two tabs saving the same offer, and a paused offer.
 * Every console page is saved at 1280 × 800 and 375 × 740 under test-output/console/ to look at.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demo } from '../../src/server/db/seed.ts'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { pointCallbacksAt } from '../helpers/wxpay.ts'
import { appMounted, desktopViewport, openDesktop, openPhone, type Phone, userAgents, viewport } from './browser.ts'

const shots = join(process.cwd(), 'test-output', 'console')
mkdirSync(shots, { recursive: true })

let t: TestApp
let desktop: Phone
let page: Page
let consumer: Phone
let clerk: Phone
let offerId = ''
let code = ''
const phones: Phone[] = []
const title = '周末拿铁立减8元'

beforeAll(async () => {
  t = await startTestApp()
  desktop = await openDesktop()
  page = desktop.page
})
afterAll(async () => {
  for (const p of phones) await p.close()
  await desktop?.close()
  await t?.close()
})

async function phone(): Promise<Phone> {
  const p = await openPhone(userAgents.wechat)
  phones.push(p)
  return p
}

/** Lets a resize reach Vue (the narrow layout follows a media query) and the page settle: its transitions ended. */
async function settle(p: Page) {
  await p.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))
  // Only those that end: a spinner's loop never does.
  await p.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter(a => Number.isFinite(Number(a.effect?.getComputedTiming().endTime)))
        .map(a => a.finished.catch(() => {})),
    ),
  )
}

/** The page as it is now, at the desktop's size and at a phone's. */
async function shoot(p: Page, name: string) {
  await p.evaluate(() => window.scrollTo(0, 0))
  await settle(p)
  // Toasts of earlier steps (已保存 …) fade by themselves; the pages are what is looked at here.
  const style = '.t-message__list { display: none !important; }'
  await p.screenshot({ path: join(shots, `${name}-1280.png`), fullPage: true, style })
  await p.setViewportSize(viewport)
  await settle(p)
  await p.screenshot({ path: join(shots, `${name}-375.png`), fullPage: true, style })
  await p.setViewportSize(desktopViewport)
  await settle(p)
}

/** The console table's cell of one row and column (on a desktop). */
const cell = (row: string, col: string) => page.locator(`[data-row="${row}"][data-col="${col}"]`)

/** Failed requests the browser logs that these steps cause on purpose (and the page handles). */
const expected = [
  // The phone's first scan, before its silent WeChat login.
  /401 .*\/api\/console\/login-tickets\/scan/,
  // The second tab's stale save.
  /412 .*\/api\/console\/merchants\/[^/]+\/offers\//,
]
const unexpected = (b: Phone) => b.problems().filter(p => !expected.some(e => e.test(p)))

function menu(p: Page, key: string) {
  return p.locator(`[data-menu=${key}]`)
}

describe('the merchant console', () => {
  it('logs a desktop in by scanning with the sandbox WeChat, and lands on the demo café’s offers', async () => {
    await page.goto(`${t.url}/console/login`)
    await page.locator('.qr-box svg').waitFor()
    await expect(page.getByTestId('countdown').textContent()).resolves.toMatch(/^1[01]\d 秒后二维码失效$/)
    await shoot(page, 'login')

    const [scanner] = await Promise.all([
      desktop.context.waitForEvent('page'),
      page.getByTestId('sandbox-scan').click(),
    ])
    await scanner.waitForLoadState()
    // The sandbox's scanner lists its personas, the demo café's owner first.
    const first = scanner.locator('.cell').first()
    await expect(first.textContent()).resolves.toContain('老王（店长）')
    await first.getByRole('button', { name: '用TA扫码' }).click()
    await scanner.getByTestId('scan-ask').waitFor()
    await expect(scanner.getByTestId('scan-ask').textContent()).resolves.toBe('在电脑上登录「山川咖啡」管理后台？')
    await expect(scanner.getByTestId('scan-browser').textContent()).resolves.toContain('电脑浏览器')
    await shoot(scanner, 'scan-confirm')
    await expect(page.getByTestId('login-status').textContent()).resolves.toContain('已扫码')

    await scanner.getByTestId('scan-confirm').click()
    await scanner.getByText('已确认登录').waitFor()
    await scanner.close()
    // The desktop page moves on by itself.
    await page.waitForURL(`${t.url}/console/m/${demo.merchantId}/offers`)
    await cell(demo.offers.cash, 'title').waitFor()
    await expect(cell(demo.offers.cash, 'title').textContent()).resolves.toBe('拿铁满50减10')
    await expect(menu(page, 'menuMembers').count()).resolves.toBe(1)
    await shoot(page, 'offers')
  })

  it('creates an offer beside its live preview, with field errors in Chinese, and puts it live', async () => {
    await page.getByTestId('new-offer').click()
    await page.waitForURL(/\/offers\/new$/)
    await page.getByTestId('f-title').locator('input').waitFor()

    // Saved empty: the shared schema names each field to fix, next to it.
    await page.getByTestId('save').click()
    await expect(page.locator('[data-error=title]').textContent()).resolves.toBe('请填写优惠券名称')
    await expect(page.locator('[data-error=valueFen]').textContent()).resolves.toBe('请填写减免金额')
    await shoot(page, 'offer-editor-errors')

    await page.getByTestId('f-title').locator('input').fill(title)
    await page.getByTestId('f-value').locator('input').fill('8')
    await page.getByTestId('f-threshold').locator('input').fill('40')
    await page.getByTestId('f-description').locator('textarea').fill('周末到店点拿铁，满40元立减8元')
    await page.getByTestId('f-rules').locator('textarea').fill('每人限领1张\n不与其他优惠同享')
    const preview = page.getByTestId('preview')
    await preview.getByText(title).waitFor()
    await expect(preview.locator('.stub .main').textContent()).resolves.toBe('¥8')
    await expect(preview.locator('.stub .cond').textContent()).resolves.toBe('满40可用')
    await expect(preview.textContent()).resolves.toContain('领取后30天内有效')
    await expect(page.locator('[data-error]').count()).resolves.toBe(0)
    await shoot(page, 'offer-editor')

    // Picking 商家券 shows how WeChat Pay is set up, beside the field.
    await page.getByTestId('f-wallet').getByText('微信支付商家券').click()
    const pay = page.getByTestId('wechat-pay')
    await pay.getByTestId('wechat-pay-notify-url').waitFor()
    await expect(pay.getByTestId('wechat-pay-notify-url').textContent()).resolves.toBe(`${t.url}/wechatpay/notify`)
    await shoot(page, 'offer-editor-busifavor')
    await page.getByTestId('f-wallet').getByText('不放入卡包').click()
    await expect(pay.count()).resolves.toBe(0)

    await page.getByTestId('save').click()
    await page.waitForURL(/\/offers\/(?!new)[A-Za-z0-9_-]+$/)
    offerId = new URL(page.url()).pathname.split('/').pop()!
    await page.getByRole('link', { name: '返回列表' }).click()
    await cell(offerId, 'status').waitFor()
    await expect(cell(offerId, 'status').textContent()).resolves.toBe('草稿')
    await cell(offerId, 'actions').locator('[data-move=live]').click()
    await cell(offerId, 'status').getByText('进行中').waitFor()

    const row = await t.database.db.selectFrom('offers').selectAll().where('id', '=', offerId).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ title, kind: 'cash', value_fen: 800, threshold_fen: 4000, status: 'live' })
  })

  it('shows where to set WeChat Pay’s notify URL, and whether WeChat Pay has it', async () => {
    await page.getByRole('link', { name: '优惠券' }).first().click()
    await page.getByTestId('open-wechat-pay').click()
    const drawer = page.locator('.t-drawer').filter({ has: page.getByTestId('wechat-pay') })
    const pay = drawer.getByTestId('wechat-pay')
    await pay.getByTestId('wechat-pay-registered').waitFor()
    await expect(pay.getByTestId('wechat-pay-notify-url').textContent()).resolves.toBe(`${t.url}/wechatpay/notify`)
    await expect(pay.getByTestId('wechat-pay-configured').textContent()).resolves.toContain(t.config.wxpay!.mchid)
    // This app was started without npm start's registration: WeChat Pay doesn't send events here yet.
    await expect(pay.getByTestId('wechat-pay-registered').getAttribute('data-registered')).resolves.toBe('no')
    await expect(pay.locator('[data-check=notify]').getAttribute('data-state')).resolves.toBe('todo')
    await expect(pay.locator('[data-check=notify]').textContent()).resolves.toContain(
      '营销中心 → 商家券 → 营销事件推送',
    )
    await shoot(page, 'wechat-pay')

    await pointCallbacksAt(t)
    await pay.getByTestId('wechat-pay-recheck').click()
    await pay.locator('[data-registered=yes]').waitFor()
    await expect(pay.locator('[data-check=notify]').getAttribute('data-state')).resolves.toBe('done')
    await drawer.locator('.t-drawer__close-btn').click()
    await pay.waitFor({ state: 'hidden' })
  })

  it('shows the new offer to a consumer in WeChat, who claims it', async () => {
    // The app's clock stands still unless moved: bring it to the minute the editor opened the claim window in.
    t.clock.set(Math.floor(Date.now() / 1000))
    consumer = await phone()
    await consumer.page.goto(`${t.url}/o/${offerId}?ch=share`)
    await appMounted(consumer.page)
    await consumer.page.getByText(title).first().waitFor()
    await consumer.page.getByTestId('claim').click()
    await consumer.page.waitForURL(/\/me\/coupons\/[A-Za-z0-9_-]+/, { timeout: 15_000 })
    await consumer.page.waitForSelector('[data-testid=coupon][data-status=available]')
    code = (await consumer.page.textContent('[data-testid=code]'))!.replace(/\s/g, '')
    expect(code).toMatch(/^\d{16}$/)
    expect(consumer.problems()).toEqual([])
  })

  it('invites a clerk from the console, who redeems the code on the counter’s keypad', async () => {
    await menu(page, 'menuClerks').click()
    await page.getByTestId('clerk-store').waitFor()
    await page.getByTestId('clerk-store').selectOption(demo.stores.nanjing)
    await page.getByTestId('invite-clerk').click()
    const link = page.getByTestId('invite-url').locator('input')
    await link.waitFor()
    const url = await link.inputValue()
    expect(url).toMatch(new RegExp(`^${t.url}/clerk/join\\?invite=`))
    await page.getByTestId('invite').locator('svg').waitFor()
    await shoot(page, 'clerks-invite')

    clerk = await phone()
    await clerk.page.goto(url)
    await clerk.page.waitForURL(new RegExp(`/clerk\\?store=${demo.stores.nanjing}`), { timeout: 15_000 })
    await clerk.page.getByTestId('scan').waitFor()
    for (const d of code) await clerk.page.click(`[data-key="${d}"]`)
    await clerk.page.getByTestId('redeem-typed').click()
    await clerk.page.getByTestId('result').waitFor()
    await expect(clerk.page.getByTestId('result').getAttribute('data-ok')).resolves.toBe('true')
    await expect(clerk.page.getByTestId('result-detail').textContent()).resolves.toContain(title)
    expect(clerk.problems()).toEqual([])

    // The clerk is on the store's list now.
    await page.reload()
    await page.getByTestId('clerk-store').selectOption(demo.stores.nanjing)
    await page.getByTestId('console-table').locator('tbody tr').first().waitFor()
    await expect(page.getByTestId('console-table').textContent()).resolves.toContain('在岗')
  })

  it('shows the redemption in the offer list and every change in the audit log', async () => {
    await menu(page, 'menuOffers').click()
    await cell(offerId, 'redemptions').waitFor()
    await expect(cell(offerId, 'redemptions').textContent()).resolves.toBe('1')
    await expect(cell(offerId, 'claims').textContent()).resolves.toBe('1')
    await expect(cell(offerId, 'stock').textContent()).resolves.toBe('99 / 100')

    // 追加库存 while the offer is live: both counts grow.
    await cell(offerId, 'actions').getByTestId('top-up').click()
    const topUp = page.locator('.t-dialog').filter({ hasText: '追加库存' })
    await topUp.getByTestId('topup-add').locator('input').fill('50')
    await topUp.getByRole('button', { name: '确定' }).click()
    await cell(offerId, 'stock').getByText('149 / 150').waitFor()

    await menu(page, 'menuAudit').click()
    const audit = page.getByTestId('audit')
    await audit.locator('li').first().waitFor()
    const heads = await audit.locator('> li .head').allTextContents()
    const said = (what: string, target: string) => heads.some(h => h.includes(what) && h.includes(target))
    expect(said('新建优惠券', title)).toBe(true)
    expect(said('修改优惠券状态', title)).toBe(true)
    expect(said('邀请店员', '南京西路店')).toBe(true)
    expect(said('追加库存', title)).toBe(true)
    await expect(audit.textContent()).resolves.toMatch(/草稿\s*→\s*进行中/)
    await shoot(page, 'audit')

    await menu(page, 'menuStores').click()
    await cell(demo.stores.nanjing, 'name').waitFor()
    await shoot(page, 'stores')
    await page.getByTestId('new-store').click()
    const dialog = page.locator('.t-dialog').filter({ hasText: '新建门店' })
    await dialog.getByTestId('store-name').locator('input').fill('徐家汇店')
    await dialog.getByRole('button', { name: '保存' }).click()
    await expect(dialog.locator('[data-error=address]').textContent()).resolves.toBe('请填写门店地址')
    await shoot(page, 'stores-dialog-errors')
    await dialog.getByTestId('store-address').locator('input').fill('上海市徐汇区漕溪北路1号')
    await dialog.getByRole('button', { name: '保存' }).click()
    await page.getByTestId('console-table').getByText('徐家汇店').waitFor()
    const made = await t.database.db.selectFrom('stores').selectAll().where('name', '=', '徐家汇店').execute()
    expect(made).toMatchObject([{ merchant_id: demo.merchantId, address: '上海市徐汇区漕溪北路1号' }])
  })

  it('lets the owner invite a manager, whose menu has no 成员', async () => {
    await menu(page, 'menuMembers').click()
    await page.getByTestId('invite-manager').click()
    const url = await page.getByTestId('invite-url').locator('input').inputValue()
    await page.getByTestId('invite').locator('svg').waitFor()
    await shoot(page, 'members-invite')

    const manager = await phone()
    await manager.page.goto(url)
    // The console's login asks WeChat for the nickname: the sandbox's consent screen.
    await manager.page.getByRole('button', { name: '允许' }).click()
    await manager.page.waitForURL(new RegExp(`/console/m/${demo.merchantId}/offers`), { timeout: 15_000 })
    await manager.page.getByTestId('console-menu').waitFor()
    await menu(manager.page, 'menuOffers').waitFor()
    await expect(menu(manager.page, 'menuMembers').count()).resolves.toBe(0)
    await manager.page.getByText(title).first().waitFor()
    await manager.page.screenshot({ path: join(shots, 'manager-phone-375.png'), fullPage: true })
    expect(manager.problems()).toEqual([])

    // The owner sees the manager join, and removes them: it counts from the manager's next request.
    await page.reload()
    const row = page.getByTestId('console-table').locator('tbody tr').filter({ hasNotText: '（我）' })
    await row.waitFor()
    await expect(row.textContent()).resolves.toContain('店长')
    await shoot(page, 'members')
    // Made an owner, the manager sees 成员 from their next page on; then back to 店长.
    const roleSaved = () => page.waitForResponse(r => r.request().method() === 'PATCH' && r.url().includes('/members/'))
    await Promise.all([roleSaved(), row.locator('select').selectOption('owner')])
    await manager.page.reload()
    await menu(manager.page, 'menuMembers').waitFor()
    await Promise.all([roleSaved(), row.locator('select').selectOption('manager')])
    await expect(row.locator('select').inputValue()).resolves.toBe('manager')
    await row.getByRole('button', { name: '移除' }).click()
    await page.locator('.t-popconfirm').getByRole('button', { name: '移除' }).click()
    await page.getByText('已移除').waitFor()
    await expect(page.getByTestId('console-table').locator('tbody tr').count()).resolves.toBe(1)
    await manager.page.reload()
    await manager.page.getByText('你不是该商户的成员').waitFor()
  })

  it('tells the second of two tabs saving the same offer that someone else changed it', async () => {
    const edit = `${t.url}/console/m/${demo.merchantId}/offers/${offerId}`
    const other = await desktop.context.newPage()
    await Promise.all([page.goto(edit), other.goto(edit)])
    for (const p of [page, other]) await p.getByTestId('f-title').locator('input').waitFor()

    await page.getByTestId('f-title').locator('input').fill('周末拿铁立减8元（A）')
    await page.getByTestId('save').click()
    await page.getByText('已保存').waitFor()
    await other.getByTestId('f-title').locator('input').fill('周末拿铁立减8元（B）')
    await other.getByTestId('save').click()
    await other.getByTestId('conflict').waitFor()
    await expect(other.getByTestId('conflict').textContent()).resolves.toContain('有人刚刚修改了这张券')
    // The merchant's typing is kept until they choose to load the other version.
    await expect(other.getByTestId('f-title').locator('input').inputValue()).resolves.toBe('周末拿铁立减8元（B）')
    await shoot(other, 'offer-editor-conflict')
    await other.getByTestId('conflict-reload').click()
    await other.getByTestId('conflict').waitFor({ state: 'detached' })
    await expect(other.getByTestId('f-title').locator('input').inputValue()).resolves.toBe('周末拿铁立减8元（A）')
    await other.close()
  })

  it('pauses the offer: consumers see 活动暂停中 and a claim is refused', async () => {
    await menu(page, 'menuOffers').click()
    await cell(offerId, 'actions').locator('[data-move=paused]').click()
    await cell(offerId, 'status').getByText('已暂停').waitFor()

    await consumer.page.goto(`${t.url}/o/${offerId}`)
    await appMounted(consumer.page)
    const claim = consumer.page.getByTestId('claim')
    await expect(claim.textContent()).resolves.toContain('活动暂停中')
    await expect(claim.isDisabled()).resolves.toBe(true)
    const refused = await consumer.page.evaluate(async id => {
      const res = await fetch(`/api/offers/${id}/claim`, {
        method: 'POST',
        headers: { 'idempotency-key': `k-${Date.now()}`, 'content-type': 'application/json' },
        body: '{}',
      })
      return { status: res.status, body: await res.json() }
    }, offerId)
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'offer_not_live' } } })
    const issued = await t.database.db.selectFrom('coupons').select('id').where('offer_id', '=', offerId).execute()
    expect(issued).toHaveLength(1)
    expect(unexpected(desktop)).toEqual([])
  })

  it('switches between two merchants of the same person, with an empty list at the new one', async () => {
    const res = await fetch(`${t.url}/api/admin/merchants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.config.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '豆子烘焙' }),
    })
    const made = (await res.json()) as { merchant: { id: string }; ownerInvite: { url: string } }
    // The signed-in owner opens the operator's invite on this computer: no second login.
    await page.goto(made.ownerInvite.url)
    await page.waitForURL(/\/console\/m\/[^/]+\/offers$/)
    const switcher = page.getByTestId('merchant-switcher')
    await switcher.waitFor()
    await switcher.selectOption(made.merchant.id)
    await page.waitForURL(`${t.url}/console/m/${made.merchant.id}/offers`)
    await expect(page.getByTestId('empty').textContent()).resolves.toContain('还没有优惠券')
    await shoot(page, 'offers-empty')
    await switcher.selectOption(demo.merchantId)
    await cell(offerId, 'title').waitFor()
  })

  it('revokes the clerk, whose counter stops at once', async () => {
    await menu(page, 'menuClerks').click()
    await page.getByTestId('clerk-store').selectOption(demo.stores.nanjing)
    const row = page.getByTestId('console-table').locator('tbody tr').first()
    await row.getByRole('button', { name: '停用' }).click()
    await page.locator('.t-popconfirm').getByRole('button', { name: '停用' }).click()
    await row.getByText('已停用').waitFor()
    const refused = await clerk.page.evaluate(async () => (await fetch('/api/clerk/me')).status)
    expect(refused).toBe(401)
    expect(unexpected(desktop)).toEqual([])
  })

  it('logs out: the console asks for a scan again', async () => {
    await page.getByTestId('logout').click()
    await page.waitForURL(`${t.url}/console/login`)
    await page.goto(`${t.url}/console/m/${demo.merchantId}/offers`)
    await page.waitForURL(/\/console\/login\?next=/)
    await page.locator('.qr-box svg').waitFor()
  })

  it('tells a consumer’s phone that scans the code that it can’t log in, and the desktop stays put', async () => {
    const href = await page.getByTestId('sandbox-scan').getAttribute('href')
    const qrUrl = new URL(href!, t.url).searchParams.get('url')!
    expect(qrUrl).toMatch(new RegExp(`^${t.url}/console/scan\\?t=`))
    // The consumer's phone: a WeChat user who works for no merchant.
    const stranger = consumer
    await stranger.page.goto(qrUrl)
    await stranger.page.getByText('你还不是任何商户的成员，不能登录管理后台').waitFor()
    await expect(stranger.page.getByTestId('scan-confirm').count()).resolves.toBe(0)
    await expect(page.getByTestId('login-status').textContent()).resolves.toContain('已扫码')
    expect(page.url()).toMatch(/\/console\/login/)
  })
})
