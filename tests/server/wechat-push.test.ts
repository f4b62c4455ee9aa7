import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jssdkSignature, pushSignature } from '../../src/server/wechat/sign.ts'
import { sealPush } from '../../src/server/wechat/push.ts'
import type { PushEvent } from '../../src/server/wechat/push.ts'
import { startTestApp, type TestApp } from '../helpers/app.ts'

const OLD_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
const NEW_KEY = 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut'
const handled: PushEvent[] = []
let t: TestApp
beforeAll(async () => {
  t = await startTestApp({
    env: { WX_AES_KEY: NEW_KEY, WX_AES_KEY_PREVIOUS: OLD_KEY },
    pushHandlers: {
      user_get_card: async (_trx, e) => {
        handled.push(e)
      },
    },
  })
})
afterAll(async () => {
  await t.close()
})

let n = 0
function event(overrides: Record<string, string | number> = {}) {
  n++
  return {
    ToUserName: 'gh_fc0a06a20993',
    FromUserName: 'oZI8Fj040-be6rlDohc6gkoPOQTQ',
    CreateTime: t.clock.now() + n,
    MsgType: 'event',
    Event: 'user_get_card',
    CardId: 'pZI8Fjwsy5fVPRBeD78J4RmqVvBc',
    IsGiveByFriend: 0,
    UserCardCode: `22600985${String(n).padStart(4, '0')}`,
    OuterStr: 'share',
    ...overrides,
  }
}
const cfg = (aesKey = NEW_KEY) => ({ appId: t.config.wx.appId, token: t.config.wx.token, aesKey, previousAesKey: null })

