import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Phone } from '../helpers/phone.ts'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { sandboxDb } from '../../src/server/sandbox/schema.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => {
  await t.close()
})

/** Starts a login and stops at WeChat's authorize URL; returns the state and where the sandbox would send us. */
async function startLogin(phone: Phone, ret = '/o/latte-10off') {
  const hop = await phone.get(`/auth/wechat/login?return=${encodeURIComponent(ret)}`)
  const authorize = new URL(hop.location!)
  return { hop, authorize, state: authorize.searchParams.get('state')! }
}

/** Lets the sandbox answer the authorize URL and returns the callback URL it redirects to. */
async function authorize(phone: Phone, authorizeUrl: URL) {
  const hop = await phone.get(authorizeUrl.toString().split('#')[0]!)
  expect(hop.status).toBe(302)
  return new URL(hop.location!)
}

/** Starts a login for `ret` and lets the sandbox authorize it: the callback URL WeChat would send the browser to. */
async function callbackFor(phone: Phone, ret = '/o/latte-10off') {
  const { authorize: a } = await startLogin(phone, ret)
  return authorize(phone, a)
}

/** Answers the snsapi_userinfo consent screen of the authorize URL in `location` with 允许. */
async function allow(phone: Phone, location: string) {
  const a = new URL(location)
  const form = Object.fromEntries(['appid', 'redirect_uri', 'scope', 'state'].map(k => [k, a.searchParams.get(k)!]))
  const allowed = await phone.request('POST', '/__wx/connect/oauth2/authorize/decision', {
    form: { ...form, decision: 'allow' },
  })
  const callback = new URL(allowed.location!)
  return phone.get(callback.pathname + callback.search)
}

