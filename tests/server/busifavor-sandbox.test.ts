/**
 * The sandbox plays WeChat Pay as its APIv3 rules and 商家券 API pages describe it: requests
 * checked as WeChat Pay checks them, every answer signed, stocks validated, coupons/use idempotent,
 * the callback URL's rules, and wx.addCard with stock-id cards checked by the documented sign. Also
 * checkStock and createStockForOffer against it, and the sandbox's own keys per database.
 */
import { createPublicKey, createSign } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/server/config.ts'
import type { OffersTable } from '../../src/server/db/schema.ts'
import type { Deps } from '../../src/server/deps.ts'
import { sandboxDb } from '../../src/server/sandbox/schema.ts'
import { withSandboxSecrets } from '../../src/server/sandbox/secrets.ts'
import { checkStock, createStockForOffer, stockRequestFor } from '../../src/server/wallet/busifavor-stock.ts'
import { verifySignedBody } from '../../src/server/wechatpay/verify.ts'
import { planFault, type TestApp } from '../helpers/app.ts'
import { createTestDatabase } from '../helpers/db.ts'
import { Phone } from '../helpers/phone.ts'
import { addToSandboxWallet } from '../helpers/wallet.ts'
import { documentedSign, payClient, payKeys, signedRequest, withBusifavorApp } from '../helpers/wxpay.ts'

const B = '/v3/marketing/busifavor'
let t: TestApp
let stockId: string
withBusifavorApp((app, stock) => {
  t = app
  stockId = stock
})

/** Checks an answer's Wechatpay-* signature with the sandbox's WeChat Pay public key. */
async function signedWell(r: { headers: Headers; raw: Buffer }) {
  const k = await payKeys(t)
  return verifySignedBody(
    r.headers,
    r.raw,
    { [k.platformPublicKeyId]: createPublicKey(k.platformPublicPem) },
    t.clock.now(),
  ).ok
}

const deps = (): Deps => t.app.deps

/** A stock another merchant made, which this merchant may not see. */
async function foreignStock() {
  const db = sandboxDb(t.database.db)
  const mine = await db
    .selectFrom('sandbox_wxpay_stocks')
    .selectAll()
    .where('stock_id', '=', stockId)
    .executeTakeFirstOrThrow()
  const other = {
    stock_id: '1000000000000042',
    creator_mchid: '1900000002',
    belong_merchant: '1900000002',
    out_request_no: 'x',
  }
  await db
    .insertInto('sandbox_wxpay_stocks')
    .values({ ...mine, ...other })
    .onConflict(oc => oc.column('stock_id').doNothing())
    .execute()
  return other.stock_id
}

const DAY = 86_400
function stockBody(over: Record<string, unknown> = {}) {
  const now = t.clock.now()
  const at = (s: number) => `${new Date((s + 8 * 3600) * 1000).toISOString().slice(0, 19)}+08:00`
  return {
    stock_name: '测试批次',
    belong_merchant: t.config.wxpay!.mchid,
    goods_name: '测试商品',
    stock_type: 'NORMAL',
    coupon_use_rule: {
      coupon_available_time: { available_begin_time: at(now), available_end_time: at(now + 30 * DAY) },
      fixed_normal_coupon: { discount_amount: 500, transaction_minimum: 1000 },
      use_method: 'OFF_LINE',
    },
    stock_send_rule: { max_coupons: 100, max_coupons_per_user: 1 },
    out_request_no: `kq-test-${Math.random().toString(36).slice(2)}`,
    coupon_code_mode: 'MERCHANT_API',
    notify_config: { notify_appid: t.config.wx.appId },
    ...over,
  }
}

