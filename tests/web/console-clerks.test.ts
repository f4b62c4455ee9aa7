import { enableAutoUnmount, flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ConsoleClerkDto } from '../../src/shared/api/clerks.ts'
import ConfirmButton from '../../src/web/components/console/ConfirmButton.vue'
import ClerksPage from '../../src/web/pages/console/ClerksPage.vue'
import { nanjing, openSignedIn } from './console-fixtures.ts'
import { type FakeApi, fail, fakeApi, held, ok } from './fake-api.ts'

const base = '/api/console/merchants/shanchuan'
const clerks = `${base}/stores/${nanjing.id}/clerks`
const xiaoli: ConsoleClerkDto = {
  id: 'c1',
  storeId: nanjing.id,
  name: '小*',
  joinedAt: '2026-12-01T02:00:00.000Z',
  lastRedemptionAt: null,
  revokedAt: null,
}
let api: FakeApi
enableAutoUnmount(afterEach)
beforeEach(() => {
  api = fakeApi()
  api.answer(`GET ${base}/stores`, ok({ stores: [nanjing] }))
})
afterEach(() => {
  expect(api.unanswered).toEqual([])
  vi.unstubAllGlobals()
})

async function open() {
  return openSignedIn(ClerksPage, '/console/m/shanchuan/clerks')
}

describe('the clerks page', () => {
  it('revokes a clerk and shows the server’s answer, the table staying on screen meanwhile', async () => {
    const reload = held(ok({ clerks: [{ ...xiaoli, revokedAt: '2026-12-03T02:00:00.000Z' }] }))
    api.answer(`GET ${clerks}`, ok({ clerks: [xiaoli] }), reload.answer)
    api.answer(`DELETE ${base}/clerks/c1`, { status: 204 })
    const w = await open()
    w.findComponent(ConfirmButton).vm.$emit('confirm')
    await flushPromises()
    expect(api.to(`DELETE ${base}/clerks/c1`).map(r => r.body)).toEqual([{}])
    expect(api.to(`GET ${clerks}`)).toHaveLength(2)
    expect(w.find('[data-testid=console-table]').text()).toContain('小*')
    reload.release()
    await flushPromises()
    expect(w.findComponent(ConfirmButton).exists()).toBe(false)
    expect(w.find('[data-testid=console-table]').text()).toContain('已停用')
  })

  it('shows the clerks of the store picked last, whichever answer comes back last', async () => {
    const hongqiao = { ...nanjing, id: 'hongqiao', name: '虹桥店' }
    const late = held(ok({ clerks: [{ ...xiaoli, id: 'c2', storeId: hongqiao.id, name: '阿*' }] }))
    api.answer(`GET ${base}/stores`, ok({ stores: [nanjing, hongqiao] }))
    api.answer(`GET ${clerks}`, ok({ clerks: [xiaoli] }))
    api.answer(`GET ${base}/stores/${hongqiao.id}/clerks`, late.answer)
    const w = await open()
    await w.find('[data-testid=clerk-store]').setValue(hongqiao.id)
    await w.find('[data-testid=clerk-store]').setValue(nanjing.id)
    await flushPromises()
    late.release()
    await flushPromises()
    expect(api.to(`GET ${clerks}`)).toHaveLength(2)
    expect(w.find('[data-testid=console-table]').text()).toContain('小*')
    expect(w.find('[data-testid=console-table]').text()).not.toContain('阿*')
  })

  it('leaves the invite button ready again when an invite is refused', async () => {
    const invites = `POST ${base}/stores/${nanjing.id}/clerk-invites`
    api.answer(`GET ${clerks}`, ok({ clerks: [] }))
    api.answer(invites, fail(429, 'rate_limited', '邀请太频繁，请稍后再试'))
    const w = await open()
    expect(w.find('[data-testid=empty]').exists()).toBe(true)
    await w.find('[data-testid=invite-clerk]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid=invite]').exists()).toBe(false)
    // A button still loading swallows the click: a second try must reach the server.
    await w.find('[data-testid=invite-clerk]').trigger('click')
    await flushPromises()
    expect(api.to(invites)).toHaveLength(2)
  })
})