describe('WeChat web login', () => {
  it('redirects to WeChat with the parameters in the order WeChat requires', async () => {
    const phone = new Phone(t.url)
    const { hop, authorize: url, state } = await startLogin(phone)
    expect(hop.status).toBe(302)
    expect(hop.location).toMatch(
      new RegExp(
        `^${t.config.wx.oauthBase}/connect/oauth2/authorize\\?appid=${t.config.wx.appId}&redirect_uri=${encodeURIComponent(`${t.url}/auth/wechat/callback`).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}&response_type=code&scope=snsapi_base&state=[A-Za-z0-9]+#wechat_redirect$`,
      ),
    )
    expect(state.length).toBeLessThanOrEqual(128)
    expect(url.searchParams.get('scope')).toBe('snsapi_base')
  })

  it('asks for snsapi_userinfo only when requested', async () => {
    const phone = new Phone(t.url)
    const hop = await phone.get('/auth/wechat/login?scope=snsapi_userinfo&return=%2F')
    expect(new URL(hop.location!).searchParams.get('scope')).toBe('snsapi_userinfo')
  })

  it('logs in silently and returns to the page it started from', async () => {
    const phone = new Phone(t.url)
    const hops = await phone.login('/o/latte-10off?ch=share&ref=abc')
    expect(hops.at(-1)!.location).toBe('/o/latte-10off?ch=share&ref=abc')
    const me = await phone.get('/api/me')
    expect(me.status).toBe(200)
    expect(me.json.user.openid).toMatch(/^o[A-Za-z0-9]{27}$/)
    expect(me.json.user.isSnapshot).toBe(false)
  })

  it('sets an HttpOnly, SameSite=Lax session cookie', async () => {
    const phone = new Phone(t.url)
    const callback = await callbackFor(phone)
    const res = await fetch(callback, { redirect: 'manual', headers: { cookie: phone.cookieHeader() } })
    const cookie = res.headers.getSetCookie().find(c => c.startsWith('kq_sid='))!
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
  })

  it('keeps the same openid for the same phone and gives another phone another one', async () => {
    const a = new Phone(t.url)
    await a.login()
    const first = (await a.get('/api/me')).json.user.openid
    a.cookies.delete('kq_sid')
    await a.login()
    expect((await a.get('/api/me')).json.user.openid).toBe(first)
    const b = new Phone(t.url)
    await b.login()
    expect((await b.get('/api/me')).json.user.openid).not.toBe(first)
  })

  it('answers /api/me with 401 before login', async () => {
    const res = await new Phone(t.url).get('/api/me')
    expect(res.status).toBe(401)
    expect(res.json.error.code).toBe('unauthenticated')
  })

  it.each([
    ['an absolute URL', 'https://evil.example/'],
    ['a protocol-relative URL', '//evil.example/x'],
    ['a backslash trick', '/\\evil.example'],
    ['a relative path', 'o/1'],
    ['a dot-segment escape', '/..//evil.example'],
    ['an encoded dot-segment escape', '/%2e%2e//evil.example'],
  ])('refuses a return that is %s', async (_name, ret) => {
    const res = await new Phone(t.url).get(`/auth/wechat/login?return=${encodeURIComponent(ret)}`)
    expect(res.status).toBe(400)
    expect(res.json.error.code).toBe('invalid_request')
  })

  it('refuses a forged state without calling WeChat', async () => {
    const phone = new Phone(t.url)
    const callback = await callbackFor(phone)
    const realState = callback.searchParams.get('state')!
    phone.cookies.delete('kq_oauth_state')
    callback.searchParams.set('state', 'ForgedState0123456789abcd')
    const res = await phone.get(callback.pathname + callback.search)
    expect(res.status).toBe(400)
    expect(res.body).toContain('登录链接无效')
    expect((await phone.get('/api/me')).status).toBe(401)
    // The code was not spent: the real state can still use it.
    callback.searchParams.set('state', realState)
    const ok = await phone.get(callback.pathname + callback.search)
    expect(ok.status).toBe(302)
    expect((await phone.get('/api/me')).status).toBe(200)
  })

  it('refuses a state that does not match the login-start cookie', async () => {
    const victim = new Phone(t.url)
    await startLogin(victim)
    const attacker = new Phone(t.url)
    const { authorize: a } = await startLogin(attacker)
    const callback = await authorize(attacker, a)
    const res = await victim.get(callback.pathname + callback.search)
    expect(res.status).toBe(403)
    expect((await victim.get('/api/me')).status).toBe(401)
  })

  it('finishes the login when WeChat’s browser dropped the login-start cookie', async () => {
    const phone = new Phone(t.url)
    const callback = await callbackFor(phone, '/me/coupons')
    phone.cookies.delete('kq_oauth_state')
    const res = await phone.get(callback.pathname + callback.search)
    expect(res.status).toBe(302)
    expect(res.location).toBe('/me/coupons')
    expect((await phone.get('/api/me')).status).toBe(200)
  })

  it('restarts an expired login once, then shows a friendly page instead of looping', async () => {
    const phone = new Phone(t.url)
    const callback = await callbackFor(phone, '/me/coupons')
    t.clock.advance(11 * 60)
    const retry = await phone.get(callback.pathname + callback.search)
    expect(retry.status).toBe(302)
    expect(retry.location).toContain('/connect/oauth2/authorize')
    // The retry's state expires too: this time the person gets a page, not another redirect.
    const callback2 = await authorize(phone, new URL(retry.location!))
    t.clock.advance(11 * 60)
    const final = await phone.get(callback2.pathname + callback2.search)
    expect(final.status).toBe(400)
    expect(final.body).toContain('登录没有完成')
    t.clock.advance(-22 * 60)
  })

  it('continues to the page when a refreshed callback replays its code with a live session', async () => {
    const phone = new Phone(t.url)
    const callback = await callbackFor(phone, '/me/coupons')
    const first = await phone.get(callback.pathname + callback.search)
    expect(first.location).toBe('/me/coupons')
    const again = await phone.get(callback.pathname + callback.search)
    expect(again.status).toBe(302)
    expect(again.location).toBe('/me/coupons')
  })

  it('restarts the login once when a replayed callback arrives without a session', async () => {
    const phone = new Phone(t.url)
    const callback = await callbackFor(phone, '/me/coupons')
    await phone.get(callback.pathname + callback.search)
    const other = new Phone(t.url)
    const res = await other.get(callback.pathname + callback.search)
    expect(res.status).toBe(302)
    expect(res.location).toContain('/connect/oauth2/authorize')
    expect((await other.get('/api/me')).status).toBe(401)
  })

  it('recovers from a code WeChat refuses (40029) with one fresh login', async () => {
    const phone = new Phone(t.url)
    const { authorize: a, state } = await startLogin(phone, '/')
    const res = await phone.get(`/auth/wechat/callback?code=not-a-real-code&state=${state}`)
    expect(res.status).toBe(302)
    const retry = new URL(res.location!)
    expect(retry.pathname).toBe('/__wx/connect/oauth2/authorize')
    const callback = await authorize(phone, retry)
    const done = await phone.get(callback.pathname + callback.search)
    expect(done.location).toBe('/')
    expect((await phone.get('/api/me')).status).toBe(200)
    expect(a.searchParams.get('state')).not.toBe(retry.searchParams.get('state'))
  })

  it('treats a callback with no code as a refusal, without logging in', async () => {
    const phone = new Phone(t.url)
    const { state } = await startLogin(phone, '/')
    const res = await phone.get(`/auth/wechat/callback?state=${state}`)
    expect(res.status).toBe(200)
    expect(res.body).toContain('没有同意授权')
    expect((await phone.get('/api/me')).status).toBe(401)
  })

  it('shows a consent screen for snsapi_userinfo and fills in the profile after 允许', async () => {
    const phone = new Phone(t.url)
    const hop = await phone.get('/auth/wechat/login?scope=snsapi_userinfo&return=%2F')
    const screen = await phone.get(hop.location!.split('#')[0]!)
    expect(screen.status).toBe(200)
    expect(screen.body).toContain('允许')
    expect(screen.body).toContain('拒绝')
    await allow(phone, hop.location!)
    const me = await phone.get('/api/me')
    expect(me.json.user.nickname).toBeTruthy()
    expect(me.json.user.avatarUrl).toContain('/__wx/avatar/')
  })

  it('marks a snapshot-page user, who may browse but not claim', async () => {
    const phone = new Phone(t.url)
    await phone.login()
    const openid = (await phone.get('/api/me')).json.user.openid
    await sandboxDb(t.database.db)
      .updateTable('sandbox_users')
      .set({ snapshot: 1 })
      .where('openid', '=', openid)
      .execute()
    phone.cookies.delete('kq_sid')
    const hop = await phone.get('/auth/wechat/login?scope=snsapi_userinfo&return=%2F')
    await allow(phone, hop.location!)
    const me = await phone.get('/api/me')
    expect(me.json.user.isSnapshot).toBe(true)
    expect(me.json.user.openid).not.toBe(openid)
    const claim = await phone.post('/api/offers/latte-10off/claim', {}, { 'idempotency-key': 'snapshot-key-1' })
    expect(claim.status).toBe(403)
  })
})

