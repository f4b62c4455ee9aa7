/**
 * The sandbox's edge: every query, params and body is read with a schema. WeChat's API routes
 * answer malformed arguments as WeChat does (its error JSON, HTTP 200); the sandbox's screens
 * answer with a page; no NUL character reaches the database on either engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sandboxDb } from '../../src/server/sandbox/schema.ts'
import { startTestApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let token: string
beforeAll(async () => {
  t = await startTestApp()
  const res = await fetch(`${t.url}/__wx/api/cgi-bin/stable_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credential', appid: t.config.wx.appId, secret: t.config.wx.appSecret }),
  })
  token = ((await res.json()) as { access_token: string }).access_token
})
afterAll(async () => {
  await t?.close()
})

async function call(method: string, path: string, body?: unknown, contentType = 'application/json') {
  const res = await fetch(`${t.url}${path.replaceAll('TOKEN', token)}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': contentType },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    redirect: 'manual',
  })
  const text = await res.text()
  let json: any = null
  try {
    json = JSON.parse(text)
  } catch {
    /* a page */
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json }
}

describe("the sandbox's WeChat APIs answer malformed arguments with WeChat's 40097", () => {
  const creds = () => `appid=${t.config.wx.appId}&secret=${t.config.wx.appSecret}`
  it.each([
    [
      'a repeated appid on cgi-bin/token',
      'GET',
      () => `/__wx/api/cgi-bin/token?grant_type=client_credential&${creds()}&appid=x`,
    ],
    [
      'a repeated access_token on getticket',
      'GET',
      () => '/__wx/api/cgi-bin/ticket/getticket?access_token=TOKEN&access_token=TOKEN&type=jsapi',
    ],
    [
      'a repeated type on getticket',
      'GET',
      () => '/__wx/api/cgi-bin/ticket/getticket?access_token=TOKEN&type=jsapi&type=wx_card',
    ],
    [
      'a repeated code on sns/oauth2/access_token',
      'GET',
      () => `/__wx/api/sns/oauth2/access_token?${creds()}&code=a&code=b&grant_type=authorization_code`,
    ],
    [
      'a repeated refresh_token on sns/oauth2/refresh_token',
      'GET',
      () =>
        `/__wx/api/sns/oauth2/refresh_token?appid=${t.config.wx.appId}&grant_type=refresh_token&refresh_token=a&refresh_token=b`,
    ],
    ['a repeated access_token on sns/auth', 'GET', () => '/__wx/api/sns/auth?access_token=a&access_token=b&openid=o'],
    ['a repeated openid on sns/userinfo', 'GET', () => '/__wx/api/sns/userinfo?access_token=a&openid=o&openid=p'],
  ])('%s', async (_name, method, path) => {
    const res = await call(method, path())
    expect(res.status).toBe(200)
    expect(res.json.errcode).toBe(40097)
  })

  it.each([
    ['/card/code/decrypt', { encrypt_code: 'x' }],
    ['/card/code/get', { code: '1' }],
    ['/card/code/consume', { code: '1' }],
    ['/card/get', { card_id: 'x' }],
  ])('a repeated access_token on %s', async (path, body) => {
    const res = await call('POST', `/__wx/api${path}?access_token=TOKEN&access_token=TOKEN`, body)
    expect(res.status).toBe(200)
    expect(res.json.errcode).toBe(40097)
  })

  it.each([
    ['/cgi-bin/stable_token', { grant_type: 'client_credential', appid: ['a', 'b'], secret: 's' }],
    ['/cgi-bin/stable_token', { grant_type: 'client_credential', appid: 'a', secret: 's', force_refresh: 'yes' }],
    ['/card/code/decrypt?access_token=TOKEN', { encrypt_code: ['a'] }],
    ['/card/code/get?access_token=TOKEN', { code: { $ne: '' } }],
    ['/card/code/get?access_token=TOKEN', { code: '1', check_consume: 'true' }],
    ['/card/code/consume?access_token=TOKEN', { code: ['1', '2'] }],
    ['/card/code/consume?access_token=TOKEN', 'not json at all'],
    ['/card/get?access_token=TOKEN', { card_id: 12 }],
  ])('a wrongly typed body on %s: %j', async (path, body) => {
    const res = await call('POST', `/__wx/api${path}`, body, typeof body === 'string' ? 'text/plain' : undefined)
    expect(res.status).toBeLessThan(500)
    if (res.status === 200) expect(res.json.errcode).toBe(40097)
    else expect(res.json.error.code).toBe('invalid_request')
  })

  it('still answers a well-formed call as before', async () => {
    const res = await call('GET', '/__wx/api/cgi-bin/ticket/getticket?access_token=TOKEN&type=jsapi')
    expect(res.json).toMatchObject({ errcode: 0, errmsg: 'ok' })
    expect(typeof res.json.ticket).toBe('string')
  })
})

