import { enableAutoUnmount, flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ChannelDto } from '../../src/shared/api/channels.ts'
import ChannelsPage from '../../src/web/pages/console/ChannelsPage.vue'
import { consoleOffer, nanjing, openSignedIn } from './console-fixtures.ts'
import { type FakeApi, fail, fakeApi, ok } from './fake-api.ts'

const base = '/api/console/merchants/shanchuan'
const posterChannel: ChannelDto = {
  id: 'ch1',
  code: 'k3x9q2',
  name: '南京西路店收银台',
  kind: 'poster',
  offerId: 'latte-10off',
  storeId: 'nanjingxilu',
  url: 'http://localhost:8080/o/latte-10off?ch=k3x9q2&store=nanjingxilu',
  posterUrl: `http://localhost:8080${base}/channels/ch1/poster.png`,
  totals: { views: 200, claims: 50, walletAdds: 10, redemptions: 20 },
  createdAt: new Date(0).toISOString(),
}
const shareChannel: ChannelDto = {
  ...posterChannel,
  id: 'ch2',
  code: 'qq7w1e',
  name: '社群A',
  kind: 'share',
  storeId: null,
  url: 'http://localhost:8080/o/latte-10off?ch=qq7w1e',
  posterUrl: null,
  totals: { views: 0, claims: 0, walletAdds: 0, redemptions: 0 },
}

let api: FakeApi
enableAutoUnmount(afterEach)
beforeEach(() => {
  api = fakeApi()
  api.answer(`GET ${base}/offers`, ok({ offers: [consoleOffer()] }))
  api.answer(`GET ${base}/stores`, ok({ stores: [nanjing] }))
})
afterEach(() => {
  expect(api.unanswered).toEqual([])
  vi.unstubAllGlobals()
})

async function open() {
  return openSignedIn(ChannelsPage, '/console/m/shanchuan/channels')
}
const click = async (w: VueWrapper, selector: string) => {
  await w.find(selector).trigger('click')
  await flushPromises()
}
const type = async (w: VueWrapper, selector: string, value: string) => {
  await w.find(selector).setValue(value)
  await flushPromises()
}
/** The dialog's own form, filled as a person would. */
async function fill(w: VueWrapper, f: { name?: string; kind?: 'share' | 'poster'; store?: string; offer?: string }) {
  if (f.name !== undefined) await type(w, '[data-testid=channel-name] input', f.name)
  if (f.kind) await click(w, `[data-testid=channel-kind] [data-kind=${f.kind}]`)
  if (f.store !== undefined) await type(w, '[data-testid=channel-store]', f.store)
  if (f.offer !== undefined) await type(w, '[data-testid=channel-offer]', f.offer)
}
const messages = (w: VueWrapper) =>
  Object.fromEntries(w.findAll('[data-error]').map(e => [e.attributes('data-error'), e.text()]))

