import { enableAutoUnmount, flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { RouterView } from 'vue-router'
// The pages the layout shows: loaded up front, so the router's lazy imports resolve at once.
import '../../src/web/pages/console/ConsoleLayout.vue'
import '../../src/web/pages/console/OffersPage.vue'
import '../../src/web/pages/console/StoresPage.vue'
import { consoleMe, consoleOffer, nanjing } from './console-fixtures.ts'
import { type FakeApi, fail, fakeApi, ok } from './fake-api.ts'
import { mountPage } from './mount-page.ts'

/** The app's own RouterView, so the layout and the section inside it render as they do in the app. */
const Shell = defineComponent({ render: () => h(RouterView) })
const beans = { merchant: { id: 'beans', name: '豆子烘焙' }, role: 'owner' as const }

let api: FakeApi
enableAutoUnmount(afterEach)
beforeEach(() => {
  api = fakeApi()
  api.answer('GET /api/console/merchants/shanchuan/offers', ok({ offers: [consoleOffer()] }))
  api.answer('GET /api/console/merchants/beans/offers', ok({ offers: [] }))
  api.answer('GET /api/console/merchants/shanchuan/stores', ok({ stores: [nanjing] }))
})
afterEach(() => {
  expect(api.unanswered).toEqual([])
  vi.unstubAllGlobals()
})

async function openConsole(me: unknown, path = '/console/m/shanchuan/offers') {
  api.answer('GET /api/console/me', ok(me))
  const opened = await mountPage(Shell, path)
  await flushPromises()
  return opened
}
const menu = (w: Awaited<ReturnType<typeof openConsole>>['wrapper']) =>
  w.findAll('[data-testid=console-menu] a').map(a => a.text())

describe('the console layout', () => {
  it('shows an owner every section, 成员 included', async () => {
    const { wrapper: w } = await openConsole(consoleMe('owner'))
    expect(menu(w)).toEqual(['优惠券', '门店', '店员', '渠道', '数据', '成员', '操作记录'])
    expect(w.find('[data-menu=menuOffers]').classes()).toContain('on')
  })

  it('hides 成员 from a manager', async () => {
    const { wrapper: w } = await openConsole(consoleMe('manager'))
    expect(menu(w)).toEqual(['优惠券', '门店', '店员', '渠道', '数据', '操作记录'])
  })

  it('links each section under the merchant being worked on', async () => {
    const { wrapper: w } = await openConsole(consoleMe('owner'))
    expect(w.find('[data-menu=menuStores]').attributes('href')).toBe('/console/m/shanchuan/stores')
    expect(w.find('[data-menu=menuAudit]').attributes('href')).toBe('/console/m/shanchuan/audit')
  })

  it('shows the offers of the merchant with their stock and totals', async () => {
    const { wrapper: w } = await openConsole(consoleMe('owner'))
    const row = w.find('[data-testid=console-table]')
    expect(row.text()).toContain('拿铁立减10元')
    expect(row.find('[data-testid=stock]').text()).toBe('60 / 100')
    expect(row.find('[data-status=live]').text()).toBe('进行中')
    expect(row.findAll('[data-move]').map(b => b.text())).toEqual(['暂停', '结束'])
  })

  it('switches to another merchant, at the same section', async () => {
    const { wrapper: w, router } = await openConsole(consoleMe('manager', [beans]), '/console/m/shanchuan/stores')
    const switcher = w.find('[data-testid=merchant-switcher]')
    expect(switcher.findAll('option').map(o => o.text())).toEqual(['山川咖啡', '豆子烘焙'])
    api.answer('GET /api/console/merchants/beans/stores', ok({ stores: [] }))
    await switcher.setValue('beans')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/console/m/beans/stores')
    expect(api.to('GET /api/console/merchants/beans/stores')).toHaveLength(1)
    // An owner at the other merchant: 成员 appears.
    expect(menu(w)).toContain('成员')
    expect((w.find('[data-testid=merchant-switcher]').element as HTMLSelectElement).value).toBe('beans')
  })

  it('has no switcher for someone at one merchant, just its name', async () => {
    const { wrapper: w } = await openConsole(consoleMe('owner'))
    expect(w.find('[data-testid=merchant-switcher]').exists()).toBe(false)
    expect(w.find('[data-testid=merchant-name]').text()).toBe('山川咖啡')
  })

  it('says so for a merchant the person does not belong to, and shows none of its sections', async () => {
    const { wrapper: w } = await openConsole(consoleMe('owner'), '/console/m/beans/offers')
    expect(w.text()).toContain('你不是该商户的成员')
    expect(w.find('[data-testid=console-menu]').exists()).toBe(false)
    expect(api.to('GET /api/console/merchants/beans/offers')).toEqual([])
  })

  it('sends a computer without a session to scan-to-log-in, and back afterwards', async () => {
    api.answer('GET /api/console/me', fail(401, 'unauthenticated', '未登录'))
    await mountPage(Shell, '/console/m/shanchuan/offers')
    expect(location.pathname + location.search).toBe(
      `/console/login?next=${encodeURIComponent('/console/m/shanchuan/offers')}`,
    )
  })
})