describe('the sandbox’s WeChat OAuth API', () => {
  async function freshCode(phone: Phone) {
    const callback = await callbackFor(phone)
    return callback.searchParams.get('code')!
  }
  const api = (q: Record<string, string>) =>
    fetch(`${t.url}/__wx/api/sns/oauth2/access_token?${new URLSearchParams(q)}`).then(r => r.json())

  it('answers 40163 for a code used twice', async () => {
    const code = await freshCode(new Phone(t.url))
    const q = { appid: t.config.wx.appId, secret: t.config.wx.appSecret, code, grant_type: 'authorization_code' }
    expect((await api(q)).openid).toBeTruthy()
    expect((await api(q)).errcode).toBe(40163)
  })

  it('answers 40029 for an unknown or expired code', async () => {
    const q = {
      appid: t.config.wx.appId,
      secret: t.config.wx.appSecret,
      code: 'nope',
      grant_type: 'authorization_code',
    }
    expect((await api(q)).errcode).toBe(40029)
    const code = await freshCode(new Phone(t.url))
    t.clock.advance(301)
    expect((await api({ ...q, code })).errcode).toBe(40029)
    t.clock.advance(-301)
  })

  it('answers 40125 for a wrong secret', async () => {
    const code = await freshCode(new Phone(t.url))
    expect(
      (await api({ appid: t.config.wx.appId, secret: 'wrong', code, grant_type: 'authorization_code' })).errcode,
    ).toBe(40125)
  })

  it('shows WeChat’s error page for an authorize link with its parameters out of order', async () => {
    const res = await new Phone(t.url).get(
      `/__wx/connect/oauth2/authorize?redirect_uri=${encodeURIComponent(`${t.url}/auth/wechat/callback`)}&appid=${t.config.wx.appId}&response_type=code&scope=snsapi_base&state=abc`,
    )
    expect(res.body).toContain('该链接无法访问')
  })

  it('refuses a redirect_uri on another domain with 10003', async () => {
    const res = await new Phone(t.url).get(
      `/__wx/connect/oauth2/authorize?appid=${t.config.wx.appId}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&response_type=code&scope=snsapi_base&state=abc`,
    )
    expect(res.body).toContain('10003')
  })
})