describe('the 渠道 page', () => {
  it('lists each channel with its kind, where it lands, its funnel and its claim rate', async () => {
    api.answer(`GET ${base}/channels`, ok({ channels: [posterChannel, shareChannel] }))
    const w = await open()
    const table = w.find('[data-testid=console-table]')
    expect(table.text()).toContain('南京西路店收银台')
    expect(table.find('[data-kind=poster]').text()).toBe('门店海报')
    expect(table.find('[data-kind=share]').text()).toBe('分享链接')
    expect(table.text()).toContain('拿铁立减10元 · 南京西路店')
    expect(w.findAll('[data-testid=channel-totals]').map(e => e.text())).toEqual([
      '200 / 50 / 10 / 20',
      '0 / 0 / 0 / 0',
    ])
    expect(w.findAll('[data-testid=channel-rate]').map(e => e.text())).toEqual(['25%', '—'])
  })

  it('says what channels are for when there are none', async () => {
    api.answer(`GET ${base}/channels`, ok({ channels: [] }))
    const w = await open()
    expect(w.find('[data-testid=empty]').text()).toContain('还没有渠道')
  })

  it('shows an error with a retry when the list can’t be loaded', async () => {
    api.answer(`GET ${base}/channels`, fail(500, 'internal', '服务器开小差了'), ok({ channels: [shareChannel] }))
    const w = await open()
    expect(w.find('[data-testid=error]').exists()).toBe(true)
    await click(w, '[data-testid=error] button')
    expect(w.text()).toContain('社群A')
  })

  it('creates a poster channel for a store and its offer, then shows its link, QR code and poster', async () => {
    api.answer(`GET ${base}/channels`, ok({ channels: [shareChannel] }))
    api.answer(`POST ${base}/channels`, { status: 201, body: { channel: posterChannel } })
    const w = await open()
    await click(w, '[data-testid=new-channel]')
    await fill(w, { name: '南京西路店收银台', kind: 'poster', store: 'nanjingxilu', offer: 'latte-10off' })
    await click(w, '.t-dialog__confirm')

    expect(api.to(`POST ${base}/channels`).map(r => r.body)).toEqual([
      { name: '南京西路店收银台', kind: 'poster', offerId: 'latte-10off', storeId: 'nanjingxilu' },
    ])
    expect(w.findAll('[data-testid=channel-totals]')).toHaveLength(2)
    const detail = w.find('[data-testid=channel-detail]')
    expect((detail.find('[data-testid=channel-url] input').element as HTMLInputElement).value).toBe(posterChannel.url)
    await vi.waitFor(() => expect(detail.find('[data-testid=qr] svg').exists()).toBe(true))
    expect(detail.find('[data-testid=poster-preview]').attributes('src')).toBe(posterChannel.posterUrl)
    const downloads = detail.findAll('[data-download]').map(a => a.attributes('href'))
    expect(downloads).toEqual([
      posterChannel.posterUrl,
      `${posterChannel.posterUrl}?size=a4`,
      posterChannel.posterUrl!.replace('.png', '.pdf'),
      `${posterChannel.posterUrl!.replace('.png', '.pdf')}?size=a4`,
    ])
  })

  it('checks the form with the shared schema before sending, and shows the server’s field errors', async () => {
    api.answer(`GET ${base}/channels`, ok({ channels: [] }))
    api.answer(
      `POST ${base}/channels`,
      fail(400, 'invalid_request', 'storeId: 这张优惠券在该门店不可用', {
        field: 'storeId',
        issues: [{ field: 'storeId', message: '这张优惠券在该门店不可用' }],
      }),
    )
    const w = await open()
    await click(w, '[data-testid=new-channel]')
    await click(w, '.t-dialog__confirm')
    expect(messages(w)).toEqual({ name: '请填写渠道名称', offerId: '分享渠道须选择一张优惠券' })
    expect(api.to(`POST ${base}/channels`)).toEqual([])

    await fill(w, { name: '收银台', kind: 'poster', store: 'nanjingxilu' })
    expect(messages(w)).toEqual({ name: '请填写渠道名称', offerId: '分享渠道须选择一张优惠券' })
    await click(w, '.t-dialog__confirm')
    expect(api.to(`POST ${base}/channels`).map(r => r.body)).toEqual([
      { name: '收银台', kind: 'poster', offerId: null, storeId: 'nanjingxilu' },
    ])
    expect(messages(w)).toEqual({ storeId: '这张优惠券在该门店不可用' })
  })

  it('copies a channel’s link', async () => {
    api.answer(`GET ${base}/channels`, ok({ channels: [shareChannel] }))
    const writeText = vi.fn(async () => {})
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    const w = await open()
    await click(w, '[data-action=copy]')
    expect(writeText).toHaveBeenCalledWith(shareChannel.url)
    delete (navigator as { clipboard?: unknown }).clipboard
  })

  it('shows a share channel’s QR code and no poster', async () => {
    api.answer(`GET ${base}/channels`, ok({ channels: [shareChannel] }))
    const w = await open()
    await click(w, '[data-action=open]')
    await flushPromises()
    const detail = w.find('[data-testid=channel-detail]')
    // The QR encoder is a lazy import: wait for it, then the code is drawn.
    await vi.waitFor(() => expect(detail.find('[data-testid=qr] svg').exists()).toBe(true))
    expect(detail.find('[data-testid=poster-preview]').exists()).toBe(false)
  })
})
