import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/server/app.ts'
import { loadConfig } from '../../src/server/config.ts'
import { encryptMessage } from '../../src/server/wechat/crypto.ts'
import { jssdkSignature, pushSignature } from '../../src/server/wechat/sign.ts'
import { sealPush } from '../../src/server/wechat/push.ts'
import type { PushEvent } from '../../src/server/wechat/push.ts'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { createTestDatabase } from '../helpers/db.ts'
import { withSandboxSecrets } from '../../src/server/sandbox/secrets.ts'

const OLD_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
const NEW_KEY = 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut'
const handled: PushEvent[] = []
const handlers = {
  user_get_card: async (_trx: unknown, e: PushEvent) => {
    handled.push(e)
  },
}
/** Safe mode (安全模式), the default: only encrypted pushes are accepted. */
let t: TestApp
/** Plaintext mode (明文模式), as WX_PUSH_MODE=plain configures it. */
let plain: TestApp
beforeAll(async () => {
  t = await startTestApp({ env: { WX_AES_KEY: NEW_KEY, WX_AES_KEY_PREVIOUS: OLD_KEY }, pushHandlers: handlers })
  // One clock for both, so a timestamp means the same to each.
  plain = await startTestApp({
    env: { WX_AES_KEY: NEW_KEY, WX_PUSH_MODE: 'plain' },
    pushHandlers: handlers,
    clock: t.clock,
  })
})
afterAll(async () => {
  await t?.close()
  await plain?.close()
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

async function push(
  sealed: { query: Record<string, string> | string; body: string },
  to = t,
  contentType = 'text/xml',
) {
  const res = await fetch(`${to.url}/wechat/push?${new URLSearchParams(sealed.query)}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: sealed.body,
  })
  return { status: res.status, text: await res.text() }
}
const rows = async (on = t) => (await on.database.db.selectFrom('wx_push_events').selectAll().execute()).length

/** The XML of a plaintext push, as sealPush writes it. */
const xmlOf = (fields: Record<string, string | number>) =>
  sealPush(cfg(), fields, { timestamp: t.clock.now(), nonce: 'x', safe: false }).body

/** A correctly signed query for a push, plaintext or (given the Encrypt field) safe mode. */
function signedQuery(nonce: string, encrypted?: string): Record<string, string> {
  const timestamp = String(t.clock.now())
  const q: Record<string, string> = {
    signature: pushSignature([t.config.wx.token, timestamp, nonce]),
    timestamp,
    nonce,
  }
  if (encrypted === undefined) return q
  return { ...q, encrypt_type: 'aes', msg_signature: pushSignature([t.config.wx.token, timestamp, nonce, encrypted]) }
}

/** Any inner XML, encrypted and signed as WeChat would send it in safe mode. */
function sealedRaw(inner: string, nonce: string) {
  const encrypted = encryptMessage(NEW_KEY, inner, t.config.wx.appId)
  return {
    query: signedQuery(nonce, encrypted),
    body: `<xml><ToUserName><![CDATA[gh_fc0a06a20993]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`,
  }
}

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
  it('accepts a plaintext push in plain mode and hands it to its domain handler', async () => {
    const e = event()
    const res = await push(sealPush(cfg(), e, { timestamp: t.clock.now(), nonce: '1001', safe: false }), plain)
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
    const before = { rows: await rows(), plainRows: await rows(plain), handled: handled.length }
    const sealed = sealPush(cfg(), event(), { timestamp: t.clock.now(), nonce: '1005', safe: false })
    sealed.query.signature = 'f'.repeat(40)
    expect((await push(sealed, plain)).status).toBe(401)
    const safe = sealPush(cfg(), event(), { timestamp: t.clock.now(), nonce: '1006', safe: true })
    safe.query.msg_signature = 'f'.repeat(40)
    expect((await push(safe)).status).toBe(401)
    const safeOuter = sealPush(cfg(), event(), { timestamp: t.clock.now(), nonce: '1006', safe: true })
    safeOuter.query.signature = 'f'.repeat(40)
    expect((await push(safeOuter)).status).toBe(401)
    expect({ rows: await rows(), plainRows: await rows(plain), handled: handled.length }).toEqual(before)
  })

  it('refuses a push replayed outside the 5-minute window', async () => {
    const before = handled.length
    expect(
      (await push(sealPush(cfg(), event(), { timestamp: t.clock.now() - 301, nonce: '1007', safe: true }))).status,
    ).toBe(401)
    expect(
      (await push(sealPush(cfg(), event(), { timestamp: t.clock.now() + 301, nonce: '1008', safe: true }))).status,
    ).toBe(401)
    expect(
      (await push(sealPush(cfg(), event(), { timestamp: t.clock.now() + 301, nonce: '1008', safe: false }), plain))
        .status,
    ).toBe(401)
    expect(handled.length).toBe(before)
  })

  it('handles a repeated event once and answers success both times', async () => {
    const e = event()
    const before = handled.length
    expect((await push(sealPush(cfg(), e, { timestamp: t.clock.now(), nonce: '1009', safe: true }))).text).toBe(
      'success',
    )
    // WeChat's retry: same event, new nonce and signatures.
    expect((await push(sealPush(cfg(), e, { timestamp: t.clock.now(), nonce: '1010', safe: true }))).text).toBe(
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
    const plainRes = await push({ query: signedQuery('1011'), body }, plain)
    expect(plainRes.status).toBe(400)
    expect(JSON.parse(plainRes.text).error.code).toBe('invalid_request')
    if (body === '') return
    const safeRes = await push(sealedRaw(body, '1011'))
    expect(safeRes.status).toBe(400)
    expect(JSON.parse(safeRes.text).error.code).toBe('invalid_request')
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

describe('the configured push mode decides, never the request', () => {
  it.each([
    ['no encrypt_type', {}],
    ['encrypt_type=raw', { encrypt_type: 'raw' }],
  ])('refuses a correctly signed plaintext push with %s in safe mode with 401, changing nothing', async (_n, extra) => {
    const before = { rows: await rows(), handled: handled.length }
    // A captured signature, timestamp and nonce carry any body in plaintext mode.
    const res = await push({ query: { ...signedQuery('2001'), ...extra }, body: xmlOf(event()) })
    expect(res.status).toBe(401)
    expect(JSON.parse(res.text).error.code).toBe('unauthenticated')
    expect({ rows: await rows(), handled: handled.length }).toEqual(before)
  })

  it('in plain mode ignores encrypt_type and msg_signature: the body is the push as it is', async () => {
    const e = event()
    const query = { ...signedQuery('2002'), encrypt_type: 'aes', msg_signature: 'f'.repeat(40) }
    expect(await push({ query, body: xmlOf(e) }, plain)).toEqual({ status: 200, text: 'success' })
    expect(handled.at(-1)!.UserCardCode).toBe(e.UserCardCode)
  })

  it('in plain mode takes even an encrypted body as it is, which holds no event: 400', async () => {
    // A safe-mode body reaching a plain-mode server has no event fields: WeChat never mixes them.
    const sealed = sealPush(cfg(), event(), { timestamp: t.clock.now(), nonce: '2003', safe: true })
    expect((await push(sealed, plain)).status).toBe(400)
  })
})

describe('hostile push input', () => {
  it.each(['signature', 'timestamp', 'nonce', 'msg_signature', 'encrypt_type'])(
    'answers 400 invalid_request to a repeated %s, changing nothing',
    async name => {
      const before = await rows()
      const sealed = sealPush(cfg(), event(), { timestamp: t.clock.now(), nonce: '3001', safe: true })
      const query = new URLSearchParams(sealed.query)
      query.append(name, sealed.query[name] ?? 'x')
      const res = await push({ query: query.toString(), body: sealed.body })
      expect(res.status).toBe(400)
      expect(JSON.parse(res.text).error.code).toBe('invalid_request')
      const verify = await fetch(`${t.url}/wechat/push?${query}&echostr=x`)
      expect(verify.status).toBe(400)
      expect(await rows()).toBe(before)
    },
  )

  it.each([
    ['FromUserName', { FromUserName: 'oZI8Fj040-be6rl\u0000hc6gkoPOQTQ' }],
    ['UserCardCode', { UserCardCode: '2260\u00000001' }],
    ['OuterStr', { OuterStr: 'share\u0000' }],
  ])('answers 400 to a correctly sealed safe-mode push with a NUL in %s, storing nothing', async (_n, fields) => {
    const before = { rows: await rows(), handled: handled.length }
    const res = await push(sealPush(cfg(), event(fields), { timestamp: t.clock.now(), nonce: '3002', safe: true }))
    expect(res.status).toBe(400)
    expect(JSON.parse(res.text).error.code).toBe('invalid_request')
    expect({ rows: await rows(), handled: handled.length }).toEqual(before)
  })

  const fields = () => xmlOf(event()).replace('<xml>', '').replace('</xml>', '')
  const laughs = Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('')
  it.each([
    [
      'a DOCTYPE with an internal entity',
      () =>
        `<!DOCTYPE xml [<!ENTITY who "oAttacker">]><xml>${fields().replace(/<FromUserName>.*?<\/FromUserName>/, '<FromUserName>&who;</FromUserName>')}</xml>`,
    ],
    [
      'an entity bomb',
      () => `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY l0 "ha">${laughs}]><xml>${fields()}<Bomb>&l9;</Bomb></xml>`,
    ],
    [
      'an external entity',
      () => `<!DOCTYPE xml [<!ENTITY ext SYSTEM "file:///etc/passwd">]><xml>${fields()}<X>&ext;</X></xml>`,
    ],
    ['tags nested 5,000 deep', () => `<xml>${fields()}${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</xml>`],
    ['a tag named __proto__', () => `<xml>${fields()}<__proto__><x>1</x></__proto__></xml>`],
    ['a character reference to NUL', () => `<xml>${fields()}<Note>a&#0;b</Note></xml>`],
    ['a character reference out of range', () => `<xml>${fields()}<Note>&#x110000;</Note></xml>`],
    ['a body over 64 KB', () => `<xml>${fields()}<Pad>${'x'.repeat(70_000)}</Pad></xml>`],
  ])('answers 400 to a correctly signed push carrying %s, storing nothing', async (_n, body) => {
    const before = { rows: await rows(), plainRows: await rows(plain), handled: handled.length }
    const plainRes = await push({ query: signedQuery('3003'), body: body() }, plain)
    expect(plainRes.status).toBe(400)
    expect(JSON.parse(plainRes.text).error.code).toBe('invalid_request')
    const safeRes = await push(sealedRaw(body(), '3004'))
    expect(safeRes.status).toBe(400)
    expect(JSON.parse(safeRes.text).error.code).toBe('invalid_request')
    expect({ rows: await rows(), plainRows: await rows(plain), handled: handled.length }).toEqual(before)
  })

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'records an event named %s once and answers success: it has no handler',
    async name => {
      const before = { rows: await rows(), handled: handled.length }
      const res = await push(
        sealPush(cfg(), event({ Event: name }), { timestamp: t.clock.now(), nonce: '3006', safe: true }),
      )
      expect(res).toEqual({ status: 200, text: 'success' })
      expect({ rows: await rows(), handled: handled.length }).toEqual({
        rows: before.rows + 1,
        handled: before.handled,
      })
    },
  )

  it('still reads the predefined entities and character references of plain XML text', async () => {
    const e = event()
    const body = xmlOf(e).replace(
      '<OuterStr><![CDATA[share]]></OuterStr>',
      '<OuterStr>a&amp;b&lt;&#20013;&#x6587;</OuterStr>',
    )
    expect(await push({ query: signedQuery('3005'), body }, plain)).toEqual({ status: 200, text: 'success' })
    expect(handled.at(-1)).toMatchObject({ UserCardCode: e.UserCardCode, OuterStr: 'a&b<中文' })
  })
})

