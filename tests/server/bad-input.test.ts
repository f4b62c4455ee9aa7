import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { newKey, Phone } from '../helpers/phone.ts'

let t: TestApp
let phone: Phone
beforeAll(async () => {
  t = await startTestApp()
  phone = new Phone(t.url)
  await phone.login()
})
afterAll(async () => {
  await t.close()
})

const long = 'x'.repeat(300)
const label = (p: string) => (p.length > 80 ? `${p.slice(0, 60)}…(${p.length} chars)` : p)

describe('bad input gets a clear 4xx JSON error, never a 500', () => {
  it.each(
    [
      ['GET', '/api/offers?store=%00bad', undefined, {}],
      ['GET', '/api/offers?unknown=1', undefined, {}],
      ['GET', `/api/offers/${long}`, undefined, {}],
      ['GET', '/api/offers/%E0%A4%A', undefined, {}],
      ['GET', '/api/offers/bad%20id', undefined, {}],
      ['GET', '/api/stores/..%2F..', undefined, {}],
      ['GET', '/api/coupons/%E4%B8%AD', undefined, {}],
      ['POST', '/api/offers/latte-10off/claim', {}, {}],
      ['POST', '/api/offers/latte-10off/claim', {}, { 'idempotency-key': 'short' }],
      ['POST', '/api/offers/latte-10off/claim', {}, { 'idempotency-key': 'has spaces in it!' }],
      ['POST', '/api/offers/latte-10off/claim', { ch: 'NOT_LOWER' }, { 'idempotency-key': newKey() }],
      ['POST', '/api/offers/latte-10off/claim', { extra: 1 }, { 'idempotency-key': newKey() }],
      ['POST', '/api/offers/latte-10off/claim', [1, 2], { 'idempotency-key': newKey() }],
      ['POST', '/api/offers/latte-10off/claim', 'just a string', { 'idempotency-key': newKey() }],
      ['POST', '/api/offers/latte-10off/views', { ch: 123 }, {}],
      ['GET', '/auth/wechat/login?scope=snsapi_everything', undefined, {}],
      ['GET', `/auth/wechat/login?return=/${'a'.repeat(2100)}`, undefined, {}],
      ['GET', '/auth/wechat/callback?code=x&state=x&state=y', undefined, {}],
    ].map(([m, p, b, h]) => [m, label(p as string), p, b, h] as const),
  )('%s %s', async (method, _label, path, body, headers) => {
    const res = await phone.request(method as string, path as string, {
      body,
      headers: headers as Record<string, string>,
    })
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(500)
    if (res.json) {
      expect(res.json.error.code).toMatch(/^[a-z_]+$/)
      expect(typeof res.json.error.message).toBe('string')
    }
  })

  it('answers unparsable JSON with invalid_request', async () => {
    const res = await fetch(`${t.url}/api/offers/latte-10off/claim`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': newKey(), cookie: phone.cookieHeader() },
      body: '{"ch":',
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as any).error.code).toBe('invalid_request')
  })

  it('answers an oversized body with a 4xx', async () => {
    const res = await fetch(`${t.url}/api/offers/latte-10off/claim`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': newKey(), cookie: phone.cookieHeader() },
      body: JSON.stringify({ ch: 'x'.repeat(200_000) }),
    })
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(500)
  })

  it('ignores a forged session cookie', async () => {
    const res = await fetch(`${t.url}/api/me`, {
      headers: { cookie: 'kq_sid=eyJ1aWQiOiJ4IiwiZXhwIjo5OTk5OTk5OTk5fQ.forged' },
    })
    expect(res.status).toBe(401)
  })

  it('rate-limits a user hammering the claim endpoint', async () => {
    const p = new Phone(t.url)
    await p.login()
    const statuses: number[] = []
    for (let i = 0; i < 35; i++)
      statuses.push((await p.post('/api/offers/latte-10off/claim', {}, { 'idempotency-key': newKey() })).status)
    expect(statuses).toContain(429)
    const last = await p.post('/api/offers/latte-10off/claim', {}, { 'idempotency-key': newKey() })
    expect(last.json.error.code).toBe('rate_limited')
  })
})
