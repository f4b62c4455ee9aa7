import { enableAutoUnmount, flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { checkDigit } from '../../src/shared/code.ts'
import { loadLocale, setLocale } from '../../src/web/i18n/index.ts'
import ClerkPage from '../../src/web/pages/clerk/ClerkPage.vue'
import { type Answer, type FakeApi, fail, fakeApi, ok } from './fake-api.ts'
import { couponDto } from './fixtures.ts'
import { mountPage, onPhone, userAgents } from './mount-page.ts'

const nanjing = {
  id: 'nanjingxilu',
  name: '南京西路店',
  address: '南京西路 1 号',
  merchant: { id: 'shanchuan', name: '山川咖啡', logoUrl: null },
}
const jingan = { ...nanjing, id: 'jingansi', name: '静安寺店', address: '南京西路 1686 号' }
const body = '123456789012345'
const goodCode = body + checkDigit(body)
/** The same code with its last two digits swapped: the Damm check digit catches it. */
const swapped = body.slice(0, 14) + goodCode[15] + goodCode[14]
const redeemedAt = new Date().toISOString()

let api: FakeApi
let restorePhone = () => {}
enableAutoUnmount(afterEach)
beforeEach(() => {
  api = fakeApi()
  api.answer('GET /api/clerk/me', ok({ stores: [nanjing, jingan] }))
  api.answer('GET /api/clerk/redemptions?store=nanjingxilu', ok({ redemptions: [] }))
  api.answer('GET /api/clerk/redemptions?store=jingansi', ok({ redemptions: [] }))
})
afterEach(() => {
  expect(api.unanswered).toEqual([])
  restorePhone()
  setLocale(null)
  vi.unstubAllGlobals()
})

const openClerk = async () => (await mountPage(ClerkPage, '/clerk?store=nanjingxilu')).wrapper

async function type(w: VueWrapper, digits: string) {
  for (const d of digits) await w.find(`[data-key="${d}"]`).trigger('click')
}

async function typeAndRedeem(w: VueWrapper, digits: string) {
  await type(w, digits)
  await w.find('[data-testid=redeem-typed]').trigger('click')
  await flushPromises()
}

describe('the clerk keypad', () => {
  it.each([
    ['a code whose check digit is wrong', '1234567890123456', '券码有误，请核对后重新输入'],
    ['a code with two neighbours swapped', swapped, '券码有误，请核对后重新输入'],
    ['a code that is too short', '12345', '请输入16位券码'],
  ])('refuses %s, before any request', async (_name, digits, says) => {
    const w = await openClerk()
    await typeAndRedeem(w, digits)
    expect(w.find('[role=alert]').text()).toBe(says)
    expect(api.to('POST /api/redeem')).toEqual([])
    expect(w.find('[data-testid=result]').exists()).toBe(false)
  })

  it('submits a code with a right check digit for the store the clerk is at', async () => {
    api.answer(
      'POST /api/redeem',
      ok({ coupon: couponDto({ code: goodCode }), redeemedAt, storeId: 'nanjingxilu', consumer: '微信用户A1' }),
    )
    const w = await openClerk()
    await typeAndRedeem(w, goodCode)
    expect(api.to('POST /api/redeem').map(r => r.body)).toEqual([{ code: goodCode, storeId: 'nanjingxilu' }])
    expect(w.find('[data-testid=result]').attributes('data-ok')).toBe('true')
    expect(w.find('[data-testid=result-headline]').text()).toBe('核销成功')
    expect(w.find('[data-testid=result-detail]').text()).toContain('拿铁立减10元 · 微信用户A1')
  })

  it('shows the code grouped by four as it is typed, and edits it with ⌫ and 清空', async () => {
    const w = await openClerk()
    expect(w.find('[data-testid=typed]').text()).toBe('输入券码')
    await type(w, '123456')
    expect(w.find('[data-testid=typed]').text()).toBe('1234 56')
    await w.find('[data-key=back]').trigger('click')
    expect(w.find('[data-testid=typed]').text()).toBe('1234 5')
    await w.find('[data-key=clear]').trigger('click')
    expect(w.find('[data-testid=typed]').text()).toBe('输入券码')
  })

  it('takes no more than 16 digits', async () => {
    const w = await openClerk()
    await type(w, `${goodCode}99`)
    expect(w.find('[data-testid=typed]').text().replace(/\s/g, '')).toBe(goodCode)
  })

  it('clears the code after a success, keeps it after a refusal', async () => {
    api.answer(
      'POST /api/redeem',
      fail(404, 'unknown_code', '无效券码'),
      ok({ coupon: couponDto(), redeemedAt, storeId: 'nanjingxilu', consumer: '微信用户A1' }),
    )
    const w = await openClerk()
    await typeAndRedeem(w, goodCode)
    await w.find('[data-testid=result-close]').trigger('click')
    expect(w.find('[data-testid=typed]').text().replace(/\s/g, '')).toBe(goodCode)
    await w.find('[data-testid=redeem-typed]').trigger('click')
    await flushPromises()
    await w.find('[data-testid=result-close]').trigger('click')
    expect(w.find('[data-testid=typed]').text()).toBe('输入券码')
  })
})

describe('the result screen after the server answers', () => {
  it.each<[string, Answer, string, string]>([
    [
      'a code already used here',
      fail(409, 'already_redeemed', '已核销（南京西路店）', {
        redeemedAt,
        store: { id: 'nanjingxilu', name: '南京西路店' },
      }),
      '已核销',
      '南京西路店',
    ],
    [
      'a code used in WeChat’s own wallet',
      fail(409, 'already_redeemed', '已核销', { redeemedAt, store: null }),
      '已核销',
      '微信卡包',
    ],
    ['an expired coupon', fail(409, 'expired', '券已过期'), '已过期', '此券已超过有效期'],
    [
      'a coupon for another store',
      fail(409, 'not_valid_at_store', '本店不可用'),
      '本店不可用',
      '此券只能在指定门店使用',
    ],
    ['an unknown code', fail(404, 'unknown_code', '无效券码'), '无效券码', '请核对券码后重试'],
    [
      'a refusal the counter does not expect',
      fail(502, 'wechat_unavailable', '微信暂时不可用'),
      '核销失败',
      '微信暂时不可用',
    ],
    ['a lost connection', 'lost', '网络异常', '请检查网络后重试'],
  ])('says what happened to %s', async (_name, answer, headline, detail) => {
    api.answer('POST /api/redeem', answer)
    const w = await openClerk()
    await typeAndRedeem(w, goodCode)
    expect(w.find('[data-testid=result]').attributes('data-ok')).toBe('false')
    expect(w.find('[data-testid=result-headline]').text()).toBe(headline)
    expect(w.find('[data-testid=result-detail]').text()).toContain(detail)
  })

  it.each([
    ['unconfirmed', true],
    ['queued', false],
    [null, false],
  ] as const)('with walletSync %s, says the wallet syncs later: %s', async (walletSync, notes) => {
    api.answer(
      'POST /api/redeem',
      ok({ coupon: couponDto(), redeemedAt, storeId: 'nanjingxilu', consumer: '微信用户A1', walletSync }),
    )
    const w = await openClerk()
    await typeAndRedeem(w, goodCode)
    expect(w.find('[data-testid=result]').attributes('data-ok')).toBe('true')
    expect(w.find('[data-testid=result-note]').exists()).toBe(notes)
    if (notes) expect(w.find('[data-testid=result-note]').text()).toContain('稍后自动同步')
  })

  it('lists the redemption under 今日核销 after a success', async () => {
    api.answer(
      'POST /api/redeem',
      ok({ coupon: couponDto(), redeemedAt, storeId: 'nanjingxilu', consumer: '微信用户A1' }),
    )
    api.answer(
      'GET /api/clerk/redemptions?store=nanjingxilu',
      ok({ redemptions: [] }),
      ok({
        redemptions: [{ couponId: 'c1', code: goodCode, title: '拿铁立减10元', redeemedAt, consumer: '微信用户A1' }],
      }),
    )
    const w = await openClerk()
    expect(w.find('.today h2').text()).toBe('今日核销 · 0')
    expect(w.find('.today .none').text()).toBe('今天还没有核销记录')
    await typeAndRedeem(w, goodCode)
    expect(w.find('.today h2').text()).toBe('今日核销 · 1')
    expect(w.find('.today li').text()).toContain('拿铁立减10元')
  })
})

describe('the clerk page around the keypad', () => {
  it('shows the store from the link and switches to another of the clerk’s stores', async () => {
    const w = await openClerk()
    expect(w.find('h1').text()).toBe('南京西路店')
    await w.find('select').setValue('jingansi')
    await flushPromises()
    expect(w.find('h1').text()).toBe('静安寺店')
    expect(api.to('GET /api/clerk/redemptions?store=jingansi')).toHaveLength(1)
  })

  it('shows a failed store switch as an error with a retry', async () => {
    api.answer('GET /api/clerk/redemptions?store=jingansi', fail(500, 'internal', '服务器开小差了'))
    const w = await openClerk()
    await w.find('select').setValue('jingansi')
    await flushPromises()
    expect(w.find('[data-testid=error]').text()).toContain('服务器开小差了')
  })

  it('offers WeChat’s scanner only inside WeChat', async () => {
    restorePhone = onPhone(userAgents.wechat)
    expect((await openClerk()).find('[data-testid=scan]').text()).toBe('扫码核销')
    restorePhone()
    restorePhone = onPhone(userAgents.safari)
    expect((await openClerk()).find('[data-testid=scan]').exists()).toBe(false)
  })

  it('tells someone who is not a clerk how to become one', async () => {
    api.answer('GET /api/clerk/me', fail(403, 'forbidden', '你还不是店员，请向商户索取店员邀请链接'))
    const w = await openClerk()
    expect(w.find('[data-testid=empty]').text()).toContain('你还不是店员，请向商户索取店员邀请链接')
    expect(w.find('[data-testid=empty]').text()).toContain('店员邀请链接由商户在后台生成')
  })

  it('sends a clerk without a session through WeChat’s login and back', async () => {
    api.answer(
      'GET /api/clerk/me',
      fail(401, 'unauthenticated', '请先登录', { loginUrl: '/auth/wechat/login?return=%2Fclerk' }),
    )
    await openClerk()
    expect(location.pathname + location.search).toBe('/auth/wechat/login?return=%2Fclerk')
  })

  it('speaks English with ?lang=en', async () => {
    await loadLocale('en')
    const w = await openClerk()
    expect(w.find('[data-testid=redeem-typed]').text()).toBe('Redeem')
    await typeAndRedeem(w, '1234567890123456')
    expect(w.find('[role=alert]').text()).toBe('This code is not right, check it and type it again')
  })
})
