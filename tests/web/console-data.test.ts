import { enableAutoUnmount, flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { FunnelResponse, FunnelRow } from '../../src/shared/api/analytics.ts'
import type { ChannelDto } from '../../src/shared/api/channels.ts'
import { chinaDay, chinaDayStartOf, DAY } from '../../src/shared/time.ts'
import DataPage from '../../src/web/pages/console/DataPage.vue'
import { consoleOffer, nanjing, openSignedIn } from './console-fixtures.ts'
import { type FakeApi, fail, fakeApi, ok } from './fake-api.ts'

const base = '/api/console/merchants/shanchuan'
const groupings = ['day', 'channel', 'store', 'offer', 'sharer'] as const
const channel: ChannelDto = {
  id: 'ch1',
  code: 'k3x9q2',
  name: '南京西路店收银台',
  kind: 'poster',
  offerId: null,
  storeId: 'nanjingxilu',
  url: 'http://localhost:8080/s/nanjingxilu?ch=k3x9q2',
  posterUrl: `http://localhost:8080${base}/channels/ch1/poster.png`,
  totals: { views: 0, claims: 0, walletAdds: 0, redemptions: 0 },
  createdAt: new Date(0).toISOString(),
}

const today = chinaDay(Date.now() / 1000)
const daysBack = (n: number) => chinaDay(chinaDayStartOf(today)! - n * DAY)
const row = (key: string, label: string, v: number[]): FunnelRow => ({
  key,
  label,
  views: v[0]!,
  claims: v[1]!,
  walletAdds: v[2]!,
  redemptions: v[3]!,
  viaSharers: v[4]!,
})
const totals = { views: 400, claims: 100, walletAdds: 25, redemptions: 40, viaSharers: 30 }
const answers: Record<(typeof groupings)[number], FunnelResponse> = {
  day: {
    totals,
    rows: [row(daysBack(1), daysBack(1), [150, 40, 10, 15, 10]), row(today, today, [250, 60, 15, 25, 20])],
  },
  channel: {
    totals,
    rows: [row('k3x9q2', '南京西路店收银台', [300, 80, 20, 30, 30]), row('direct', '直接访问', [100, 20, 5, 10, 0])],
  },
  store: { totals, rows: [row('nanjingxilu', '南京西路店', [400, 100, 25, 40, 30])] },
  offer: { totals, rows: [row('latte-10off', '拿铁立减10元', [400, 100, 25, 40, 30])] },
  sharer: { totals, rows: [row('u1', '小*', [50, 30, 0, 12, 30]), row('', '非分享', [350, 70, 25, 28, 0])] },
}
const none = { views: 0, claims: 0, walletAdds: 0, redemptions: 0, viaSharers: 0 }
const search = (from: string, to: string, groupBy: string, more = '') =>
  `from=${from}&to=${to}&groupBy=${groupBy}${more}`

let api: FakeApi
enableAutoUnmount(afterEach)
beforeEach(() => {
  api = fakeApi()
  api.answer(`GET ${base}/offers`, ok({ offers: [consoleOffer()] }))
  api.answer(`GET ${base}/stores`, ok({ stores: [nanjing] }))
  api.answer(`GET ${base}/channels`, ok({ channels: [channel] }))
})
afterEach(() => {
  expect(api.unanswered).toEqual([])
  vi.unstubAllGlobals()
})

/** The funnel for one range and filters, answered for every grouping. */
function answerFunnel(from: string, to: string, more = '', with_ = answers) {
  for (const g of groupings) api.answer(`GET ${base}/funnel?${search(from, to, g, more)}`, ok(with_[g]))
}
async function open() {
  return openSignedIn(DataPage, '/console/m/shanchuan/data')
}
const click = async (w: VueWrapper, selector: string) => {
  await w.find(selector).trigger('click')
  await flushPromises()
}
const figures = (w: VueWrapper) =>
  w.findAll('[data-testid=figures] li').map(li => ({
    step: li.attributes('data-step'),
    value: li.find('[data-testid=figure]').text(),
    rate: li.find('[data-rate] b').exists() ? li.find('[data-rate] b').text() : null,
  }))

describe('the 数据 page', () => {
  it('asks for the last 7 China days and shows four figures with the conversion into each', async () => {
    answerFunnel(daysBack(6), today)
    const w = await open()
    expect(figures(w)).toEqual([
      { step: 'views', value: '400', rate: null },
      { step: 'claims', value: '100', rate: '25%' },
      { step: 'walletAdds', value: '25', rate: '25%' },
      { step: 'redemptions', value: '40', rate: '40%' },
    ])
    expect(w.find('[data-rate=rateClaim]').text()).toContain('领取率')
    expect(w.find('[data-rate=rateRedeem]').text()).toContain('核销率')
    expect(w.find('[data-range=last7]').classes()).toContain('t-is-checked')
  })

  it('draws the funnel and the line by day', async () => {
    answerFunnel(daysBack(6), today)
    const w = await open()
    const funnel = w.find('[data-testid=funnel-chart]')
    expect(funnel.find('svg').exists()).toBe(true)
    expect(funnel.text()).toContain('领取 100 · 25%')
    const daily = w.find('[data-testid=daily-chart]')
    expect(daily.findAll('svg path').length).toBeGreaterThan(4)
    expect(daily.text()).toContain(today.slice(5))
  })

  it('shows the tables by channel, store, offer with its k-factor, and sharer', async () => {
    answerFunnel(daysBack(6), today)
    const w = await open()
    expect(w.find('[data-group=channel]').text()).toContain('南京西路店收银台')
    await click(w, '[data-table=offer]')
    expect(w.find('[data-group=offer]').text()).toContain('拿铁立减10元')
    expect(w.find('[data-testid=k-factor]').text()).toBe('0.30')
    await click(w, '[data-table=sharer]')
    expect(w.find('[data-group=sharer]').text()).toContain('小*')
    await click(w, '[data-table=store]')
    expect(w.find('[data-group=store]').text()).toContain('南京西路店')
  })

  it('asks again for a preset and for filters, and exports the CSV with the same query', async () => {
    answerFunnel(daysBack(6), today)
    const w = await open()
    expect(w.find('[data-testid=export-csv]').attributes('href')).toBe(
      `${base}/funnel.csv?${search(daysBack(6), today, 'channel')}`,
    )
    answerFunnel(daysBack(29), today)
    await click(w, '[data-range=last30]')
    expect(api.to(`GET ${base}/funnel?${search(daysBack(29), today, 'day')}`)).toHaveLength(1)

    const filtered = '&offerId=latte-10off&channel=k3x9q2'
    answerFunnel(daysBack(29), today, '&offerId=latte-10off')
    await w.find('[data-testid=filter-offer]').setValue('latte-10off')
    await flushPromises()
    answerFunnel(daysBack(29), today, filtered)
    await w.find('[data-testid=filter-channel]').setValue('k3x9q2')
    await flushPromises()
    await click(w, '[data-table=offer]')
    expect(w.find('[data-testid=export-csv]').attributes('href')).toBe(
      `${base}/funnel.csv?${search(daysBack(29), today, 'offer', filtered)}`,
    )
    for (const g of groupings)
      expect(api.to(`GET ${base}/funnel?${search(daysBack(29), today, g, filtered)}`), g).toHaveLength(1)
    expect(
      w
        .find('[data-testid=filter-channel]')
        .findAll('option')
        .map(o => o.text()),
    ).toEqual(['全部渠道', '南京西路店收银台', '直接访问', '好友分享', '门店二维码', '优惠列表'])
  })

  it('asks for today alone', async () => {
    answerFunnel(daysBack(6), today)
    const w = await open()
    answerFunnel(today, today)
    await click(w, '[data-range=today]')
    expect(api.to(`GET ${base}/funnel?${search(today, today, 'sharer')}`)).toHaveLength(1)
  })

  it('says there is nothing yet for an empty period, with its zeros', async () => {
    const empty = Object.fromEntries(groupings.map(g => [g, { totals: none, rows: [] }])) as unknown as typeof answers
    answerFunnel(daysBack(6), today, '', empty)
    const w = await open()
    expect(figures(w).map(f => [f.value, f.rate])).toEqual([
      ['0', null],
      ['0', '—'],
      ['0', '—'],
      ['0', '—'],
    ])
    expect(w.find('[data-testid=empty]').text()).toContain('这段时间还没有数据')
    expect(w.find('[data-testid=funnel-chart]').exists()).toBe(false)
  })

  it('shows an error with a retry', async () => {
    for (const g of groupings)
      api.answer(
        `GET ${base}/funnel?${search(daysBack(6), today, g)}`,
        fail(500, 'internal', '服务器开小差了'),
        ok(answers[g]),
      )
    const w = await open()
    expect(w.find('[data-testid=error]').exists()).toBe(true)
    await click(w, '[data-testid=error] button')
    expect(figures(w)[0]!.value).toBe('400')
  })
})
