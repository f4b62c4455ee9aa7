/**
 * Well-formed requests for the routes whose checks a random request rarely gets past (strict
 * bodies, a login, a signature), keyed by the route's URL pattern. The fuzzer mutates them;
 * it still fuzzes every route of the route table, with or without an example here.
 */
import { pushSignature } from '../../src/server/wechat/sign.ts'
import type { Fixtures } from './fixtures.ts'
import { enc, hostileString, text, value } from './values.ts'
import type { Rng } from './random.ts'

export interface Example {
  query?: Record<string, string>
  body?: Record<string, unknown>
  /** Sent as a form (the sandbox's screens) rather than JSON. */
  form?: boolean
  /** Whose cookie or token it needs. */
  as?: 'consumer' | 'clerk' | 'owner' | 'admin'
}

/** A whole console offer, as the editor posts it. */
function consoleOffer(now: number) {
  const iso = (t: number) => new Date(t * 1000).toISOString()
  return {
    title: '模糊测试券',
    kind: 'cash',
    valueFen: 500,
    thresholdFen: 3000,
    stockTotal: 100,
    perUserLimit: 1,
    startsAt: iso(now),
    endsAt: iso(now + 86_400),
    validity: { type: 'relative', days: 7 },
    allStores: false,
    storeIds: ['nanjingxilu'],
  }
}

export function examples(r: Rng, fx: Fixtures, now: number): Record<string, Example[]> {
  const callback = `${fx.publicUrl}/auth/wechat/callback`
  const token = { access_token: fx.accessToken }
  const ts = String(now)
  const nonce = r.token(8)
  return {
    '/api/offers': [{ query: { store: r.pick(fx.stores) } }],
    '/api/offers/:offerId/claim': [
      { body: {}, as: 'consumer' },
      { body: { ch: 'share', ref: 'friend1' }, as: 'consumer' },
    ],
    '/api/offers/:offerId/views': [{ body: { ch: 'share', store: r.pick(fx.stores) } }],
    '/api/coupons/:couponId/wallet': [{ body: { encryptCode: r.pick(fx.encryptCodes) }, as: 'consumer' }],
    '/api/redeem': [{ body: { code: r.pick(fx.codes), storeId: r.pick(fx.stores) }, as: 'clerk' }],
    '/api/clerk/redemptions': [{ query: { store: r.pick(fx.stores) }, as: 'clerk' }],
    '/api/jssdk/config': [{ body: { url: `${fx.publicUrl}/o/latte-10off?ch=share` } }],
    '/api/admin/stores/:storeId/clerk-invites': [{ body: { ttlMinutes: 60 }, as: 'admin' }],
    '/api/admin/merchants': [{ body: { name: '模糊测试商户' }, as: 'admin' }],
    '/api/console/merchants/:mid/offers': [{ body: consoleOffer(now), as: 'owner' }],
    '/api/console/merchants/:mid/offers/:id': [
      { body: { title: '改名', validity: { type: 'relative', days: 3 }, status: 'paused' }, as: 'owner' },
    ],
    '/api/console/merchants/:mid/offers/:id/stock': [{ body: { add: 5 }, as: 'owner' }],
    '/api/console/merchants/:mid/stores': [{ body: { name: '模糊店', address: '某路1号' }, as: 'owner' }],
    '/api/console/merchants/:mid/stores/:sid': [{ body: { name: '改名店' }, as: 'owner' }],
    '/api/console/merchants/:mid/stores/:sid/clerk-invites': [{ body: { ttlMinutes: 60 }, as: 'owner' }],
    '/api/console/merchants/:mid/invites': [{ body: { role: 'manager' }, as: 'owner' }],
    '/api/console/merchants/:mid/members/:memberId': [{ body: { role: 'manager' }, as: 'owner' }],
    '/api/console/merchants/:mid/audit': [{ query: { limit: '5' }, as: 'owner' }],
    '/auth/wechat/login': [{ query: { scope: 'snsapi_userinfo', return: '/o/latte-10off' } }],
    '/auth/wechat/callback': [{ query: { code: r.token(32), state: r.pick(fx.states) } }],
    '/clerk/join': [{ query: { invite: r.pick(fx.invites) }, as: 'consumer' }],
    '/wechat/push': [
      { query: { signature: pushSignature([fx.pushToken, ts, nonce]), timestamp: ts, nonce, echostr: r.token(12) } },
    ],
    '/__wx/faults': [{ body: { target: '/card/get', mode: '-1', count: 1 } }],
    '/__wx/bridge/verify': [
      { body: { appId: fx.appId, timestamp: ts, nonceStr: nonce, signature: 'x'.repeat(40), url: `${fx.publicUrl}/` } },
    ],
    '/__wx/bridge/add-card': [{ body: { card_list: [{ card_id: fx.cardId, card_ext: r.pick(fx.cardExts) }] } }],
    '/__wx/bridge/wallet/consume': [{ body: { code: r.pick(fx.walletCodes) } }],
    '/__wx/bridge/wallet/delete': [{ body: { code: r.pick(fx.walletCodes) } }],
    '/__wx/personas': [{ query: { return: '/o/latte-10off' } }],
    '/__wx/personas/switch': [{ body: { openid: r.pick(fx.openids), return: '/' }, form: true }],
    '/__wx/personas/snapshot': [{ body: { openid: r.pick(fx.openids) }, form: true }],
    '/__wx/personas/new': [{ body: { return: '/' }, form: true }],
    '/__wx/connect/oauth2/authorize': [
      {
        query: {
          appid: fx.appId,
          redirect_uri: callback,
          response_type: 'code',
          scope: r.pick(['snsapi_base', 'snsapi_userinfo']),
          state: r.pick(fx.states),
        },
      },
    ],
    '/__wx/connect/oauth2/authorize/decision': [
      {
        body: {
          appid: fx.appId,
          redirect_uri: callback,
          scope: 'snsapi_userinfo',
          state: r.pick(fx.states),
          decision: 'allow',
        },
        form: true,
      },
    ],
    '/__wx/api/cgi-bin/token': [{ query: { grant_type: 'client_credential', appid: fx.appId, secret: fx.appSecret } }],
    '/__wx/api/cgi-bin/stable_token': [
      { body: { grant_type: 'client_credential', appid: fx.appId, secret: fx.appSecret, force_refresh: false } },
    ],
    '/__wx/api/cgi-bin/ticket/getticket': [{ query: { ...token, type: r.pick(['jsapi', 'wx_card']) } }],
    '/__wx/api/card/code/decrypt': [{ query: token, body: { encrypt_code: r.pick(fx.encryptCodes) } }],
    '/__wx/api/card/code/get': [
      { query: token, body: { card_id: fx.cardId, code: r.pick(fx.codes), check_consume: false } },
    ],
    '/__wx/api/card/code/consume': [{ query: token, body: { card_id: fx.cardId, code: r.pick(fx.codes) } }],
    '/__wx/api/card/get': [{ query: token, body: { card_id: fx.cardId } }],
    '/__wx/api/sns/oauth2/access_token': [
      { query: { appid: fx.appId, secret: fx.appSecret, code: r.token(32), grant_type: 'authorization_code' } },
    ],
    '/__wx/api/sns/auth': [{ query: { access_token: r.token(40), openid: r.pick(fx.openids) } }],
    '/__wx/api/sns/userinfo': [{ query: { access_token: r.token(40), openid: r.pick(fx.openids), lang: 'zh_CN' } }],
  }
}

