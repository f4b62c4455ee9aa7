import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Credentials } from '../../src/server/wechat/credentials.ts'
import { WxClient } from '../../src/server/wechat/client.ts'
import { WeChatError } from '../../src/server/wechat/errors.ts'
import { planFault, startTestApp, type TestApp, testClock, wxCalls } from '../helpers/app.ts'
import { sandboxDb } from '../../src/server/sandbox/schema.ts'

let a: TestApp
let b: TestApp
const clock = testClock()
beforeAll(async () => {
  a = await startTestApp({ clock })
  // A second server process on the same database, with its own sandbox in front of the same state.
  b = await startTestApp({ clock, database: a.database })
})
afterAll(async () => {
  await b.close()
  await a.close()
})
afterEach(async () => {
  await fetch(`${a.url}/__wx/faults`, { method: 'DELETE' })
  await a.database.db.deleteFrom('wx_credentials').execute()
  await sandboxDb(a.database.db).deleteFrom('sandbox_calls').execute()
})

const creds = (t: TestApp) => new Credentials(t.database.db, clock, t.config.wx)

describe('shared WeChat credentials', () => {
  it('fetches one token and one ticket for 50 concurrent page signatures across two servers', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const t = i % 2 ? a : b
        return fetch(`${t.url}/api/jssdk/config`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ url: `${t.url}/o/latte-10off` }),
        }).then(r => r.status)
      }),
    )
    expect(results.every(s => s === 200)).toBe(true)
    const calls = await wxCalls(a)
    expect(calls['/cgi-bin/stable_token']).toBe(1)
    expect(calls['/cgi-bin/ticket/getticket']).toBe(1)
  })

  it('keeps the jsapi ticket and the card ticket apart, one fetch each, from two processes at once', async () => {
    const one = creds(a)
    const two = creds(b)
    const got = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? one : two).get(i % 4 < 2 ? 'jsapi' : 'wx_card')),
    )
    const jsapi = new Set(got.filter((_, i) => i % 4 < 2))
    const card = new Set(got.filter((_, i) => i % 4 >= 2))
    expect(jsapi.size).toBe(1)
    expect(card.size).toBe(1)
    expect([...jsapi][0]).not.toBe([...card][0])
    const calls = await wxCalls(a)
    expect(calls['/cgi-bin/stable_token']).toBe(1)
    expect(calls['/cgi-bin/ticket/getticket']).toBe(2)
  })

  it('reuses the cached token until it nears expiry, then refreshes once', async () => {
    const c = creds(a)
    const first = await c.get('access_token')
    expect(await c.get('access_token')).toBe(first)
    clock.advance(7200 - 300)
    const second = await c.get('access_token')
    clock.advance(-(7200 - 300))
    expect(second).not.toBe(first)
    expect((await wxCalls(a))['/cgi-bin/stable_token']).toBe(2)
  })

  it('uses /cgi-bin/token when configured for the classic endpoint', async () => {
    const c = new Credentials(a.database.db, clock, { ...a.config.wx, tokenEndpoint: 'classic' })
    expect(await c.get('access_token')).toMatch(/^ACCESS_/)
    expect((await wxCalls(a))['/cgi-bin/token']).toBe(1)
  })

  it('heals a 40001 with exactly one token refetch and one retry', async () => {
    const client = new WxClient(creds(a), { apiBase: a.config.wx.apiBase })
    await client.credentials.get('access_token')
    await planFault(a, '/cgi-bin/ticket/getticket', '40001', 1)
    const r = await client.call<{ ticket: string }>('/cgi-bin/ticket/getticket', undefined, { type: 'jsapi' })
    expect(r.ticket).toBeTruthy()
    const calls = await wxCalls(a)
    expect(calls['/cgi-bin/stable_token']).toBe(2)
    expect(calls['/cgi-bin/ticket/getticket']).toBe(2)
  })

  it('does not loop when WeChat keeps answering 40001', async () => {
    const client = new WxClient(creds(a), { apiBase: a.config.wx.apiBase })
    await planFault(a, '/cgi-bin/ticket/getticket', '40001', 5)
    await expect(client.call('/cgi-bin/ticket/getticket', undefined, { type: 'jsapi' })).rejects.toMatchObject({
      errcode: 40001,
    })
    const calls = await wxCalls(a)
    expect(calls['/cgi-bin/stable_token']).toBe(2)
    expect(calls['/cgi-bin/ticket/getticket']).toBe(2)
  })

  it('retries a busy WeChat (-1) with backoff and succeeds when it clears', async () => {
    const client = new WxClient(creds(a), { apiBase: a.config.wx.apiBase })
    await client.credentials.get('access_token')
    await planFault(a, '/cgi-bin/ticket/getticket', '-1', 2)
    const r = await client.call<{ ticket: string }>('/cgi-bin/ticket/getticket', undefined, { type: 'jsapi' })
    expect(r.ticket).toBeTruthy()
    expect((await wxCalls(a))['/cgi-bin/ticket/getticket']).toBe(3)
  })

  it('gives up on a WeChat that hangs past the deadline with a typed error', async () => {
    const client = new WxClient(creds(a), { apiBase: a.config.wx.apiBase, timeoutMs: 300, deadlineMs: 1000 })
    await client.credentials.get('access_token')
    await planFault(a, '/cgi-bin/ticket/getticket', 'hang', 10)
    const err = (await client
      .call('/cgi-bin/ticket/getticket', undefined, { type: 'jsapi' })
      .catch((e: unknown) => e)) as WeChatError
    expect(err).toBeInstanceOf(WeChatError)
    expect(err.transient).toBe(true)
  })

  it('backs off after a failed refresh instead of burning the daily quota', async () => {
    const c = creds(a)
    await planFault(a, '/cgi-bin/stable_token', '-1', 3)
    await expect(c.get('access_token')).rejects.toBeInstanceOf(WeChatError)
    // Within the backoff window nobody calls WeChat again.
    for (let i = 0; i < 5; i++) await expect(c.get('access_token')).rejects.toBeInstanceOf(WeChatError)
    expect((await wxCalls(a))['/cgi-bin/stable_token']).toBe(1)
    clock.advance(1)
    await expect(c.get('access_token')).rejects.toBeInstanceOf(WeChatError)
    expect((await wxCalls(a))['/cgi-bin/stable_token']).toBe(2)
    clock.advance(1)
    await expect(c.get('access_token')).rejects.toBeInstanceOf(WeChatError)
    expect((await wxCalls(a))['/cgi-bin/stable_token']).toBe(2)
    clock.advance(1)
    await expect(c.get('access_token')).rejects.toBeInstanceOf(WeChatError)
    clock.advance(4)
    expect(await c.get('access_token')).toMatch(/^STABLE_/)
    expect((await wxCalls(a))['/cgi-bin/stable_token']).toBe(4)
    clock.advance(-7)
  })

  it('never puts the secret or a token in an error message', async () => {
    const c = new Credentials(a.database.db, clock, { ...a.config.wx, appSecret: 'wrong-secret-value-123' })
    const err = (await c.get('access_token').catch((e: unknown) => e as Error)) as Error
    expect(err.message).toContain('40125')
    expect(err.message).not.toContain('wrong-secret-value-123')
  })
})

describe('the sandbox’s token rules', () => {
  const classic = () =>
    fetch(
      `${a.url}/__wx/api/cgi-bin/token?grant_type=client_credential&appid=${a.config.wx.appId}&secret=${a.config.wx.appSecret}`,
    ).then(r => r.json() as any)
  const ticket = (token: string) =>
    fetch(`${a.url}/__wx/api/cgi-bin/ticket/getticket?access_token=${token}&type=jsapi`).then(r => r.json() as any)

  it('keeps a superseded /cgi-bin/token token working for 5 minutes only', async () => {
    const old = (await classic()).access_token
    await classic()
    expect((await ticket(old)).errcode).toBe(0)
    clock.advance(300)
    expect((await ticket(old)).errcode).toBe(40001)
    clock.advance(-300)
  })

  it('answers 40097 for an unknown ticket type', async () => {
    const token = (await classic()).access_token
    const r = await fetch(`${a.url}/__wx/api/cgi-bin/ticket/getticket?access_token=${token}&type=nope`).then(
      r => r.json() as any,
    )
    expect(r.errcode).toBe(40097)
  })
})