describe('every request is checked as WeChat Pay checks it, and every answer is signed', () => {
  it('answers a well-signed request, signed', async () => {
    const r = await signedRequest(t, 'GET', `${B}/stocks/${stockId}`, undefined)
    expect(r.status).toBe(200)
    expect(r.json.stock_id).toBe(stockId)
    expect(await signedWell(r)).toBe(true)
    expect(r.headers.get('request-id')).toBeTruthy()
  })

  it.each([
    ['a signature that does not match', 'signature', 'sign not match'],
    ['another merchant’s mchid', 'mchid', 'mchid not match'],
    ['another certificate serial', 'serial', 'serial_no not match'],
    ['a timestamp ten minutes old', 'stale', 'timestamp expired'],
  ] as const)('refuses %s with 401 SIGN_ERROR and sign_information, signed', async (_n, tamper, issue) => {
    const r = await signedRequest(t, 'POST', `${B}/coupons/use`, { coupon_code: '1' }, { tamper })
    expect(r.status).toBe(401)
    expect(r.json.code).toBe('SIGN_ERROR')
    expect(r.json.detail.detail.issue).toBe(issue)
    expect(r.json.detail.sign_information).toMatchObject({ method: 'POST', url: `/__wxpay${B}/coupons/use` })
    expect(r.json.detail.sign_information.truncated_sign_message).toContain('{"coupon_code":"1"}')
    expect(await signedWell(r)).toBe(true)
  })

  it.each([
    ['a malformed Authorization', { auth: 'WECHATPAY2-SHA256-RSA2048 mchid=1900009191' }],
    ['no Accept', { headers: { accept: '' } }],
    ['no User-Agent', { headers: { 'user-agent': '' } }],
    ['a Wechatpay-Serial that is not the public key id', { headers: { 'wechatpay-serial': 'PUB_KEY_ID_0000' } }],
  ])('refuses %s with 400 INVALID_REQUEST, signed', async (_n, o) => {
    const r = await signedRequest(t, 'GET', `${B}/callbacks`, undefined, o)
    expect(r.status).toBe(400)
    expect(r.json.code).toBe('INVALID_REQUEST')
    expect(await signedWell(r)).toBe(true)
  })

  it('signs a 404 and a planned 500 too, and a badsig fault is what a client must refuse', async () => {
    const missing = await signedRequest(t, 'GET', `${B}/stocks`, undefined)
    expect(missing.status).toBe(404)
    expect(await signedWell(missing)).toBe(true)
    await planFault(t, `wxpay:${B}/stocks/{stock_id}`, 'SYSTEM_ERROR', 1)
    const down = await signedRequest(t, 'GET', `${B}/stocks/${stockId}`, undefined)
    expect([down.status, down.json.code]).toEqual([500, 'SYSTEM_ERROR'])
    expect(await signedWell(down)).toBe(true)
    await planFault(t, `wxpay:${B}/stocks/{stock_id}`, 'badsig', 1)
    const bad = await signedRequest(t, 'GET', `${B}/stocks/${stockId}`, undefined)
    expect(bad.status).toBe(200)
    expect(await signedWell(bad)).toBe(false)
  })

  it('answers 429 and drops the connection on demand, for every API with wxpay:*', async () => {
    await planFault(t, 'wxpay:*', '429', 1)
    expect((await signedRequest(t, 'GET', `${B}/callbacks`, undefined)).status).toBe(429)
    await planFault(t, 'wxpay:*', 'drop', 1)
    await expect(signedRequest(t, 'GET', `${B}/callbacks`, undefined)).rejects.toThrow()
  })
})

