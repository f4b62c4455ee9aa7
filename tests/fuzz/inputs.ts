/**
 * What the fuzzer sends: path values, query strings, headers and bodies, built from the values
 * in values.ts, plus correctly signed pushes with hostile content.
 */
import { encryptMessage } from '../../src/server/wechat/crypto.ts'
import { sealPush } from '../../src/server/wechat/push.ts'
import { pushSignature } from '../../src/server/wechat/sign.ts'
import type { Fixtures } from './fixtures.ts'
import type { Rng } from './random.ts'
import { enc, faultModes, hostileString, known, names, object, text, value } from './values.ts'

/** Request bodies close to what routes expect, one field then broken at random. */
function shaped(r: Rng, fx: Fixtures): Record<string, unknown> {
  const shapes: Record<string, unknown>[] = [
    { code: r.pick(fx.codes), storeId: r.pick(fx.stores) },
    { encryptCode: r.pick(fx.encryptCodes) },
    { url: `${fx.publicUrl}/o/latte-10off` },
    { ch: 'share', ref: 'friend1', store: r.pick(fx.stores) },
    { ttlMinutes: 60 },
    { target: '/card/get', mode: r.pick(faultModes), count: 1 },
    { card_list: [{ card_id: fx.cardId, card_ext: r.pick(fx.cardExts) }] },
    { grant_type: 'client_credential', appid: fx.appId, secret: fx.appSecret, force_refresh: r.chance(0.2) },
    { encrypt_code: r.pick(fx.encryptCodes) },
    { code: r.pick(fx.walletCodes), card_id: fx.cardId, check_consume: false },
    { card_id: fx.cardId },
    { openid: r.pick(fx.openids), return: '/' },
    {
      appid: fx.appId,
      redirect_uri: `${fx.publicUrl}/auth/wechat/callback`,
      state: r.pick(fx.states),
      decision: 'allow',
    },
    { appId: fx.appId, timestamp: '1', nonceStr: 'n', signature: 's', url: `${fx.publicUrl}/` },
  ]
  const body = { ...r.pick(shapes) }
  if (r.chance(0.5)) {
    const k = r.chance(0.8) ? r.pick(Object.keys(body)) : r.pick(names)
    body[k] = value(r, fx, k)
  }
  return body
}

export function query(r: Rng, fx: Fixtures): string {
  const roll = r.int(10)
  if (roll < 3) return ''
  const parts: string[] = []
  for (let i = 1 + r.int(5); i > 0; i--) {
    const k = r.pick(names)
    const v = text(r, fx, k)
    parts.push(`${enc(k)}=${enc(v)}`)
    // A repeated parameter: an array where a route expects one string.
    if (r.chance(0.25)) parts.push(`${enc(k)}=${enc(text(r, fx, k))}`)
  }
  if (r.chance(0.05)) parts.push(r.pick(['a[b]=1', 'a[]=1&a[]=2', '=x', 'flag', '%zz=1', 'x=%E0%A4%A', '&&&']))
  return parts.join('&')
}

/** A value for a path parameter: real ids half the time, hostile ones (already encoded) otherwise. */
export function param(r: Rng, fx: Fixtures, name: string): string {
  const pool = known(fx, name)
  if (pool.length > 0 && r.chance(0.5)) return enc(r.pick(pool))
  const raw = r.pick(['%E0%A4%A', '%', '%2F..%2F..', '..', '%00', 'a%2Fb', '%C0%AF', 'x'.repeat(200)])
  return r.chance(0.2) ? raw : enc(hostileString(r)) || 'x'
}

export function wildcard(r: Rng, fx: Fixtures): string {
  return r.chance(0.5) ? r.pick(fx.assets) : r.pick(['..%2F..%2Fpackage.json', '%2e%2e/x', 'x.js', '', 'a/b/c', '%00'])
}

export function headers(r: Rng, fx: Fixtures): Record<string, string> {
  const h: Record<string, string> = {}
  const jar: string[] = []
  // Live sessions half the time, so requests get past the login check; else expired, forged, junk.
  if (r.chance(0.6)) jar.push(`kq_sid=${r.chance(0.5) ? r.pick(fx.cookies.live) : r.pick(fx.cookies.session)}`)
  if (r.chance(0.4)) jar.push(`wxsb_user=${r.pick(fx.cookies.sandboxUser)}`)
  if (r.chance(0.1)) jar.push(`kq_oauth_state=${r.pick(fx.cookies.state)}`)
  if (r.chance(0.05)) jar.push(r.pick(['kq_sid=a; kq_sid=b', '=;;', 'kq_sid', `kq_sid=${enc('中文')}`]))
  if (jar.length > 0) h.cookie = jar.join('; ')
  const key = r.int(10)
  if (key < 5) h['idempotency-key'] = `fz-${r.token(16)}`
  else if (key < 6) h['idempotency-key'] = 'fz-reused-key-0001'
  else if (key < 7) h['idempotency-key'] = r.pick(['short', 'has spaces!', 'x'.repeat(200), 'a, b'])
  const auth = r.int(10)
  if (auth < 3) h.authorization = `Bearer ${fx.adminToken}`
  else if (auth < 4) h.authorization = r.pick(['Bearer wrong-token-0000000000', 'Bearer ', 'Basic eDp5', 'Bearer  x'])
  if (r.chance(0.5)) h.accept = r.pick(['text/html', 'application/json', '*/*', 'image/*'])
  if (r.chance(0.05)) h['if-match'] = r.pick(['1', '"x"', '*'])
  if (r.chance(0.5))
    h['user-agent'] = r.pick([
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.47',
      'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36 MicroMessenger/8.0.47',
      'curl/8.0',
    ])
  return h
}

