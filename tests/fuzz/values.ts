/**
 * The values the fuzzer mixes: real ones by the name a route reads them under (so requests get
 * past the first check) and hostile ones (wrong types, arrays, huge and odd unicode text, NUL).
 */
import type { Fixtures } from './fixtures.ts'
import type { Rng } from './random.ts'

/** Never the sandbox's `hang` fault mode: it waits 10 s by design, and the fuzzer plans no hangs. */
export const faultModes = ['-1', '40001', '45009', '40097', 'fail', 'cancel']

const hostile = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  'x'.repeat(129),
  'x'.repeat(3000),
  '中文券码',
  '😀🎟️',
  '\uD800',
  'e\u0301\u202E\u200B',
  'ＡＢＣ１２３',
  '../../etc/passwd',
  '%',
  '%00',
  "' OR '1'='1",
  '"; drop table coupons; --',
  '<script>alert(1)</script>',
  '-1',
  '0',
  '1e309',
  'NaN',
  'null',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  '9'.repeat(40),
  ' padded ',
  '\t\r\n',
  'http://evil.example/',
  '//evil.example',
  'javascript:alert(1)',
]

export function hostileString(r: Rng): string {
  return r.pick(hostile)
}

/** Real values by the name a route reads them under, query, params and body alike. */
export function known(fx: Fixtures, name: string): string[] {
  const page = (p: string) => `${fx.publicUrl}${p}`
  const pools: Record<string, string[]> = {
    offerId: fx.offers,
    storeId: fx.stores,
    store: fx.stores,
    couponId: [...fx.couponIds, ...fx.foreignCouponIds],
    clerkId: fx.clerkIds,
    mid: [fx.merchantId],
    id: fx.offers,
    sid: fx.stores,
    cid: fx.clerkIds,
    memberId: fx.memberIds,
    target: ['addCard', 'scanQRCode', '/card/code/get', '/card/code/decrypt', 'push:user_get_card', 'bridge:addCard'],
    file: [...fx.openids.map(o => `${o}.svg`), 'nobody.svg'],
    code: [...fx.codes, ...fx.walletCodes],
    encryptCode: fx.encryptCodes,
    encrypt_code: fx.encryptCodes,
    card_id: [fx.cardId],
    ids: [fx.cardId, `${fx.cardId},${fx.cardId}`],
    card_ext: fx.cardExts,
    url: [page('/o/latte-10off?ch=share'), page('/'), 'https://evil.example/o/1'],
    ch: ['share', 'qr', 'list'],
    ref: ['friend1', 'abcDEF123'],
    scope: ['snsapi_base', 'snsapi_userinfo'],
    return: ['/', '/o/latte-10off', '/me/coupons', '//evil.example', 'https://evil.example/'],
    state: fx.states,
    invite: fx.invites,
    appid: [fx.appId],
    appId: [fx.appId],
    secret: [fx.appSecret],
    grant_type: ['client_credential', 'authorization_code', 'refresh_token'],
    access_token: [fx.accessToken],
    type: ['jsapi', 'wx_card'],
    openid: fx.openids,
    redirect_uri: [page('/auth/wechat/callback')],
    response_type: ['code'],
    decision: ['allow', 'deny'],
    mode: faultModes,
    encrypt_type: ['aes', 'raw'],
    lang: ['en', 'zh_CN'],
  }
  return pools[name] ?? []
}

export const names = [
  'code',
  'storeId',
  'store',
  'encryptCode',
  'url',
  'ch',
  'ref',
  'ttlMinutes',
  'target',
  'mode',
  'count',
  'card_id',
  'card_ext',
  'encrypt_code',
  'check_consume',
  'grant_type',
  'appid',
  'secret',
  'force_refresh',
  'openid',
  'return',
  'decision',
  'redirect_uri',
  'state',
  'scope',
  'invite',
  'access_token',
  'type',
  'ids',
  'refresh_token',
  'signature',
  'timestamp',
  'nonce',
  'echostr',
  'encrypt_type',
  'msg_signature',
  'response_type',
  'lang',
  '__proto__',
  'constructor',
  '',
]

export function text(r: Rng, fx: Fixtures, name: string): string {
  const pool = known(fx, name)
  return pool.length > 0 && r.chance(0.6) ? r.pick(pool) : hostileString(r)
}

/** A JSON value of any type, for a field called `name`. */
export function value(r: Rng, fx: Fixtures, name: string, depth = 0): unknown {
  const roll = r.int(20)
  if (roll < 9) return text(r, fx, name)
  if (roll < 11) return r.pick([0, -1, 1, 1.5, 5, 60, 1000, 1e308, -1e308, 2 ** 53 + 1, -0])
  if (roll < 12) return r.chance(0.5)
  if (roll < 13) return null
  if (depth > 2) return text(r, fx, name)
  if (roll < 16) return Array.from({ length: r.int(4) }, () => value(r, fx, name, depth + 1))
  return object(r, fx, depth + 1)
}

export function object(r: Rng, fx: Fixtures, depth = 0): Record<string, unknown> {
  const o: Record<string, unknown> = {}
  for (let i = r.int(5); i > 0; i--) {
    const k = r.pick(names)
    Object.defineProperty(o, k, { value: value(r, fx, k, depth), enumerable: true, configurable: true })
  }
  return o
}

/** Percent-encoding that survives lone surrogates (which encodeURIComponent refuses). */
export function enc(s: string): string {
  try {
    return encodeURIComponent(s)
  } catch {
    return encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '')) + '%ED%A0%80'
  }
}
