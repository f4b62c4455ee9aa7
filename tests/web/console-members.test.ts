import { enableAutoUnmount, flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { MemberDto } from '../../src/shared/api/console.ts'
import MembersPage from '../../src/web/pages/console/MembersPage.vue'
import { openSignedIn } from './console-fixtures.ts'
import { type FakeApi, fakeApi, ok } from './fake-api.ts'

const members = '/api/console/merchants/shanchuan/members'
const me: MemberDto = { id: 'm1', name: '老王', role: 'owner', joinedAt: '2026-11-01T02:00:00.000Z', isMe: true }
const orange: MemberDto = { id: 'm2', name: '橙子', role: 'manager', joinedAt: '2026-12-01T02:00:00.000Z', isMe: false }
let api: FakeApi
enableAutoUnmount(afterEach)
beforeEach(() => {
  api = fakeApi()
  api.answer(`GET ${members}`, ok({ members: [me, orange] }))
})
afterEach(() => {
  expect(api.unanswered).toEqual([])
  vi.unstubAllGlobals()
})

async function open() {
  return openSignedIn(MembersPage, '/console/m/shanchuan/members')
}

describe('the members page', () => {
  it('changes a role with the PATCH’s own answer, without reloading the list', async () => {
    api.answer(`PATCH ${members}/m2`, ok({ member: { ...orange, role: 'owner' } }))
    const w = await open()
    await w.find('[data-role-of=m2]').setValue('owner')
    await flushPromises()
    expect(api.to(`PATCH ${members}/m2`).map(r => r.body)).toEqual([{ role: 'owner' }])
    expect(api.to(`GET ${members}`)).toHaveLength(1)
    expect((w.find('[data-role-of=m2]').element as HTMLSelectElement).value).toBe('owner')
  })

  it('removes a member with a JSON body, as console writes must be', async () => {
    api.answer(`DELETE ${members}/m2`, { status: 204 })
    const w = await open()
    const { useConsoleMembersStore } = await import('../../src/web/stores/console-members.ts')
    await useConsoleMembersStore().remove('shanchuan', orange)
    await flushPromises()
    const [sent] = api.to(`DELETE ${members}/m2`)
    expect(sent).toMatchObject({ body: {}, headers: { 'content-type': 'application/json' } })
    expect(w.text()).not.toContain('橙子')
  })
})
