import { enableAutoUnmount, flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import CouponListPage from '../../src/web/pages/consumer/CouponListPage.vue'
import OfferListPage from '../../src/web/pages/consumer/OfferListPage.vue'
import StorePage from '../../src/web/pages/consumer/StorePage.vue'
import { useOffersStore } from '../../src/web/stores/offers.ts'
import { type FakeApi, fail, fakeApi, ok } from './fake-api.ts'
import { couponDto, offerDto } from './fixtures.ts'
import { freshStores, mountPage } from './mount-page.ts'

let api: FakeApi
enableAutoUnmount(afterEach)
beforeEach(() => {
  api = fakeApi()
})
afterEach(() => {
  expect(api.unanswered).toEqual([])
  vi.unstubAllGlobals()
})

describe('the offer list', () => {
  it('says there is nothing to claim when there are no offers', async () => {
    api.answer('GET /api/offers', ok({ offers: [] }))
    const { wrapper: w } = await mountPage(OfferListPage, '/')
    expect(w.find('[data-testid=empty]').text()).toContain('暂时没有可领取的优惠')
  })

  it('says a failure in words, and lists the offers after 重试', async () => {
    api.answer('GET /api/offers', 'lost', ok({ offers: [offerDto(), offerDto({ id: 'all-88', stockLeft: 0 })] }))
    const { wrapper: w } = await mountPage(OfferListPage, '/')
    expect(w.find('[data-testid=error]').text()).toContain('网络不给力，请稍后重试')
    await w.find('[data-testid=error] button').trigger('click')
    await flushPromises()
    expect(w.findAll('.kq-tickets li')).toHaveLength(2)
    expect(w.findAll('.pill').map(p => p.text())).toEqual(['领取', '已抢光'])
  })

  it('asks nothing when the server rendered the list', async () => {
    const pinia = freshStores()
    useOffersStore(pinia).init({ meta: { sandbox: false, appId: '' }, user: null, offers: [offerDto()] })
    const { wrapper: w } = await mountPage(OfferListPage, '/', {}, pinia)
    expect(api.sent).toEqual([])
    expect(w.find('.title').text()).toBe('拿铁立减10元')
  })
})

describe('the store landing page', () => {
  it('shows 门店不存在 at once when the server said the store is missing', async () => {
    const pinia = freshStores()
    useOffersStore(pinia).init({ meta: { sandbox: false, appId: '' }, user: null, missing: 'store' })
    const { wrapper: w } = await mountPage(StorePage, '/s/gone', { storeId: 'gone' }, pinia)
    expect(w.find('[data-testid=empty]').text()).toContain('门店不存在')
    expect(api.sent).toEqual([])
  })

  it('shows 门店不存在 for a 404', async () => {
    api.answer('GET /api/stores/gone', fail(404, 'not_found'))
    const { wrapper: w } = await mountPage(StorePage, '/s/gone', { storeId: 'gone' })
    expect(w.find('[data-testid=empty]').text()).toContain('门店不存在')
  })
})

describe('my coupons', () => {
  it('sorts coupons into tabs, with an empty line for a tab with none', async () => {
    api.answer('GET /api/coupons', ok({ coupons: [couponDto(), couponDto({ id: 'c2', status: 'redeemed' })] }))
    const { wrapper: w, router } = await mountPage(CouponListPage, '/me/coupons')
    expect(w.findAll('[role=tab]').map(t => t.text())).toEqual(['可使用1', '已使用1', '已过期0'])
    expect(w.find('.use').text()).toBe('去使用')
    await router.replace({ query: { tab: 'expired' } })
    await flushPromises()
    expect(w.find('[data-testid=empty]').text()).toContain('没有已过期的券')
  })

  it('sends a visitor without a session through login and back', async () => {
    api.answer('GET /api/coupons', fail(401, 'unauthenticated'))
    await mountPage(CouponListPage, '/me/coupons?tab=redeemed')
    expect(location.pathname + location.search).toBe('/auth/wechat/login?return=%2Fme%2Fcoupons%3Ftab%3Dredeemed')
  })
})