describe('stocks', () => {
  it('creates a MERCHANT_API stock and reads it back RUNNING; the same out_request_no again is RESOURCE_ALREADY_EXISTS', async () => {
    const body = stockBody()
    const made = await signedRequest(t, 'POST', `${B}/stocks`, body)
    expect(made.status).toBe(200)
    expect(made.json.stock_id).toMatch(/^\d{16}$/)
    expect(made.json.create_time).toMatch(/\+08:00$/)
    const read = await signedRequest(t, 'GET', `${B}/stocks/${made.json.stock_id}`, undefined)
    expect(read.json).toMatchObject({
      stock_state: 'RUNNING',
      coupon_code_mode: 'MERCHANT_API',
      notify_config: { notify_appid: t.config.wx.appId },
      send_count_information: { total_send_num: 0 },
    })
    const again = await signedRequest(t, 'POST', `${B}/stocks`, body)
    expect([again.status, again.json.code, again.json.message]).toEqual([400, 'RESOURCE_ALREADY_EXISTS', '批次已存在'])
  })

  type Rule = ReturnType<typeof stockBody>['coupon_use_rule']
  it.each([
    ['a stock_name over 21 characters', () => ({ stock_name: '一'.repeat(22) }), 'PARAM_ERROR'],
    ['a goods_name over 15 characters', () => ({ goods_name: '一'.repeat(16) }), 'PARAM_ERROR'],
    ['a rule that does not match the type', () => ({ stock_type: 'DISCOUNT' }), 'PARAM_ERROR'],
    [
      'a discount of 0 fen',
      (rule: Rule) => ({
        coupon_use_rule: { ...rule, fixed_normal_coupon: { discount_amount: 0, transaction_minimum: 0 } },
      }),
      'PARAM_ERROR',
    ],
    [
      'a window over a year',
      (rule: Rule) => ({
        coupon_use_rule: {
          ...rule,
          coupon_available_time: {
            available_begin_time: rule.coupon_available_time.available_begin_time,
            available_end_time: '2099-06-01T00:00:00+08:00',
          },
        },
      }),
      'PARAM_ERROR',
    ],
    [
      'a time without a zone',
      (rule: Rule) => ({
        coupon_use_rule: {
          ...rule,
          coupon_available_time: { ...rule.coupon_available_time, available_begin_time: '2026-12-01 10:00:00' },
        },
      }),
      'PARAM_ERROR',
    ],
    [
      'more than 100 per user',
      () => ({ stock_send_rule: { max_coupons: 1000, max_coupons_per_user: 101 } }),
      'PARAM_ERROR',
    ],
    ['an unknown code mode', () => ({ coupon_code_mode: 'KAQUAN' }), 'PARAM_ERROR'],
    [
      'merchant_name, which is not settable',
      () => ({ display_pattern_info: { merchant_name: '山川' } }),
      'PARAM_ERROR',
    ],
    ['another merchant as owner', () => ({ belong_merchant: '1900000002' }), 'NO_AUTH'],
    [
      'a notify_appid not bound to the merchant',
      () => ({ notify_config: { notify_appid: 'wx0000000000000000' } }),
      'APPID_MCHID_NOT_MATCH',
    ],
  ])('refuses %s', async (_n, over, code) => {
    const base = stockBody()
    const r = await signedRequest(t, 'POST', `${B}/stocks`, { ...base, ...over(base.coupon_use_rule) })
    expect(r.status).toBeGreaterThanOrEqual(400)
    expect(r.status).toBeLessThan(500)
    expect(r.json.code).toBe(code)
  })

  it('answers 404 for an unknown stock and 403 NO_AUTH for another merchant’s', async () => {
    expect((await signedRequest(t, 'GET', `${B}/stocks/1000000000000000`, undefined)).status).toBe(404)
    await foreignStock()
    const r = await signedRequest(t, 'GET', `${B}/stocks/1000000000000042`, undefined)
    expect([r.status, r.json.code]).toEqual([403, 'NO_AUTH'])
  })
})