async function push(sealed: { query: Record<string, string>; body: string }, contentType = 'text/xml') {
  const res = await fetch(`${t.url}/wechat/push?${new URLSearchParams(sealed.query)}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: sealed.body,
  })
  return { status: res.status, text: await res.text() }
}
const rows = async () => (await t.database.db.selectFrom('wx_push_events').selectAll().execute()).length

describe('WeChat server verification', () => {
  it('echoes echostr when the signature matches', async () => {
    const q = { timestamp: '1714037059', nonce: '486452656', echostr: 'hello123' }
    const res = await fetch(
      `${t.url}/wechat/push?${new URLSearchParams({ ...q, signature: pushSignature([t.config.wx.token, q.timestamp, q.nonce]) })}`,
    )
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('hello123')
  })

  it('answers 401 to a wrong signature', async () => {
    const res = await fetch(`${t.url}/wechat/push?signature=0000&timestamp=1&nonce=2&echostr=x`)
    expect(res.status).toBe(401)
    expect(((await res.json()) as any).error.code).toBe('unauthenticated')
  })
})

describe('WeChat event push', () => {
  it('accepts a plaintext push and hands it to its domain handler', async () => {
    const e = event()
    const res = await push(sealPush(cfg(), e, { timestamp: t.clock.now(), nonce: '1001', safe: false }))
    expect(res).toEqual({ status: 200, text: 'success' })
    expect(handled.at(-1)).toMatchObject({ UserCardCode: e.UserCardCode, OuterStr: 'share', Event: 'user_get_card' })
  })

  it('accepts a safe-mode push encrypted with the current key', async () => {
    const e = event()
    expect((await push(sealPush(cfg(), e, { timestamp: t.clock.now(), nonce: '1002', safe: true }))).text).toBe(
      'success',
    )
    expect(handled.at(-1)!.UserCardCode).toBe(e.UserCardCode)
  })

  it('still accepts a push encrypted with the previous key after a rotation', async () => {
    const e = event()
    expect((await push(sealPush(cfg(OLD_KEY), e, { timestamp: t.clock.now(), nonce: '1003', safe: true }))).text).toBe(
      'success',
    )
    expect(handled.at(-1)!.UserCardCode).toBe(e.UserCardCode)
  })

  it('refuses a push encrypted with an unknown key, changing nothing', async () => {
    const before = await rows()
    const res = await push(
      sealPush(cfg('0123456789abcdefghijklmnopqrstuvwxyzABCDEFG'), event(), {
        timestamp: t.clock.now(),
        nonce: '1004',
        safe: true,
      }),
    )
    expect(res.status).toBe(400)
    expect(await rows()).toBe(before)
  })

  it('refuses a bad signature with 401 without touching state', async () => {
    const before = { rows: await rows(), handled: handled.length }
    const sealed = sealPush(cfg(), event(), { timestamp: t.clock.now(), nonce: '1005', safe: false })
    sealed.query.signature = 'f'.repeat(40)
    expect((await push(sealed)).status).toBe(401)
    const safe = sealPush(cfg(), event(), { timestamp: t.clock.now(), nonce: '1006', safe: true })
    safe.query.msg_signature = 'f'.repeat(40)
    expect((await push(safe)).status).toBe(401)
    expect({ rows: await rows(), handled: handled.length }).toEqual(before)
  })

  it('refuses a push replayed outside the 5-minute window', async () => {
    const before = handled.length
    expect(
      (await push(sealPush(cfg(), event(), { timestamp: t.clock.now() - 301, nonce: '1007', safe: true }))).status,
    ).toBe(401)
    expect(
      (await push(sealPush(cfg(), event(), { timestamp: t.clock.now() + 301, nonce: '1008', safe: false }))).status,
    ).toBe(401)
    expect(handled.length).toBe(before)
  })

  it('handles a repeated event once and answers success both times', async () => {
    const e = event()
    const before = handled.length
    expect((await push(sealPush(cfg(), e, { timestamp: t.clock.now(), nonce: '1009', safe: true }))).text).toBe(
      'success',
    )
    // WeChat's retry: same event, new nonce and signature.
    expect((await push(sealPush(cfg(), e, { timestamp: t.clock.now(), nonce: '1010', safe: false }))).text).toBe(
      'success',
    )
    expect(handled.length).toBe(before + 1)
  })

  it.each([
    ['not XML at all', 'hello'],
    ['unclosed tags', '<xml><FromUserName>abc</xml>'],
    ['an empty body', ''],
    ['XML without the xml root', '<doc><a>1</a></doc>'],
    ['XML missing the required fields', '<xml><Foo>1</Foo></xml>'],
  ])('answers 400 to a correctly signed push with %s', async (_name, body) => {
    const sealed = sealPush(cfg(), event(), { timestamp: t.clock.now(), nonce: '1011', safe: false })
    const res = await push({ query: sealed.query, body })
    expect(res.status).toBe(400)
    expect(JSON.parse(res.text).error.code).toBe('invalid_request')
  })

  it('answers 400 to a safe-mode push whose Encrypt is garbage', async () => {
    const q = { timestamp: String(t.clock.now()), nonce: '1012' }
    const enc = 'bm90IGEgcmVhbCBjaXBoZXJ0ZXh0'
    const query = {
      ...q,
      signature: pushSignature([t.config.wx.token, q.timestamp, q.nonce]),
      encrypt_type: 'aes',
      msg_signature: pushSignature([t.config.wx.token, q.timestamp, q.nonce, enc]),
    }
    expect((await push({ query, body: `<xml><Encrypt><![CDATA[${enc}]]></Encrypt></xml>` })).status).toBe(400)
  })
})

describe('wx.config signing', () => {
  const sign = (url: string) =>
    fetch(`${t.url}/api/jssdk/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url }),
    })

  it('signs the page URL without its fragment, with the cached jsapi ticket', async () => {
    const res = await sign(`${t.url}/o/latte-10off?ch=share&ref=a#section`)
    expect(res.status).toBe(200)
    const c = (await res.json()) as any
    expect(c.appId).toBe(t.config.wx.appId)
    const row = await t.database.db
      .selectFrom('wx_credentials')
      .select('value')
      .where('kind', '=', 'jsapi')
      .executeTakeFirstOrThrow()
    expect(c.signature).toBe(
      jssdkSignature({
        jsapiTicket: row.value!,
        nonceStr: c.nonceStr,
        timestamp: String(c.timestamp),
        url: `${t.url}/o/latte-10off?ch=share&ref=a`,
      }),
    )
    const again = (await (await sign(`${t.url}/o/latte-10off`)).json()) as any
    expect(again.nonceStr).not.toBe(c.nonceStr)
  })

  it.each(['https://evil.example/o/1', 'javascript:alert(1)', 'not a url', ''])('refuses to sign %s', async url => {
    const res = await sign(url)
    expect(res.status).toBe(400)
  })
})
