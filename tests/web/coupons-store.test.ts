import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useCouponsStore } from '../../src/web/stores/coupons.ts'
import { type FakeApi, fail, fakeApi, ok, type SentRequest } from './fake-api.ts'
import { couponDto } from './fixtures.ts'

const claimRoute = (offerId: string) => `POST /api/offers/${offerId}/claim`
const keyOf = (r: SentRequest) => r.headers['idempotency-key']
const created = (offerId = 'latte-10off') => ({ status: 201, body: { coupon: couponDto({ offerId }) } })

let api: FakeApi
beforeEach(() => {
  sessionStorage.clear()
  setActivePinia(createPinia())
  api = fakeApi()
})
afterEach(() => {
  expect(api.unanswered).toEqual([])
  vi.unstubAllGlobals()
})

/** The login hop is a full page load: a new app and new stores, the same tab's sessionStorage. */
const afterPageLoad = () => setActivePinia(createPinia())

describe('a claim keeps one Idempotency-Key per offer until it succeeds', () => {
  it('keeps the key across the login redirect and sends it again with the claim after OAuth', async () => {
    api.answer(claimRoute('latte-10off'), fail(401, 'unauthenticated'), created())
    await expect(useCouponsStore().claim('latte-10off', { ch: 'share' })).rejects.toMatchObject({
      code: 'unauthenticated',
    })
    const kept = sessionStorage.getItem('kq-claim-key:latte-10off')
    expect(kept).toMatch(/^[A-Za-z0-9_.:-]{8,128}$/)

    afterPageLoad()
    await useCouponsStore().claim('latte-10off', { ch: 'share' })
    expect(api.to(claimRoute('latte-10off')).map(keyOf)).toEqual([kept, kept])
  })

  it('forgets the key after a successful claim, so the next claim is a new one', async () => {
    api.answer(claimRoute('latte-10off'), created())
    const coupons = useCouponsStore()
    await coupons.claim('latte-10off', {})
    expect(sessionStorage.getItem('kq-claim-key:latte-10off')).toBeNull()
    await coupons.claim('latte-10off', {})
    const [first, second] = api.to(claimRoute('latte-10off')).map(keyOf)
    expect(second).not.toBe(first)
  })

  it('sends the same key again when retrying after a lost response', async () => {
    api.answer(claimRoute('latte-10off'), 'lost', created())
    const coupons = useCouponsStore()
    await expect(coupons.claim('latte-10off', {})).rejects.toMatchObject({ code: 'network' })
    const coupon = await coupons.claim('latte-10off', {})
    const [first, retry] = api.to(claimRoute('latte-10off')).map(keyOf)
    expect(retry).toBe(first)
    expect(coupons.byId[coupon.id]).toEqual(coupon)
  })

  it('keeps a separate key for each offer', async () => {
    api.answer(claimRoute('latte-10off'), fail(401, 'unauthenticated'))
    api.answer(claimRoute('all-88'), fail(401, 'unauthenticated'))
    const coupons = useCouponsStore()
    await coupons.claim('latte-10off', {}).catch(() => {})
    await coupons.claim('all-88', {}).catch(() => {})
    const [a, b] = api.sent.map(keyOf)
    expect(a).not.toBe(b)
    expect(sessionStorage.getItem('kq-claim-key:latte-10off')).toBe(a)
    expect(sessionStorage.getItem('kq-claim-key:all-88')).toBe(b)
  })

  it('sends the attribution as the body', async () => {
    api.answer(claimRoute('latte-10off'), created())
    await useCouponsStore().claim('latte-10off', { ch: 'share', ref: 'u42' })
    expect(api.sent[0]!.body).toEqual({ ch: 'share', ref: 'u42' })
  })
})

describe('a coupon reloaded after the clerk redeems it', () => {
  it('takes the redeemed status, time and store from the server', async () => {
    const redeemedAt = new Date().toISOString()
    const store = { id: 'nanjingxilu', name: '南京西路店', address: '南京西路 1 号' }
    api.answer(
      'GET /api/coupons/c1',
      ok({ coupon: couponDto() }),
      ok({ coupon: couponDto({ status: 'redeemed', redeemedAt, redeemedStore: store }) }),
    )
    const coupons = useCouponsStore()
    expect((await coupons.load('c1')).status).toBe('available')
    await coupons.load('c1')
    expect(coupons.byId.c1).toMatchObject({ status: 'redeemed', redeemedAt, redeemedStore: store })
  })

  it('updates a coupon already shown when the list is reloaded', async () => {
    api.answer('GET /api/coupons/c1', ok({ coupon: couponDto() }))
    api.answer('GET /api/coupons', ok({ coupons: [couponDto({ status: 'redeemed' })] }))
    const coupons = useCouponsStore()
    await coupons.load('c1')
    await coupons.loadList()
    expect(coupons.byId.c1!.status).toBe('redeemed')
  })
})