describe('a user’s coupon and coupons/use', () => {
  async function held() {
    const phone = new Phone(t.url)
    await phone.login()
    const c = (await phone.post('/api/offers/americano-5off/claim', {}, { 'idempotency-key': `k-${Math.random()}` }))
      .json.coupon
    const ext = (await phone.get(`/api/coupons/${c.id}/card-ext`)).json
    expect((await addToSandboxWallet(phone, ext.cardId, ext.cardExt)).ok).toBe(true)
    const openid = (await phone.get('/api/me')).json.user.openid as string
    return { code: c.code as string, openid, outRequestNo: JSON.parse(ext.cardExt).out_request_no as string }
  }
  const use = (code: string, no: string, over: Record<string, unknown> = {}) =>
    signedRequest(t, 'POST', `${B}/coupons/use`, {
      coupon_code: code,
      stock_id: stockId,
      appid: t.config.wx.appId,
      use_time: '2026-12-01T10:00:00+08:00',
      use_request_no: no,
      ...over,
    })

  it('shows the coupon SENDED with the addCard out_request_no as send_request_no', async () => {
    const h = await held()
    const r = await signedRequest(
      t,
      'GET',
      `${B}/users/${h.openid}/coupons/${h.code}/appids/${t.config.wx.appId}`,
      undefined,
    )
    expect(r.json).toMatchObject({
      coupon_code: h.code,
      stock_id: stockId,
      coupon_state: 'SENDED',
      send_request_no: h.outRequestNo,
    })
    const wrongApp = await signedRequest(
      t,
      'GET',
      `${B}/users/${h.openid}/coupons/${h.code}/appids/wx0000000000000000`,
      undefined,
    )
    expect(wrongApp.json.code).toBe('APPID_MCHID_NOT_MATCH')
    const otherUser = await signedRequest(
      t,
      'GET',
      `${B}/users/oNobody0000000000000000000000/coupons/${h.code}/appids/${t.config.wx.appId}`,
      undefined,
    )
    expect([otherUser.status, otherUser.json.code]).toEqual([404, 'RESOURCE_NOT_EXISTS'])
  })

  it('answers a replay of the same use_request_no with the first 200, and another number with RESOURCE_ALREADY_EXISTS', async () => {
    const h = await held()
    const first = await use(h.code, 'UseOne0001')
    expect(first.status).toBe(200)
    expect(first.json).toMatchObject({ stock_id: stockId, openid: h.openid })
    const replay = await use(h.code, 'UseOne0001')
    expect([replay.status, replay.json]).toEqual([200, first.json])
    const other = await use(h.code, 'UseTwo0002')
    expect([other.status, other.json.code]).toEqual([400, 'RESOURCE_ALREADY_EXISTS'])
    const after = await signedRequest(
      t,
      'GET',
      `${B}/users/${h.openid}/coupons/${h.code}/appids/${t.config.wx.appId}`,
      undefined,
    )
    expect(after.json).toMatchObject({ coupon_state: 'USED', use_request_no: 'UseOne0001' })
  })

  it.each([
    ['no stock_id for a MERCHANT_API code', { stock_id: undefined }, 400, 'PARAM_ERROR'],
    ['an AppID not bound to the merchant', { appid: 'wx0000000000000000' }, 400, 'APPID_MCHID_NOT_MATCH'],
    ['a use_request_no over 32 characters', { use_request_no: 'x'.repeat(33) }, 400, 'PARAM_ERROR'],
    ['an openid that does not hold it', { openid: 'oNobody0000000000000000000000' }, 400, 'PARAM_ERROR'],
    ['a stock it does not belong to', { stock_id: '1000000000000000' }, 404, 'RESOURCE_NOT_EXISTS'],
  ])('refuses %s', async (_n, over, status, code) => {
    const h = await held()
    const r = await use(h.code, `U${Math.random().toString(36).slice(2, 12)}`, over)
    expect([r.status, r.json.code]).toEqual([status, code])
  })
})

describe('the callback URL', () => {
  // Callbacks of later tests come back to this app, never to the addresses tried here.
  afterAll(async () => {
    await signedRequest(t, 'POST', `${B}/callbacks`, { notify_url: `${t.url}/wechatpay/notify` })
  })
  it.each([
    ['an http address of the sandbox’s own host', `${'{url}'}/wechatpay/notify`, 200],
    ['an https address', 'https://coupons.example.invalid/wechatpay/notify', 200],
    ['an address with a query', '{url}/wechatpay/notify?x=1', 400],
    ['a plain-http address elsewhere', 'http://coupons.example.invalid/wechatpay/notify', 400],
  ])('takes or refuses %s', async (_n, url, status) => {
    const notify = url.replace('{url}', t.url)
    const r = await signedRequest(t, 'POST', `${B}/callbacks`, { notify_url: notify })
    expect(r.status).toBe(status)
    if (status === 200) {
      const got = await signedRequest(t, 'GET', `${B}/callbacks?mchid=${t.config.wxpay!.mchid}`, undefined)
      expect(got.json).toEqual({ mchid: t.config.wxpay!.mchid, notify_url: notify })
    }
  })

  it('is per merchant: another mchid is refused', async () => {
    const r = await signedRequest(t, 'POST', `${B}/callbacks`, {
      mchid: '1900000002',
      notify_url: 'https://x.example.invalid/n',
    })
    expect(r.json.code).toBe('NO_AUTH')
  })
})