describe('the request log', () => {
  it('never holds the push signature, nonce or msg_signature, nor the OAuth code and state', async () => {
    const lines: string[] = []
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk))
        done()
      },
    })
    const database = await createTestDatabase()
    const config = await withSandboxSecrets(
      loadConfig({ DATABASE_URL: database.url, PUBLIC_URL: 'http://127.0.0.1:9', ACCESS_LOG: '1' }),
      database.db,
    )
    const app = await buildApp({ config, db: database.db, engine: database.engine, logger: { level: 'info', stream } })
    try {
      const q = `signature=${'a1'.repeat(20)}&timestamp=1714037059&nonce=NONCE486452656&echostr=ECHO&encrypt_type=aes&msg_signature=${'b2'.repeat(20)}`
      await app.inject({ method: 'GET', url: `/wechat/push?${q}` })
      await app.inject({
        method: 'POST',
        url: `/wechat/push?${q}`,
        headers: { 'content-type': 'text/xml' },
        payload: '<xml/>',
      })
      await app.inject({ method: 'GET', url: '/auth/wechat/callback?code=CODE0123456789&state=STATEabcdef' })
      await app.inject({ method: 'GET', url: '/api/offers?store=nanjingxilu' })
      const log = lines.join('')
      expect(log).toContain('/wechat/push')
      expect(log).toContain('/auth/wechat/callback')
      // Other routes keep their query: it is what one debugs with.
      expect(log).toContain('/api/offers?store=nanjingxilu')
      for (const secret of [
        'a1a1a1',
        'b2b2b2',
        'NONCE486452656',
        'ECHO',
        '1714037059',
        'CODE0123456789',
        'STATEabcdef',
      ])
        expect(log).not.toContain(secret)
    } finally {
      await app.close()
      await database.drop()
    }
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
