import { enableAutoUnmount, flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import ConsoleScanPage from '../../src/web/pages/console/ConsoleScanPage.vue'
import { type Answer, type FakeApi, fail, fakeApi, ok } from './fake-api.ts'
import { mountPage } from './mount-page.ts'

const token = 'abcdefghijklmnop1234'
const expiresAt = new Date(Date.now() + 60_000).toISOString()
const scanned = (merchants = [{ id: 'shanchuan', name: '山川咖啡' }], status = 'scanned') =>
  ok({ ticket: { id: 't1', status, expiresAt }, merchants, browser: '电脑浏览器 · Chrome · Windows' })

let api: FakeApi
enableAutoUnmount(afterEach)
beforeEach(() => {
  api = fakeApi()
})
afterEach(() => {
  expect(api.unanswered).toEqual([])
  vi.unstubAllGlobals()
})

const openScan = async (answer: Answer, path = `/console/scan?t=${token}`) => {
  api.answer('POST /api/console/login-tickets/scan', answer)
  return (await mountPage(ConsoleScanPage, path)).wrapper
}
const click = async (w: VueWrapper, testid: string) => {
  await w.find(`[data-testid=${testid}]`).trigger('click')
  await flushPromises()
}

describe('the phone’s confirm page', () => {
  it('asks to log in to the merchant’s console on the computer, naming the browser', async () => {
    const w = await openScan(scanned())
    expect(api.to('POST /api/console/login-tickets/scan').map(r => r.body)).toEqual([{ token }])
    expect(w.find('[data-testid=scan-ask]').text()).toBe('在电脑上登录「山川咖啡」管理后台？')
    expect(w.find('[data-testid=scan-browser]').text()).toBe('电脑浏览器 · Chrome · Windows')
    expect(w.find('[data-testid=scan-confirm]').text()).toBe('确认登录')
    expect(w.find('[data-testid=scan-cancel]').text()).toBe('取消')
  })

  it('confirms with the link’s token and says to carry on on the computer', async () => {
    api.answer('POST /api/console/login-tickets/confirm', ok({ ticket: { id: 't1', status: 'confirmed', expiresAt } }))
    const w = await openScan(scanned())
    await click(w, 'scan-confirm')
    expect(api.to('POST /api/console/login-tickets/confirm').map(r => r.body)).toEqual([{ token }])
    expect(api.to('POST /api/console/login-tickets/cancel')).toEqual([])
    expect(w.find('[data-view]').attributes('data-view')).toBe('confirmed')
    expect(w.text()).toContain('已确认登录')
    expect(w.find('[data-testid=scan-confirm]').exists()).toBe(false)
  })

  it('cancels with the link’s token', async () => {
    api.answer('POST /api/console/login-tickets/cancel', ok({ ticket: { id: 't1', status: 'cancelled', expiresAt } }))
    const w = await openScan(scanned())
    await click(w, 'scan-cancel')
    expect(api.to('POST /api/console/login-tickets/cancel').map(r => r.body)).toEqual([{ token }])
    expect(api.to('POST /api/console/login-tickets/confirm')).toEqual([])
    expect(w.text()).toContain('已取消登录')
  })

  it('logs the phone in through WeChat first and comes back to the same link', async () => {
    await openScan(fail(401, 'unauthenticated', '未登录', { loginUrl: '/auth/wechat/login?return=%2F' }))
    expect(location.pathname + location.search).toBe(
      `/auth/wechat/login?return=${encodeURIComponent(`/console/scan?t=${token}`)}`,
    )
  })

  it('says clearly when the person belongs to no merchant, and offers no confirm', async () => {
    const w = await openScan(scanned([]))
    expect(w.text()).toContain('你还不是任何商户的成员，不能登录管理后台')
    expect(w.find('[data-testid=scan-confirm]').exists()).toBe(false)
  })

  it.each([
    ['expired', '二维码已过期'],
    ['used', '此二维码已使用'],
  ])('says so when the ticket is %s', async (status, says) => {
    const w = await openScan(scanned(undefined, status))
    expect(w.text()).toContain(says)
    expect(w.find('[data-testid=scan-confirm]').exists()).toBe(false)
  })

  it.each([
    ['expired', '二维码已过期'],
    ['cancelled', '已取消登录'],
    ['used', '此二维码已使用'],
  ])('says so when the ticket was %s by the time of the confirm (the server’s invalid_status)', async (from, says) => {
    api.answer(
      'POST /api/console/login-tickets/confirm',
      fail(409, 'invalid_status', '无法完成', { from, to: 'confirmed' }),
    )
    const w = await openScan(scanned())
    await click(w, 'scan-confirm')
    expect(w.text()).toContain(says)
    expect(w.text()).not.toContain('当前状态不能这样操作')
    expect(w.find('[data-testid=scan-confirm]').exists()).toBe(false)
  })

  it('shows the server’s words when another phone scanned the code since', async () => {
    const says = '二维码已被其他微信扫描，请重新扫码'
    api.answer(
      'POST /api/console/login-tickets/confirm',
      fail(409, 'invalid_status', says, { from: 'scanned', to: 'confirmed' }),
    )
    const w = await openScan(scanned())
    await click(w, 'scan-confirm')
    expect(w.text()).toContain(says)
  })

  it('sends nothing for a link without a token', async () => {
    const w = (await mountPage(ConsoleScanPage, '/console/scan')).wrapper
    expect(w.text()).toContain('登录链接无效')
    expect(api.sent).toEqual([])
  })
})
