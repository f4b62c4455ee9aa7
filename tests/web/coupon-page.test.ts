import { enableAutoUnmount, flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { CouponDto } from '../../src/shared/api/coupons.ts'
import CouponPage from '../../src/web/pages/consumer/CouponPage.vue'
import { useWalletStore } from '../../src/web/stores/wallet.ts'
import type { WalletAttempt } from '../../src/web/wechat/wallet-path.ts'
import { type FakeApi, fail, fakeApi, ok } from './fake-api.ts'
import { couponDto, offerDto } from './fixtures.ts'
import { freshStores, mountPage, onPhone, userAgents } from './mount-page.ts'

const withCard = offerDto({ wxCardId: 'pFS7Fjg8kV1IdDz01r4SQwMkuCKc' })
const h5Only = offerDto({ wxCardId: null })
const store = { id: 'nanjingxilu', name: '南京西路店', address: '南京西路 1 号' }

let api: FakeApi
let restorePhone = () => {}
enableAutoUnmount(afterEach)
beforeEach(() => {
  api = fakeApi()
})
afterEach(() => {
  expect(api.unanswered).toEqual([])
  restorePhone()
  vi.unstubAllGlobals()
})

async function openCoupon(coupon: CouponDto, last?: WalletAttempt) {
  api.answer('GET /api/coupons/c1', ok({ coupon }))
  const pinia = freshStores()
  if (last) useWalletStore(pinia).attempts.c1 = last
  return (await mountPage(CouponPage, '/me/coupons/c1', { couponId: 'c1' }, pinia)).wrapper
}

describe('the wallet button, as walletPath() decides it', () => {
  it.each<[string, keyof typeof userAgents, CouponDto, WalletAttempt | undefined, string | null, string | null]>([
    ['in WeChat, a card offer', 'wechat', couponDto({ offer: withCard }), undefined, '添加到微信卡包', null],
    ['in WeChat while adding', 'wechat', couponDto({ offer: withCard }), { kind: 'adding' }, '添加中…', null],
    [
      'in WeChat after a cancel',
      'wechat',
      couponDto({ offer: withCard }),
      { kind: 'cancelled' },
      '添加到微信卡包',
      '已取消添加',
    ],
    [
      'in WeChat after a failure worth retrying',
      'wechat',
      couponDto({ offer: withCard }),
      { kind: 'failed', failure: { message: '微信接口初始化失败，请稍后重试', next: 'retry' } },
      '添加到微信卡包',
      '微信接口初始化失败',
    ],
    [
      'on a WeChat too old for the wallet',
      'wechat',
      couponDto({ offer: withCard }),
      { kind: 'unsupported' },
      null,
      '版本不支持',
    ],
    [
      'in WeChat, already in the wallet',
      'wechat',
      couponDto({ offer: withCard, inWallet: true }),
      undefined,
      '在卡包中查看',
      null,
    ],
    [
      'outside WeChat, a card offer',
      'safari',
      couponDto({ offer: withCard }),
      undefined,
      null,
      '在微信中打开可添加到卡包',
    ],
    [
      'outside WeChat, already in the wallet',
      'safari',
      couponDto({ offer: withCard, inWallet: true }),
      undefined,
      null,
      '已在微信卡包中',
    ],
    ['an H5-only offer in WeChat', 'wechat', couponDto({ offer: h5Only }), undefined, null, null],
    [
      'a redeemed coupon in WeChat',
      'wechat',
      couponDto({ offer: withCard, status: 'redeemed' }),
      undefined,
      null,
      null,
    ],
  ])('%s', async (_name, phone, coupon, last, button, note) => {
    restorePhone = onPhone(userAgents[phone])
    const w = await openCoupon(coupon, last)
    const btn = w.find('.walletbox button')
    expect(btn.exists() ? btn.text() : null).toBe(button)
    const line = w.find('[data-testid=wallet-note]')
    if (note === null) expect(line.exists()).toBe(false)
    else expect(line.text()).toContain(note)
    if (last?.kind === 'adding') expect(btn.attributes('disabled')).toBeDefined()
  })

  it('tags a coupon in the wallet 已在卡包 beside its code', async () => {
    const w = await openCoupon(couponDto({ offer: withCard, inWallet: true }))
    expect(w.find('[data-testid=in-wallet]').text()).toBe('已在卡包')
  })
})

describe('the coupon at the counter', () => {
  it('shows 已使用 with when and where once the clerk has redeemed it and the page reloads', async () => {
    const redeemedAt = new Date().toISOString()
    api.answer(
      'GET /api/coupons/c1',
      ok({ coupon: couponDto() }),
      ok({ coupon: couponDto({ status: 'redeemed', redeemedAt, redeemedStore: store }) }),
    )
    const { wrapper: w } = await mountPage(CouponPage, '/me/coupons/c1', { couponId: 'c1' })
    expect(w.find('[data-testid=coupon]').attributes('data-status')).toBe('available')
    expect(w.find('.stamp').exists()).toBe(false)
    expect(w.find('.hint').text()).toBe('到店出示此券，店员扫码核销')

    // The person looks at the page again after the clerk scanned it on another phone.
    document.dispatchEvent(new Event('visibilitychange'))
    await flushPromises()
    expect(w.find('[data-testid=coupon]').attributes('data-status')).toBe('redeemed')
    expect(w.find('.stamp').text()).toBe('已使用')
    expect(w.find('.state').text()).toContain('于 南京西路店 使用')
  })

  it('keeps the code on screen when a refresh fails', async () => {
    api.answer('GET /api/coupons/c1', ok({ coupon: couponDto() }), 'lost')
    const { wrapper: w } = await mountPage(CouponPage, '/me/coupons/c1', { couponId: 'c1' })
    document.dispatchEvent(new Event('visibilitychange'))
    await flushPromises()
    expect(api.to('GET /api/coupons/c1')).toHaveLength(2)
    expect(w.find('[data-testid=code]').text()).toBe('1234 5678 9012 3452')
    expect(w.find('[data-testid=error]').exists()).toBe(false)
  })

  it('says the coupon does not exist for another person’s coupon', async () => {
    api.answer('GET /api/coupons/c1', fail(404, 'not_found'))
    const { wrapper: w } = await mountPage(CouponPage, '/me/coupons/c1', { couponId: 'c1' })
    expect(w.find('[data-testid=empty]').text()).toContain('券不存在')
  })
})