describe('wx.addCard with stock-id cards', () => {
  async function phone() {
    const p = new Phone(t.url)
    await p.login()
    return p
  }
  /** A cardList built from the documented rule, not from the code under test. */
  async function cardList(
    coupons: { stock: string; no: string; code?: string; extra?: Record<string, string> }[],
    key?: string,
  ) {
    const k = await payKeys(t)
    const fields: Record<string, string | undefined> = { send_coupon_merchant: k.mchid }
    coupons.forEach((c, i) => {
      fields[`stock_id${i}`] = c.stock
      fields[`out_request_no${i}`] = c.no
      fields[`coupon_code${i}`] = c.code
    })
    const sign = documentedSign(fields, key ?? k.apiV2Key)
    return coupons.map((c, i) => ({
      card_id: c.stock,
      card_ext: JSON.stringify({
        out_request_no: c.no,
        ...(c.code ? { coupon_code: c.code } : {}),
        ...(i === 0 ? { send_coupon_merchant: k.mchid, sign } : {}),
        ...c.extra,
      }),
    }))
  }
  const add = async (p: Phone, list: unknown) => (await p.post('/__wx/bridge/add-card', { card_list: list })).json
  const code = () => `${Date.now()}${Math.floor(Math.random() * 1e6)}`.slice(0, 16)

  it('takes a cardList signed by the documented rule, and the coupon shows in 我的卡包 and at the counter’s camera', async () => {
    const p = await phone()
    const c = code()
    expect(await add(p, await cardList([{ stock: stockId, no: 'docrule0001', code: c }]))).toMatchObject({ ok: true })
    const wallet = (await p.get('/__wx/bridge/wallet')).json.cards
    expect(wallet).toContainEqual(expect.objectContaining({ code: c, card_id: stockId, status: 'NORMAL' }))
    expect((await p.get('/__wx/bridge/scannable')).json.cards.map((x: { code: string }) => x.code)).toContain(c)
    expect((await p.get(`/__wx/bridge/cards?ids=${stockId}`)).json.cards[0]).toMatchObject({ card_id: stockId })
  })

  it.each([
    [
      'signed with the APIv3 key',
      async () => cardList([{ stock: stockId, no: 'v3key0001', code: code() }], (await payKeys(t)).apiV3Key),
      'fail_sign_error',
    ],
    [
      'a field sent but not signed',
      async () =>
        cardList([
          {
            stock: stockId,
            no: 'unsigned01',
            code: code(),
            extra: { customize_send_time: '2026-12-01T10:00:00+08:00' },
          },
        ]),
      'fail_sign_error',
    ],
    [
      'the merchant and sign left off the first item',
      async () =>
        (await cardList([{ stock: stockId, no: 'first0001', code: code() }])).map(i => ({
          ...i,
          card_ext: JSON.stringify({ out_request_no: 'first0001', coupon_code: JSON.parse(i.card_ext).coupon_code }),
        })),
      'fail_invalid_card_ext',
    ],
    [
      'the sign on a later item too',
      async () => {
        const l = await cardList([
          { stock: stockId, no: 'later0001', code: code() },
          { stock: stockId, no: 'later0002', code: code() },
        ])
        const first = JSON.parse(l[0]!.card_ext)
        return [l[0]!, { ...l[1]!, card_ext: JSON.stringify({ ...JSON.parse(l[1]!.card_ext), sign: first.sign }) }]
      },
      'fail_invalid_card_ext',
    ],
    [
      'four coupons of one stock',
      async () => cardList([1, 2, 3, 4].map(i => ({ stock: stockId, no: `four000${i}`, code: code() + i }))),
      'fail_too_many_coupons_of_stock',
    ],
    [
      'no coupon_code for a MERCHANT_API stock',
      async () => cardList([{ stock: stockId, no: 'nocode0001' }]),
      'fail_-202_coupon_code_required',
    ],
  ])('refuses a cardList %s', async (_n, make, reason) => {
    const r = await add(await phone(), await make())
    expect(r).toEqual({ ok: false, reason })
  })

  it('refuses more than 10 coupons in one call', async () => {
    const stocks = await Promise.all(
      [1, 2, 3, 4].map(
        async () => (await signedRequest(t, 'POST', `${B}/stocks`, stockBody())).json.stock_id as string,
      ),
    )
    const list = await cardList(
      Array.from({ length: 11 }, (_, i) => ({ stock: stocks[i % 4]!, no: `eleven${i}`, code: code() + i })),
    )
    const r = await (await phone()).post('/__wx/bridge/add-card', { card_list: list })
    expect(r.json.ok).not.toBe(true)
    expect((await (await phone()).get('/__wx/bridge/wallet')).json.cards).toEqual([])
  })

  it('issues nothing new for the same out_request_no again (DUPREQUEST), and holds to the per-user limit', async () => {
    const p = await phone()
    const list = await cardList([{ stock: stockId, no: 'dupreq0001', code: code() }])
    expect((await add(p, list)).ok).toBe(true)
    expect((await add(p, list)).ok).toBe(true)
    const mine = (await p.get('/__wx/bridge/wallet')).json.cards.filter(
      (x: { card_id: string }) => x.card_id === stockId,
    )
    expect(mine).toHaveLength(1)
    // The demo stock allows two per user.
    expect((await add(p, await cardList([{ stock: stockId, no: 'dupreq0002', code: code() }]))).ok).toBe(true)
    expect(await add(p, await cardList([{ stock: stockId, no: 'dupreq0003', code: code() }]))).toEqual({
      ok: false,
      reason: 'fail_max_coupons_per_user',
    })
  })

  it('takes coupons of two stocks in one call', async () => {
    const other = (await signedRequest(t, 'POST', `${B}/stocks`, stockBody())).json.stock_id
    const p = await phone()
    const list = await cardList([
      { stock: stockId, no: 'twostock01', code: code() },
      { stock: other, no: 'twostock02', code: code() },
    ])
    expect((await add(p, list)).ok).toBe(true)
    expect((await p.get('/__wx/bridge/wallet')).json.cards).toHaveLength(2)
  })
})

