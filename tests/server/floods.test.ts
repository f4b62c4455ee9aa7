/**
 * Anonymous floods must not write rows without bound: login starts and view events are limited
 * per client, made-up channels are not recorded, and unused login states are swept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VIEWS_PER_MINUTE } from '../../src/server/analytics/views.ts'
import { LOGIN_STARTS_PER_MINUTE } from '../../src/server/auth/routes.ts'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { newKey, Phone } from '../helpers/phone.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ env: { TRUST_PROXY: '1' } })
})
afterAll(async () => {
  await t.close()
})

const from = (ip: string, path: string) =>
  fetch(`${t.url}${path}`, { redirect: 'manual', headers: { 'x-forwarded-for': ip, accept: 'text/html' } })
const count = async (table: 'oauth_states' | 'events', where?: [string, string]) => {
  let q = t.database.db.selectFrom(table).select(eb => eb.fn.countAll<number>().as('n'))
  if (where) q = q.where(where[0] as never, '=', where[1] as never)
  return Number((await q.executeTakeFirstOrThrow()).n)
}

describe('anonymous floods', () => {
  it('turn login starts from one address away once it made its share, writing no more states', async () => {
    const before = await count('oauth_states')
    const statuses: number[] = []
    for (let i = 0; i < LOGIN_STARTS_PER_MINUTE + 80; i++)
      statuses.push((await from('203.0.113.9', '/auth/wechat/login?return=/')).status)
    expect(statuses.filter(s => s === 302)).toHaveLength(LOGIN_STARTS_PER_MINUTE)
    expect(statuses.filter(s => s === 429)).toHaveLength(80)
    expect((await count('oauth_states')) - before).toBe(LOGIN_STARTS_PER_MINUTE)
    // Another address is not affected.
    expect((await from('203.0.113.10', '/auth/wechat/login?return=/')).status).toBe(302)
  })

  it('serve every landing page but record a limited number of views per client', async () => {
    const before = await count('events', ['type', 'view'])
    const statuses: number[] = []
    for (let i = 0; i < VIEWS_PER_MINUTE + 40; i++) statuses.push((await from('198.51.100.4', '/o/all-88')).status)
    expect(statuses.every(s => s === 200)).toBe(true)
    expect((await count('events', ['type', 'view'])) - before).toBe(VIEWS_PER_MINUTE)
  })

  it('record made-up channels as direct, for views and for claims, and keep known ones', async () => {
    await from('198.51.100.5', '/o/cookie-gift?ch=madeup123')
    await from('198.51.100.6', '/o/cookie-gift?ch=share&ref=someone')
    const views = await t.database.db
      .selectFrom('events')
      .select(['channel', 'ref'])
      .where('offer_id', '=', 'cookie-gift')
      .execute()
    expect(views.map(v => v.channel).sort()).toEqual(['direct', 'share'])
    const phone = new Phone(t.url)
    await phone.login()
    const made = await phone.post(
      '/api/offers/cookie-gift/claim',
      { ch: 'nosuchchannel' },
      { 'idempotency-key': newKey() },
    )
    expect(made.status).toBe(201)
    expect(made.json.coupon.channel).toBe('direct')
  })

  it('sweep login states nobody finished', async () => {
    await from('192.0.2.77', '/auth/wechat/login?return=/')
    const stale = await count('oauth_states')
    expect(stale).toBeGreaterThan(0)
    t.clock.advance(2 * 3600)
    await from('192.0.2.78', '/auth/wechat/login?return=/')
    expect(await count('oauth_states')).toBe(1)
  })
})