describe("the sandbox's screens answer malformed requests with a page", () => {
  it('the persona list with a repeated return', async () => {
    const res = await call('GET', '/__wx/personas?return=/a&return=/b')
    expect(res.status).toBe(400)
    expect(res.type).toMatch(/^text\/html/)
    expect(res.text).toContain('参数错误')
  })

  it.each(['/__wx/personas/switch', '/__wx/personas/new', '/__wx/personas/snapshot'])(
    '%s with a body of the wrong shape',
    async path => {
      const res = await call('POST', path, { openid: ['a', 'b'], return: { x: 1 } })
      expect(res.status).toBe(400)
      expect(res.type).toMatch(/^text\/html/)
    },
  )

  it('the authorize screen with a repeated state: WeChat\u2019s error page', async () => {
    const redirect = encodeURIComponent(`${t.url}/auth/wechat/callback`)
    const res = await call(
      'GET',
      `/__wx/connect/oauth2/authorize?appid=${t.config.wx.appId}&redirect_uri=${redirect}&response_type=code&scope=snsapi_base&state=a&state=b`,
    )
    expect(res.status).toBe(200)
    expect(res.text).toContain('该链接无法访问')
  })

  it('the consent decision with arrays for its fields: WeChat\u2019s error page', async () => {
    const res = await call('POST', '/__wx/connect/oauth2/authorize/decision', {
      appid: [t.config.wx.appId],
      redirect_uri: [`${t.url}/auth/wechat/callback`],
      decision: 'allow',
    })
    expect(res.status).toBe(200)
    expect(res.text).toContain('该链接无法访问')
    expect(res.text).toContain('10003')
  })

  it('the bridge with repeated card ids: a JSON 400', async () => {
    const res = await call('GET', '/__wx/bridge/cards?ids=a&ids=b')
    expect(res.status).toBe(400)
    expect(res.json.error.code).toBe('invalid_request')
  })
})

describe('NUL characters are refused at the edge, once, for every route', () => {
  const users = async () => (await sandboxDb(t.database.db).selectFrom('sandbox_users').selectAll().execute()).length
  it.each([
    ['GET', '/__wx/avatar/%00', undefined, undefined],
    ['GET', '/__wx/avatar/o%00x.svg', undefined, undefined],
    ['POST', '/__wx/personas/switch', 'openid=%00&return=/', 'application/x-www-form-urlencoded'],
    ['POST', '/__wx/personas/snapshot', 'openid=o%00', 'application/x-www-form-urlencoded'],
    ['POST', '/__wx/personas/new', 'return=/%00', 'application/x-www-form-urlencoded'],
    ['GET', '/__wx/personas?return=/%00', undefined, undefined],
    ['POST', '/__wx/api/card/code/get?access_token=TOKEN', { code: '1\u0000' }, undefined],
    ['POST', '/__wx/api/card/code/consume?access_token=TOKEN', { code: '1\u0000', card_id: 'x' }, undefined],
    ['POST', '/__wx/api/card/get?access_token=TOKEN', { card_id: '\u0000' }, undefined],
    ['POST', '/__wx/api/card/code/decrypt?access_token=TOKEN%00', { encrypt_code: 'x' }, undefined],
    ['GET', `/__wx/api/sns/oauth2/access_token?code=%00&grant_type=authorization_code`, undefined, undefined],
    ['GET', '/__wx/api/cgi-bin/ticket/getticket?access_token=%00&type=jsapi', undefined, undefined],
    ['POST', '/__wx/bridge/add-card', { card_list: [{ card_id: 'p\u0000', card_ext: '{}' }] }, undefined],
    ['POST', '/__wx/bridge/wallet/consume', { code: '\u0000' }, undefined],
    ['POST', '/__wx/faults', { target: '/card/get', mode: '-1', count: 1, x: { deep: ['\u0000'] } }, undefined],
    ['GET', '/o/%00', undefined, undefined],
    ['GET', '/api/offers/latte%00', undefined, undefined],
    ['POST', '/api/offers/latte-10off/views', { ch: 'share\u0000' }, undefined],
    ['POST', '/api/redeem', { code: '1234\u0000', storeId: 'nanjingxilu' }, undefined],
  ])('%s %s', async (method, path, body, contentType) => {
    const before = await users()
    const res = await call(method, path, body, contentType)
    expect(res.status).toBe(400)
    expect(res.json.error.code).toBe('invalid_request')
    expect(await users()).toBe(before)
  })
})
