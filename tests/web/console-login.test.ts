import { enableAutoUnmount, flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import ConsoleLoginPage from '../../src/web/pages/console/ConsoleLoginPage.vue'
// Where the page goes once logged in: loaded up front, so the router's lazy imports resolve at once.
import '../../src/web/pages/console/AuditPage.vue'
import '../../src/web/pages/console/ConsoleHomePage.vue'
import '../../src/web/pages/console/ConsoleLayout.vue'
import { useSessionStore } from '../../src/web/stores/session.ts'
import { type FakeApi, fakeApi, ok } from './fake-api.ts'
import { freshStores, mountPage } from './mount-page.ts'

const qrUrl = 'http://localhost:8080/console/scan?t=abcdefghijklmnop1234'
const poll = 'GET /api/console/login-tickets/t1'
const status = (s: string) =>
  ok({ ticket: { id: 't1', status: s, expiresAt: new Date(Date.now() + 60_000).toISOString() } })

/** A ticket as the server makes it now: two minutes to live. */
const newTicket = () => ({
  status: 201,
  body: { ticket: { id: 't1', status: 'pending', qrUrl, expiresAt: new Date(Date.now() + 120_000).toISOString() } },
})

let api: FakeApi
enableAutoUnmount(afterEach)
beforeEach(() => {
  // The page's clock and its once-a-second tick are the test's to move; promises still settle for real.
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] })
  api = fakeApi()
  api.answer('POST /api/console/login-tickets', newTicket())
})
afterEach(() => {
  expect(api.unanswered).toEqual([])
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

async function openLogin(path = '/console/login', sandbox = false) {
  const pinia = freshStores()
  useSessionStore().meta = { sandbox, appId: 'wx-sandbox' }
  return mountPage(ConsoleLoginPage, path, {}, pinia)
}
async function seconds(n: number) {
  for (let i = 0; i < n; i++) {
    vi.advanceTimersByTime(1000)
    await flushPromises()
  }
}
const statusText = (w: VueWrapper) => w.find('[data-testid=login-status]').text()

describe('scan-to-log-in on a computer', () => {
  it('shows the ticket’s QR code with 请使用微信扫码登录 and counts down', async () => {
    api.answer(poll, status('pending'))
    const { wrapper: w } = await openLogin()
    expect(api.to('POST /api/console/login-tickets')).toHaveLength(1)
    expect(w.find('[aria-label=请使用微信扫码登录]').exists()).toBe(true)
    expect(w.text()).toContain('请使用微信扫码登录')
    expect(w.find('[data-testid=countdown]').text()).toBe('120 秒后二维码失效')
    await seconds(3)
    expect(w.find('[data-testid=countdown]').text()).toBe('117 秒后二维码失效')
    expect(api.to(poll)).toHaveLength(3)
  })

  it('says 已扫码 while the phone confirms, and continues by itself when the poll says used', async () => {
    api.answer(poll, status('pending'), status('scanned'), status('scanned'), status('used'))
    const { wrapper: w, router } = await openLogin('/console/login?next=%2Fconsole%2Fm%2Fshanchuan%2Faudit')
    await seconds(2)
    expect(statusText(w)).toBe('✓已扫码，请在手机上确认')
    expect(router.currentRoute.value.path).toBe('/console/login')
    await seconds(2)
    expect(router.currentRoute.value.fullPath).toBe('/console/m/shanchuan/audit')
    const polls = api.to(poll).length
    await seconds(3)
    expect(api.to(poll)).toHaveLength(polls)
  })

  it('goes to the console, never elsewhere, after logging in', async () => {
    api.answer(poll, status('used'))
    const { router } = await openLogin('/console/login?next=https%3A%2F%2Fevil.example%2F')
    await seconds(1)
    expect(router.currentRoute.value.fullPath).toBe('/console')
  })

  it('says 二维码已过期 when the countdown ends, and 刷新 asks for a new ticket', async () => {
    api.answer(poll, status('pending'))
    const { wrapper: w } = await openLogin()
    await seconds(120)
    expect(statusText(w)).toContain('二维码已过期')
    const polls = api.to(poll).length
    await seconds(5)
    expect(api.to(poll)).toHaveLength(polls)
    api.answer('POST /api/console/login-tickets', newTicket())
    await w.find('[data-testid=login-refresh]').trigger('click')
    await flushPromises()
    expect(api.to('POST /api/console/login-tickets')).toHaveLength(2)
    expect(w.find('[data-testid=login-status]').exists()).toBe(false)
    expect(w.find('[data-testid=countdown]').text()).toBe('120 秒后二维码失效')
  })

  it.each([
    ['expired', '二维码已过期'],
    ['cancelled', '已取消登录'],
  ])('offers 刷新 when the poll says %s', async (s, says) => {
    api.answer(poll, status('pending'), status(s))
    const { wrapper: w } = await openLogin()
    await seconds(2)
    expect(statusText(w)).toContain(says)
    expect(w.find('[data-testid=login-refresh]').exists()).toBe(true)
  })

  it('offers 用沙箱微信扫码 in sandbox mode only, opening the sandbox’s scanner on the QR link', async () => {
    api.answer(poll, status('pending'))
    const plain = (await openLogin()).wrapper
    expect(plain.find('[data-testid=sandbox-scan]').exists()).toBe(false)
    plain.unmount()
    const w = (await openLogin('/console/login', true)).wrapper
    const button = w.find('[data-testid=sandbox-scan]')
    expect(button.text()).toBe('用沙箱微信扫码')
    expect(button.attributes('href')).toBe(`/__wx/scan?url=${encodeURIComponent(qrUrl)}`)
    expect(button.attributes('target')).toBe('_blank')
  })
})