export interface Body {
  payload?: string
  contentType?: string
  /** A query the body belongs with (a signed push). */
  query?: string
}

const xmlBodies = [
  '<xml><ToUserName>a</ToUserName></xml>',
  '<xml><FromUserName>a</FromUserName>',
  '<!DOCTYPE xml [<!ENTITY a "b">]><xml><A>&a;</A></xml>',
  `<xml>${'<a>'.repeat(3000)}${'</a>'.repeat(3000)}</xml>`,
  '<xml><__proto__><polluted>1</polluted></__proto__></xml>',
  '<xml><A>&#0;&#x110000;&#xD800;</A></xml>',
  '<?xml version="1.0" encoding="UTF-16"?><xml/>',
  'not xml',
  '',
]

/** A correctly signed push (plaintext or sealed), with hostile fields or a hostile XML body. */
function signedPush(r: Rng, fx: Fixtures, now: number): Body {
  const nonce = r.token(8)
  const fields: Record<string, string | number> = {
    ToUserName: 'gh_fuzz',
    FromUserName: r.chance(0.5) ? r.pick(fx.openids) : hostileString(r),
    CreateTime: r.chance(0.8) ? now + r.int(1000) : hostileString(r),
    MsgType: r.chance(0.9) ? 'event' : hostileString(r),
    Event: r.pick(['user_get_card', 'user_del_card', 'user_consume_card', 'subscribe', hostileString(r)]),
    CardId: r.chance(0.7) ? fx.cardId : hostileString(r),
    UserCardCode: r.chance(0.7) ? r.pick(fx.codes) : hostileString(r),
    OuterStr: hostileString(r),
  }
  const ts = r.chance(0.9) ? now : now - 10_000
  const c = { appId: fx.appId, token: fx.pushToken, aesKey: fx.aesKey }
  if (r.chance(0.5)) {
    const sealed = sealPush(c, fields, { timestamp: ts, nonce, safe: r.chance(0.8) })
    return { payload: sealed.body, contentType: 'text/xml', query: new URLSearchParams(sealed.query).toString() }
  }
  const inner = r.pick(xmlBodies)
  const encrypted = encryptMessage(c.aesKey, inner, fx.appId)
  const timestamp = String(ts)
  const q = new URLSearchParams({
    signature: pushSignature([fx.pushToken, timestamp, nonce]),
    timestamp,
    nonce,
    encrypt_type: 'aes',
    msg_signature: pushSignature([fx.pushToken, timestamp, nonce, encrypted]),
  })
  return { payload: `<xml><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`, contentType: 'text/xml', query: `${q}` }
}

export function body(r: Rng, fx: Fixtures, method: string, url: string, now: number): Body {
  if (url === '/wechat/push' && method === 'POST' && r.chance(0.6)) return signedPush(r, fx, now)
  if (method === 'GET' || method === 'HEAD' || r.chance(0.1)) return {}
  const roll = r.int(20)
  if (roll < 7) return { payload: JSON.stringify(shaped(r, fx)), contentType: 'application/json' }
  if (roll < 10) return { payload: JSON.stringify(object(r, fx)), contentType: 'application/json' }
  if (roll < 11)
    return { payload: JSON.stringify(value(r, fx, r.pick(names))), contentType: 'application/json; charset=utf-8' }
  if (roll < 12)
    return {
      payload: r.pick([
        '{"code":',
        '{',
        '[1,',
        '{"a":1}}',
        'nul',
        '{"__proto__":{"admin":true}}',
        '{"constructor":{"prototype":{"x":1}}}',
        `${'['.repeat(5000)}${']'.repeat(5000)}`,
        `{"a":"${'x'.repeat(70_000)}"}`,
        '',
        '\u0000',
      ]),
      contentType: 'application/json',
    }
  if (roll < 15) {
    const form = Object.entries(shaped(r, fx)).map(([k, v]) => `${enc(k)}=${enc(String(v))}`)
    if (r.chance(0.3)) form.push(`${enc(r.pick(names))}=${enc(hostileString(r))}`)
    if (r.chance(0.3)) form.push(form[0] ?? 'a=1')
    return { payload: form.join('&'), contentType: 'application/x-www-form-urlencoded' }
  }
  if (roll < 17) return { payload: r.pick(xmlBodies), contentType: r.pick(['text/xml', 'application/xml']) }
  return {
    payload: r.chance(0.5) ? JSON.stringify(shaped(r, fx)) : hostileString(r),
    contentType: r.pick([
      'text/plain',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      'application/json; charset=utf-16',
      'application/jsonx',
      'text/html',
      'image/png',
    ]),
  }
}