export interface Mutated {
  query: string
  payload?: string
  contentType?: string
}

/** An example as is (a third of the time) or with one or two things broken. */
export function mutate(r: Rng, fx: Fixtures, ex: Example): Mutated {
  const q: [string, string][] = Object.entries(ex.query ?? {})
  const b: Record<string, unknown> | undefined = ex.body ? { ...ex.body } : undefined
  let contentType = ex.form ? 'application/x-www-form-urlencoded' : 'application/json'
  for (let i = r.chance(0.33) ? 0 : 1 + r.int(2); i > 0; i--) {
    const roll = r.int(8)
    if (roll === 0 && q.length > 0) {
      const [k] = r.pick(q)
      q.push([k, text(r, fx, k)])
    } else if (roll === 1 && q.length > 0) {
      const at = r.int(q.length)
      q[at] = [q[at]![0], text(r, fx, q[at]![0])]
    } else if (roll === 2 && b && Object.keys(b).length > 0) {
      const k = r.pick(Object.keys(b))
      b[k] = value(r, fx, k)
    } else if (roll === 3 && b && Object.keys(b).length > 0) {
      delete b[r.pick(Object.keys(b))]
    } else if (roll === 4 && b && Object.keys(b).length > 0) {
      const k = r.pick(Object.keys(b))
      b[k] = [b[k], b[k]]
    } else if (roll === 5 && b) {
      b[r.pick(['extra', 'code', 'storeId', '__proto__'])] = hostileString(r)
    } else if (roll === 6) {
      contentType = r.pick(['text/plain', 'application/x-www-form-urlencoded', 'application/json', 'text/xml'])
    } else {
      q.push([r.pick(['ch', 'store', 'access_token', 'state']), hostileString(r)])
    }
  }
  const query = q.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&')
  if (!b) return { query }
  const payload =
    contentType === 'application/x-www-form-urlencoded'
      ? Object.entries(b)
          .map(([k, v]) => `${enc(k)}=${enc(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))}`)
          .join('&')
      : JSON.stringify(b)
  return { query, payload, contentType }
}