describe('checkStock', () => {
  const offer = (over: Partial<OffersTable> = {}): OffersTable => {
    const now = t.clock.now()
    return {
      id: 'stock-check',
      merchant_id: 'shanchuan',
      title: '检查批次',
      kind: 'cash',
      value_fen: 500,
      threshold_fen: 3000,
      discount_percent: null,
      gift_name: null,
      description: '',
      rules: '',
      image_url: null,
      stock_total: 100,
      stock_left: 100,
      per_user_limit: 1,
      starts_at: now,
      ends_at: now + 20 * DAY,
      validity_type: 'relative',
      valid_from: null,
      valid_to: null,
      valid_days: 7,
      all_stores: 1,
      wx_card_id: null,
      wx_stock_id: null,
      created_at: now,
      ...over,
    }
  }

  it('passes a stock made for the offer by createStockForOffer, and the demo stock for the demo offer', async () => {
    const o = offer()
    const id = await createStockForOffer(deps(), o)
    expect(await checkStock(deps(), id, o)).toMatchObject({ ok: true })
    const demo = await t.database.db
      .selectFrom('offers')
      .selectAll()
      .where('id', '=', 'americano-5off')
      .executeTakeFirstOrThrow()
    expect(await checkStock(deps(), stockId, demo)).toMatchObject({ ok: true })
  })

  it.each([
    ['an unknown stock id', (): string => '1000000000000000', {}, 'wxStockId', '不存在'],
    ['a stock id that is not digits', (): string => 'pKQcard', {}, 'wxStockId', '数字'],
    ['another merchant’s stock', (): string => 'foreign', {}, 'wxStockId', '不属于本商户号'],
    ['a validity longer than the stock’s window', (): string => stockId, { valid_days: 120 }, 'validity', '未覆盖'],
    [
      'more coupons than the stock allows',
      (): string => stockId,
      { stock_total: 5000, valid_days: 7 },
      'stockTotal',
      '少于',
    ],
    ['a higher per-user limit than the stock’s', (): string => stockId, { per_user_limit: 5 }, 'perUserLimit', '每人'],
  ] as const)('says in words what is wrong with %s, on the field', async (_n, id, over, field, words) => {
    const given = id()
    const r = await checkStock(
      deps(),
      given === 'foreign' ? await foreignStock() : given,
      offer({ ...over, starts_at: t.clock.now(), ends_at: t.clock.now() + 10 * DAY }),
    )
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.issues).toContainEqual({ field, message: expect.stringContaining(words) })
  })

  it('refuses a stock whose codes WeChat Pay picks (WECHATPAY_MODE)', async () => {
    const id = (await signedRequest(t, 'POST', `${B}/stocks`, stockBody({ coupon_code_mode: 'WECHATPAY_MODE' }))).json
      .stock_id
    const r = await checkStock(deps(), id, offer({ ends_at: t.clock.now() + DAY, valid_days: 1 }))
    expect(r).toMatchObject({
      ok: false,
      issues: [expect.objectContaining({ field: 'wxStockId', message: expect.stringContaining('MERCHANT_API') })],
    })
  })

  it('says WeChat Pay is not configured when it is off, and is a 502 only when WeChat Pay is unreachable', async () => {
    const off = { ...deps(), config: { ...t.config, wxpay: null } }
    expect(await checkStock(off, stockId, offer())).toMatchObject({
      ok: false,
      issues: [{ field: 'wxStockId', message: expect.stringContaining('WXPAY_MCHID') }],
    })
    await planFault(t, `wxpay:${B}/stocks/{stock_id}`, 'SYSTEM_ERROR', 1000)
    await expect(checkStock(deps(), stockId, offer())).rejects.toMatchObject({
      code: 'wechat_unavailable',
      status: 502,
    })
  })

  it('maps an offer to the stock request WeChat Pay documents', () => {
    const r = stockRequestFor(offer({ kind: 'discount', discount_percent: 88, threshold_fen: 0 }), '1900009191', 'no1')
    expect(r).toMatchObject({
      stock_type: 'DISCOUNT',
      coupon_code_mode: 'MERCHANT_API',
      coupon_use_rule: { discount_coupon: { discount_percent: 88 } },
    })
    expect(r.coupon_use_rule.coupon_available_time.available_day_after_receive).toBe(7)
  })
})

