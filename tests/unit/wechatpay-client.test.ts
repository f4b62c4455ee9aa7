// @vitest-environment node
// Node's own fetch and Headers: the client is server code.
import { createPrivateKey, createPublicKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/server/clock.ts'
import { WxPayClient, type WxPayClientOptions } from '../../src/server/wechatpay/client.ts'
import { checkWxPay } from '../../src/server/wechatpay/diagnose.ts'
import { WxPayError } from '../../src/server/wechatpay/errors.ts'
import { type WxPayConfig, wxPayConfigFrom } from '../../src/server/wechatpay/keys.ts'
import { parseAuthorization, verifyRequestAuthorization } from '../../src/server/wechatpay/sign.ts'
import { signResponse } from '../../src/server/wechatpay/verify.ts'

/*
 * A few lines of WeChat Pay in front of the real client, only for what the sandbox (built on this
 * module later) cannot cover yet: the request as WeChat Pay checks it, answers signed well, badly
 * or not at all, and retries. Each test scripts the answers, in order.
 */
const k = JSON.parse(readFileSync('tests/fixtures/wxpay-vectors.json', 'utf8')).apiv3_test_keys
const merchant = {
  mchid: k.mchid,
  certSerial: k.merchant_serial_no,
  publicKey: createPublicKey(k.merchant_public_key_pem),
}
const platformPrivate = createPrivateKey(k.platform_private_key_pem)

interface Seen {
  method: string
  url: string
  body: string
  headers: IncomingHttpHeaders
}
interface Answer {
  status: number
  body?: unknown
  sign?: 'good' | 'bad' | 'none' | 'other-serial'
  hang?: boolean
}

let server: Server
let base = ''
let seen: Seen[] = []
let script: ((req: Seen) => Answer)[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', c => chunks.push(c))
    req.on('end', () => {
      const r: Seen = {
        method: req.method!,
        url: req.url!,
        body: Buffer.concat(chunks).toString('utf8'),
        headers: req.headers,
      }
      seen.push(r)
      const check = verifyRequestAuthorization(
        { authorization: req.headers.authorization, method: r.method, url: r.url, body: r.body },
        merchant,
        systemClock.now(),
      )
      const a: Answer = !check.ok
        ? { status: check.status, body: check.body }
        : !req.headers.accept || !req.headers['user-agent']
          ? { status: 400, body: { code: 'INVALID_REQUEST', message: 'Http头缺少Accept或User-Agent' } }
          : req.headers['wechatpay-serial'] !== k.platform_public_key_id
            ? { status: 400, body: { code: 'INVALID_REQUEST', message: 'Wechatpay-Serial 错误' } }
            : (script.shift()?.(r) ?? { status: 500, body: { code: 'SYSTEM_ERROR', message: 'unscripted' } })
      if (a.hang) return
      const text = a.body === undefined ? '' : JSON.stringify(a.body)
      const serial =
        a.sign === 'other-serial' ? 'PUB_KEY_ID_99999999999999999999999999999999' : k.platform_public_key_id
      const headers = signResponse(platformPrivate, serial, a.sign === 'bad' ? `${text} ` : text, {
        timestamp: String(systemClock.now()),
        nonce: 'srvnonce',
      })
      res.writeHead(a.status, { 'Content-Type': 'application/json', ...(a.sign === 'none' ? {} : headers) })
      res.end(text)
    })
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/__wxpay`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise(r => server.close(r))
})
beforeEach(() => {
  seen = []
  script = []
})

function config(over: Partial<WxPayConfig> = {}): WxPayConfig {
  const c = wxPayConfigFrom(
    {
      WXPAY_MCHID: k.mchid,
      WXPAY_APIV2_KEY: k.apiv2_key,
      WXPAY_APIV3_KEY: k.apiv3_key,
      WXPAY_PRIVATE_KEY: k.merchant_private_key_pem,
      WXPAY_CERT_SERIAL: k.merchant_serial_no,
      WXPAY_PLATFORM_PUBLIC_KEY: k.platform_public_key_pem,
      WXPAY_PLATFORM_PUBLIC_KEY_ID: k.platform_public_key_id,
      WXPAY_API_BASE: base,
    },
    { appId: 'wx1234567890abcdef', publicUrl: 'http://localhost:8080' },
  )!
  return { ...c, ...over }
}
const client = (o: WxPayClientOptions = {}) => new WxPayClient(config(), { backoffMs: 5, deadlineMs: 5000, ...o })
const ok = (body: unknown): Answer => ({ status: 200, body, sign: 'good' })
const fail = (status: number, code: string, message = ''): Answer => ({ status, body: { code, message }, sign: 'good' })
async function caught(p: Promise<unknown>): Promise<WxPayError> {
  try {
    await p
  } catch (err) {
    if (err instanceof WxPayError) return err
    throw err
  }
  throw new Error('expected a WxPayError')
}

const stockRequest = {
  stock_name: '满30减5',
  goods_name: '全场饮品',
  stock_type: 'NORMAL' as const,
  coupon_use_rule: {
    coupon_available_time: {
      available_begin_time: '2026-12-01T00:00:00+08:00',
      available_end_time: '2027-03-01T00:00:00+08:00',
    },
    fixed_normal_coupon: { discount_amount: 500, transaction_minimum: 3000 },
    use_method: 'OFF_LINE' as const,
  },
  stock_send_rule: { max_coupons: 100, max_coupons_per_user: 1 },
  out_request_no: 'kq-stock-000001',
  coupon_code_mode: 'MERCHANT_API' as const,
}
const use = {
  stockId: '1212345600000001',
  code: '384920175531',
  useRequestNo: 'kq-redeem-000001',
  useTime: 1795503845,
  appid: 'wx1234567890abcdef',
  openid: 'oKaquanTestOpenid0000000000A',
}
const couponPath = `/__wxpay/v3/marketing/busifavor/users/${use.openid}/coupons/${use.code}/appids/${use.appid}`

describe('WxPayClient requests', () => {
  it('sends a request WeChat Pay accepts, with the headers it insists on, and fills notify_appid', async () => {
    script = [
      r => ok({ stock_id: '1212345600000001', create_time: '2026-11-24T15:00:00+08:00', echo: JSON.parse(r.body) }),
    ]
    const created = await client().createStock(stockRequest)
    expect(created.stock_id).toBe('1212345600000001')
    const [r] = seen
    expect(r).toMatchObject({ method: 'POST', url: '/__wxpay/v3/marketing/busifavor/stocks' })
    expect(r!.headers).toMatchObject({
      accept: 'application/json',
      'content-type': 'application/json',
      'wechatpay-serial': k.platform_public_key_id,
    })
    expect(r!.headers['user-agent']).toBeTruthy()
    expect(parseAuthorization(r!.headers.authorization)).toMatchObject({
      mchid: k.mchid,
      serial_no: k.merchant_serial_no,
    })
    expect(JSON.parse(r!.body)).toMatchObject({
      belong_merchant: k.mchid,
      notify_config: { notify_appid: 'wx1234567890abcdef' },
      coupon_code_mode: 'MERCHANT_API',
    })
  })

  it('signs a GET with its query and path segments as sent', async () => {
    script = [
      () => ok({ mchid: k.mchid, notify_url: 'https://kaquan.example.com/wechatpay/notify' }),
      () => ok({ coupon_code: use.code, stock_id: use.stockId, coupon_state: 'SENDED', send_request_no: 'kq-1' }),
    ]
    expect((await client().getCallbacks()).notify_url).toBe('https://kaquan.example.com/wechatpay/notify')
    const coupon = await client().getUserCoupon(use.openid, use.code, use.appid)
    expect(coupon).toMatchObject({ coupon_state: 'SENDED', send_request_no: 'kq-1' })
    expect(seen.map(s => [s.method, s.url, s.body, s.headers['content-type']])).toEqual([
      ['GET', `/__wxpay/v3/marketing/busifavor/callbacks?mchid=${k.mchid}`, '', undefined],
      ['GET', couponPath, '', undefined],
    ])
  })

  it('sets the callback URL for its own mchid', async () => {
    script = [r => ok({ ...JSON.parse(r.body), update_time: '2026-11-24T15:00:00+08:00' })]
    const set = await client().setCallbacks()
    expect(set).toMatchObject({ mchid: k.mchid, notify_url: 'http://localhost:8080/wechatpay/notify' })
  })

  it('types a refusal with its status, code, message and detail, and does not retry it', async () => {
    script = [
      () => ({
        status: 400,
        sign: 'good',
        body: { code: 'PARAM_ERROR', message: '批次号格式错误', detail: { field: 'stock_id' } },
      }),
    ]
    const err = await caught(client().getStock('bad'))
    expect(err).toMatchObject({ status: 400, code: 'PARAM_ERROR', detail: { field: 'stock_id' }, transient: false })
    expect(err.is('PARAM_ERROR')).toBe(true)
    expect(seen).toHaveLength(1)
  })

  it('reports a request WeChat Pay refused as badly signed as SIGN_ERROR', async () => {
    const wrongKey = createPrivateKey(k.platform_private_key_pem)
    const c = new WxPayClient(config({ privateKey: wrongKey }), { deadlineMs: 0 })
    const err = await caught(c.getCallbacks())
    expect(err).toMatchObject({ status: 401, code: 'SIGN_ERROR', transient: false })
    expect((err.detail as any).sign_information.url).toBe(`/__wxpay/v3/marketing/busifavor/callbacks?mchid=${k.mchid}`)
  })
})

describe('WxPayClient trusts no unverified answer', () => {
  it.each([
    ['a bad signature', 'bad'],
    ['no signature headers', 'none'],
    ['a key id it does not hold', 'other-serial'],
  ] as const)('treats an answer with %s as an error, never as data', async (_, sign) => {
    script = [() => ({ status: 200, sign, body: { stock_id: 'forged', create_time: 'x' } })]
    const err = await caught(client({ deadlineMs: 0 }).createStock(stockRequest))
    expect(err).toMatchObject({ code: 'UNVERIFIED_RESPONSE', status: 200, transient: true })
  })

  it('treats a verified answer of the wrong shape as malformed', async () => {
    script = [() => ok({ stock: 'no id' })]
    expect(await caught(client({ deadlineMs: 0 }).createStock(stockRequest))).toMatchObject({
      code: 'MALFORMED_RESPONSE',
    })
  })
})

describe('WxPayClient retries', () => {
  it.each([
    ['500 SYSTEM_ERROR', fail(500, 'SYSTEM_ERROR', '系统错误')],
    ['429', fail(429, 'FREQUENCY_LIMITED', '频率超限')],
    ['a badly signed answer', { status: 200, sign: 'bad', body: {} } as Answer],
    ['no answer in time', { status: 200, hang: true } as Answer],
  ])('retries after %s with the same body and use_request_no', async (_, first) => {
    script = [
      () => first,
      () => ok({ stock_id: use.stockId, openid: use.openid, wechatpay_use_time: '2026-11-24T15:04:06+08:00' }),
    ]
    const result = await client({ timeoutMs: 300 }).useCoupon(use)
    expect(result).toEqual({
      kind: 'used',
      stockId: use.stockId,
      openid: use.openid,
      usedAt: 1795503846,
      confirmedBy: 'answer',
    })
    expect(seen).toHaveLength(2)
    expect(seen[1]!.body).toBe(seen[0]!.body)
    expect(JSON.parse(seen[0]!.body)).toEqual({
      coupon_code: use.code,
      stock_id: use.stockId,
      appid: use.appid,
      use_time: '2026-11-24T15:04:05+08:00',
      use_request_no: use.useRequestNo,
      openid: use.openid,
    })
    // Each attempt is signed afresh: same body, new nonce.
    const nonces = seen.map(s => parseAuthorization(s.headers.authorization)!.nonce_str)
    expect(new Set(nonces).size).toBe(2)
  })

  it('gives up at the deadline with the last transient error', async () => {
    script = Array.from({ length: 50 }, () => () => fail(503, 'SERVICE_UNAVAILABLE'))
    const err = await caught(client({ deadlineMs: 200 }).getStock(use.stockId))
    expect(err).toMatchObject({ status: 503, transient: true })
    expect(seen.length).toBeGreaterThan(1)
  })

  it('calls no answer from a closed port a network error', async () => {
    const c = new WxPayClient(config({ apiBase: 'http://127.0.0.1:9/__wxpay' }), { deadlineMs: 0 })
    expect(await caught(c.getCallbacks())).toMatchObject({ status: 0, code: 'NETWORK', transient: true })
  })
})

describe('WxPayClient.useCoupon on RESOURCE_ALREADY_EXISTS', () => {
  const usedBy = (useRequestNo: string): Answer =>
    ok({
      coupon_code: use.code,
      stock_id: use.stockId,
      coupon_state: 'USED',
      use_request_no: useRequestNo,
      use_time: '2026-11-24T15:04:06+08:00',
    })

  it('finds its own lost success: applied, answered 500, then already exists on the retry', async () => {
    script = [
      () => fail(500, 'SYSTEM_ERROR'),
      () => fail(400, 'RESOURCE_ALREADY_EXISTS', '券已被其他订单核销'),
      () => usedBy(use.useRequestNo),
    ]
    expect(await client().useCoupon(use)).toEqual({
      kind: 'used',
      stockId: use.stockId,
      openid: use.openid,
      usedAt: 1795503846,
      confirmedBy: 'query',
    })
    expect(seen.map(s => `${s.method} ${s.url}`)).toEqual([
      'POST /__wxpay/v3/marketing/busifavor/coupons/use',
      'POST /__wxpay/v3/marketing/busifavor/coupons/use',
      `GET ${couponPath}`,
    ])
  })

  it('answers alreadyUsed, not an exception, when another redemption used the coupon', async () => {
    script = [() => fail(400, 'RESOURCE_ALREADY_EXISTS', '券已被其他订单核销'), () => usedBy('someone-else-0001')]
    const r = await client().useCoupon(use)
    expect(r).toMatchObject({
      kind: 'alreadyUsed',
      coupon: { coupon_state: 'USED', use_request_no: 'someone-else-0001' },
    })
  })

  it('cannot look the coupon up without an openid, and says so', async () => {
    script = [() => fail(400, 'RESOURCE_ALREADY_EXISTS', '券已被其他订单核销')]
    expect(await client().useCoupon({ ...use, openid: undefined })).toEqual({ kind: 'alreadyUsed', coupon: null })
    expect(seen).toHaveLength(1)
    expect(JSON.parse(seen[0]!.body)).not.toHaveProperty('openid')
  })

  it.each([
    ['NO_AUTH', 403],
    ['APPID_MCHID_NOT_MATCH', 400],
    ['RESOURCE_NOT_EXISTS', 404],
  ])('throws %s as a final error', async (code, status) => {
    script = [() => fail(status, code)]
    expect(await caught(client().useCoupon(use))).toMatchObject({ code, status, transient: false })
    expect(seen).toHaveLength(1)
  })

  it('refuses a use_request_no WeChat Pay would not take, before calling', async () => {
    await expect(client().useCoupon({ ...use, useRequestNo: 'x'.repeat(33) })).rejects.toThrow(/use_request_no/)
    expect(seen).toHaveLength(0)
  })
})

describe('the start-up check', () => {
  it('is quiet when the keys work and the callbacks come to us', async () => {
    script = [() => ok({ mchid: k.mchid, notify_url: 'http://localhost:8080/wechatpay/notify' })]
    expect(await checkWxPay(client())).toEqual([])
  })

  it('says so when WeChat Pay sends COUPON.SEND elsewhere', async () => {
    script = [() => ok({ mchid: k.mchid, notify_url: 'https://old.example.com/notify' })]
    expect(await checkWxPay(client())).toEqual([expect.stringContaining('https://old.example.com/notify')])
  })

  it.each([
    [
      "a private key that is not the merchant certificate's",
      { privateKey: createPrivateKey(k.platform_private_key_pem) },
      'WXPAY_PRIVATE_KEY',
    ],
    [
      "the merchant's key where WeChat Pay's belongs",
      { platformPublicKey: createPublicKey(k.merchant_public_key_pem) },
      'WXPAY_PLATFORM_PUBLIC_KEY',
    ],
  ])('names the variable to fix after %s', async (_, over, variable) => {
    script = [() => ok({ mchid: k.mchid, notify_url: 'http://localhost:8080/wechatpay/notify' })]
    const [problem] = await checkWxPay(new WxPayClient(config(over), { deadlineMs: 0 }))
    expect(problem).toContain(variable)
  })
})
