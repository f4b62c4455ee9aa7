import { enableAutoUnmount, flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { lockedOnceIssued } from '../../src/shared/api/offers.ts'
import OfferEditPage from '../../src/web/pages/console/OfferEditPage.vue'
import { consoleOffer, nanjing, openSignedIn } from './console-fixtures.ts'
import { type FakeApi, fail, fakeApi, ok } from './fake-api.ts'

const offers = '/api/console/merchants/shanchuan/offers'
let api: FakeApi
enableAutoUnmount(afterEach)
beforeEach(() => {
  api = fakeApi()
  api.answer('GET /api/console/merchants/shanchuan/stores', ok({ stores: [nanjing] }))
})
afterEach(() => {
  expect(api.unanswered).toEqual([])
  vi.unstubAllGlobals()
})

async function open(path: string, props: Record<string, unknown> = {}) {
  return openSignedIn(OfferEditPage, path, props)
}
const openNew = () => open('/console/m/shanchuan/offers/new')
const openExisting = (over = {}) => {
  api.answer(`GET ${offers}/latte-10off`, ok({ offer: consoleOffer(over) }))
  return open('/console/m/shanchuan/offers/latte-10off', { offerId: 'latte-10off' })
}

const type = async (w: VueWrapper, testid: string, value: string) => {
  await w.find(`[data-testid=${testid}] input, [data-testid=${testid}] textarea`).setValue(value)
  await flushPromises()
}
const click = async (w: VueWrapper, selector: string) => {
  await w.find(selector).trigger('click')
  await flushPromises()
}
/** The message shown under each field, by the contract's field name. */
const messages = (w: VueWrapper) =>
  Object.fromEntries(w.findAll('[data-error]').map(e => [e.attributes('data-error'), e.text()]))
const preview = (w: VueWrapper) => ({
  main: w.find('[data-testid=preview] .main').text(),
  condition: w.find('[data-testid=preview] .cond').text(),
  title: w.find('[data-testid=preview] .title').text(),
})

describe('the offer editor checks with the shared schema', () => {
  it('shows the schema’s Chinese messages next to the right fields, before any request', async () => {
    const w = await openNew()
    await type(w, 'f-value', '60')
    await type(w, 'f-threshold', '50')
    await type(w, 'f-stock', '0')
    await click(w, '[data-testid=save]')
    expect(messages(w)).toEqual({
      title: '请填写优惠券名称',
      valueFen: '减免金额须小于使用门槛',
      stockTotal: '库存至少1张',
    })
    expect(w.find('[data-field=valueFen]').find('[data-error]').exists()).toBe(true)
    expect(api.to(`POST ${offers}`)).toEqual([])
  })

  it.each([
    ['discount', 'f-discount', '请填写折扣', 'discountPercent'],
    ['gift', 'f-gift', '请填写赠品名称', 'giftName'],
  ])('asks for what a %s offer needs', async (kind, testid, says, field) => {
    const w = await openNew()
    await type(w, 'f-title', '周末特惠')
    await click(w, `[data-kind=${kind}]`)
    expect(w.find(`[data-testid=${testid}]`).exists()).toBe(true)
    await click(w, '[data-testid=save]')
    expect(messages(w)).toEqual({ [field]: says })
    expect(api.sent.filter(r => r.method === 'POST')).toEqual([])
  })

  it('takes each message away as soon as its field is right, and shows a new one as a field goes wrong', async () => {
    const w = await openNew()
    await click(w, '[data-testid=save]')
    expect(messages(w)).toEqual({ title: '请填写优惠券名称', valueFen: '请填写减免金额' })
    await type(w, 'f-title', '周末特惠')
    expect(messages(w)).toEqual({ valueFen: '请填写减免金额' })
    await type(w, 'f-value', '8')
    expect(messages(w)).toEqual({})
    await type(w, 'f-threshold', '5')
    expect(messages(w)).toEqual({})
  })

  it('opens a new offer’s claim window now, so an offer put live from it can be claimed at once', async () => {
    api.answer(`POST ${offers}`, { status: 201, body: { offer: consoleOffer({ id: 'new-1' }) } })
    api.answer(`GET ${offers}/new-1`, ok({ offer: consoleOffer({ id: 'new-1' }) }))
    const w = await openNew()
    await type(w, 'f-title', '周末特惠')
    await type(w, 'f-value', '8')
    await click(w, '[data-testid=save-live]')
    const [sent] = api.to(`POST ${offers}`).map(r => r.body as { startsAt: string; status: string })
    expect(sent!.status).toBe('live')
    expect(Date.parse(sent!.startsAt)).toBeLessThanOrEqual(Date.now())
    expect(Date.now() - Date.parse(sent!.startsAt)).toBeLessThan(60_000)
  })

  it('sends yuan as integer fen, 折 as a percent, and the rules one a line', async () => {
    api.answer(`POST ${offers}`, { status: 201, body: { offer: consoleOffer({ id: 'new-1', status: 'draft' }) } })
    api.answer(`GET ${offers}/new-1`, ok({ offer: consoleOffer({ id: 'new-1', status: 'draft' }) }))
    const w = await openNew()
    await type(w, 'f-title', '拿铁立减12.5元')
    await type(w, 'f-value', '12.5')
    await type(w, 'f-threshold', '40')
    await type(w, 'f-rules', '每单限用一张\n\n不与其他优惠同享')
    await click(w, '[data-testid=save]')
    const [sent] = api.to(`POST ${offers}`)
    expect(sent?.body).toMatchObject({
      title: '拿铁立减12.5元',
      kind: 'cash',
      valueFen: 1250,
      thresholdFen: 4000,
      rules: ['每单限用一张', '不与其他优惠同享'],
      status: 'draft',
      validity: { type: 'relative', days: 30 },
    })
    expect(sent?.headers['content-type']).toBe('application/json')
  })

  it('shows the server’s issues next to their fields after a save', async () => {
    api.answer(
      `POST ${offers}`,
      fail(400, 'invalid_request', '名称已被使用', {
        field: 'title',
        issues: [
          { field: 'title', message: '名称已被使用' },
          { field: 'validity.days', message: '有效天数须覆盖领取时间' },
        ],
      }),
    )
    const w = await openNew()
    await type(w, 'f-title', '拿铁立减10元')
    await type(w, 'f-value', '10')
    await click(w, '[data-testid=save]')
    expect(api.to(`POST ${offers}`)).toHaveLength(1)
    expect(messages(w)).toEqual({ title: '名称已被使用', validity: '有效天数须覆盖领取时间' })
  })
})

describe('the preview', () => {
  it('follows the form: value, condition and title', async () => {
    const w = await openNew()
    expect(preview(w)).toEqual({ main: '¥0', condition: '无门槛', title: '优惠券名称' })
    await type(w, 'f-title', '拿铁立减15元')
    await type(w, 'f-value', '15')
    await type(w, 'f-threshold', '50')
    expect(preview(w)).toEqual({ main: '¥15', condition: '满50可用', title: '拿铁立减15元' })
    await click(w, '[data-kind=discount]')
    await type(w, 'f-discount', '8.8')
    expect(preview(w)).toMatchObject({ main: '8.8折', condition: '满50可用' })
    await click(w, '[data-kind=gift]')
    await type(w, 'f-gift', '曲奇一块')
    expect(preview(w)).toMatchObject({ main: '赠品', condition: '曲奇一块' })
  })

  it('shows the validity the consumer will read', async () => {
    const w = await openNew()
    await type(w, 'f-validity-days', '7')
    expect(w.find('[data-testid=preview] .note').text()).toBe('领取后7天内有效')
  })
})

describe('saving an offer someone else may be editing', () => {
  it('sends only what changed, with If-Match: version', async () => {
    api.answer(`PATCH ${offers}/latte-10off`, ok({ offer: consoleOffer({ title: '拿铁立减11元', version: 4 }) }))
    const w = await openExisting()
    await type(w, 'f-title', '拿铁立减11元')
    await click(w, '[data-testid=save]')
    const [sent] = api.to(`PATCH ${offers}/latte-10off`)
    expect(sent?.headers['if-match']).toBe('3')
    expect(sent?.body).toEqual({ title: '拿铁立减11元' })
  })

  it('on 412 says someone else changed it, keeps the form, and reloads their version on request', async () => {
    api.answer(`PATCH ${offers}/latte-10off`, fail(412, 'version_conflict', 'stale', { version: 4 }))
    const w = await openExisting()
    await type(w, 'f-title', '我的新名字')
    await click(w, '[data-testid=save]')
    expect(w.find('[data-testid=conflict]').text()).toContain('有人刚刚修改了这张券')
    expect((w.find('[data-testid=f-title] input').element as HTMLInputElement).value).toBe('我的新名字')
    expect(preview(w).title).toBe('我的新名字')

    api.answer(`GET ${offers}/latte-10off`, ok({ offer: consoleOffer({ title: '对方的名字', version: 4 }) }))
    await click(w, '[data-testid=conflict-reload]')
    expect(w.find('[data-testid=conflict]').exists()).toBe(false)
    expect((w.find('[data-testid=f-title] input').element as HTMLInputElement).value).toBe('对方的名字')
  })
})

describe('an offer whose coupons were issued', () => {
  const disabled = (w: VueWrapper, testid: string) =>
    w
      .find(`[data-testid=${testid}]`)
      .findAll('input')
      .every(i => (i.element as HTMLInputElement).disabled)

  it('shows value, kind and validity read-only with a note, the rest editable', async () => {
    expect(lockedOnceIssued).toEqual(['kind', 'valueFen', 'thresholdFen', 'discountPercent', 'giftName', 'validity'])
    const w = await openExisting({ issued: 5 })
    expect(w.find('[data-testid=locked-note]').text()).toContain('已发放 5 张券')
    for (const id of ['f-kind', 'f-value', 'f-threshold', 'f-validity-type', 'f-validity-days'])
      expect(disabled(w, id), id).toBe(true)
    for (const id of ['f-title', 'f-stock', 'f-per-user']) expect(disabled(w, id), id).toBe(false)
  })

  it('lets everything change before any coupon was issued', async () => {
    const w = await openExisting({ issued: 0 })
    expect(w.find('[data-testid=locked-note]').exists()).toBe(false)
    for (const id of ['f-kind', 'f-value', 'f-threshold', 'f-validity-days']) expect(disabled(w, id), id).toBe(false)
  })
})

describe('the 商家券 field', () => {
  const pay = (over: Record<string, unknown> = {}) =>
    ok({
      wechatPay: {
        configured: true,
        sandbox: false,
        mchid: '1900000001',
        notifyUrl: 'https://kq.example.com/wechatpay/notify',
        registered: 'no',
        registeredUrl: 'https://old.example.com/notify',
        problem: null,
        checklist: [
          {
            key: 'notify',
            place: '营销中心 → 商家券 → 营销事件推送',
            what: '开启营销事件推送',
            variable: 'PUBLIC_URL',
            value: 'https://kq.example.com/wechatpay/notify',
            state: 'todo',
          },
        ],
        ...over,
      },
    })

  it('asks WeChat Pay’s setup only once 商家券 is picked, and shows the notify URL and where it goes', async () => {
    const w = await openNew()
    expect(api.to('GET /api/console/merchants/shanchuan/wechat-pay')).toEqual([])
    api.answer('GET /api/console/merchants/shanchuan/wechat-pay', pay())
    await click(w, '[data-wallet=busifavor]')
    expect(api.to('GET /api/console/merchants/shanchuan/wechat-pay')).toHaveLength(1)
    const panel = w.find('[data-testid=wechat-pay]')
    expect(panel.find('[data-testid=wechat-pay-notify-url]').text()).toBe('https://kq.example.com/wechatpay/notify')
    expect(panel.find('[data-testid=wechat-pay-configured]').text()).toContain('1900000001')
    expect(panel.find('[data-testid=wechat-pay-registered]').text()).toContain('https://old.example.com/notify')
    expect(panel.find('[data-check=notify]').text()).toContain('营销中心 → 商家券 → 营销事件推送')
    await click(w, '[data-wallet=none]')
    expect(w.find('[data-testid=wechat-pay]').exists()).toBe(false)
  })

  it('asks again on 重新检查', async () => {
    api.answer('GET /api/console/merchants/shanchuan/wechat-pay', pay())
    api.answer('GET /api/console/merchants/shanchuan/wechat-pay', pay({ registered: 'yes', registeredUrl: null }))
    const w = await openNew()
    await click(w, '[data-wallet=busifavor]')
    await click(w, '[data-testid=wechat-pay-recheck]')
    expect(w.find('[data-testid=wechat-pay-registered]').attributes('data-registered')).toBe('yes')
  })
})