describe('the sandbox’s WeChat Pay keys', () => {
  it('are made per database, kept across restarts, and check out as a real configuration does', async () => {
    const [a, b] = [await createTestDatabase(), await createTestDatabase()]
    try {
      const first = (await withSandboxSecrets(loadConfig({}), a.db)).wxpay!
      const again = (await withSandboxSecrets(loadConfig({}), a.db)).wxpay!
      const other = (await withSandboxSecrets(loadConfig({}), b.db)).wxpay!
      expect(again.apiV2Key).toBe(first.apiV2Key)
      expect(again.platformPublicKeyId).toBe(first.platformPublicKeyId)
      expect(other.apiV2Key).not.toBe(first.apiV2Key)
      expect(other.apiV3Key).not.toBe(first.apiV3Key)
      expect(first.platformPublicKeyId).toMatch(/^PUB_KEY_ID_\d{32}$/)
      expect(first.certSerial).toMatch(/^[0-9A-F]{40}$/)
      expect(first.apiBase).toBe('http://localhost:8080/__wxpay')
      expect(first.notifyUrl).toBe('http://localhost:8080/wechatpay/notify')
      const message = 'probe\n'
      const sig = createSign('RSA-SHA256').update(message).sign(first.privateKey, 'base64')
      expect(createPublicKey(first.privateKey).export({ format: 'pem', type: 'spki' })).not.toEqual(
        first.platformPublicKey.export({ format: 'pem', type: 'spki' }),
      )
      expect(sig.length).toBeGreaterThan(300)
    } finally {
      await a.drop()
      await b.drop()
    }
  })

  it('sets the notify URL once at start and reads it back (registerNotifyUrl)', async () => {
    const { registerNotifyUrl } = await import('../../src/server/wechatpay/setup.ts')
    await signedRequest(t, 'POST', `${B}/callbacks`, { notify_url: 'https://old.example.invalid/n' })
    expect(await registerNotifyUrl(payClient(t))).toBe(
      `COUPON.SEND now goes to ${t.url}/wechatpay/notify (was https://old.example.invalid/n)`,
    )
    expect(await registerNotifyUrl(payClient(t))).toBe(`COUPON.SEND already goes to ${t.url}/wechatpay/notify`)
  })
})
