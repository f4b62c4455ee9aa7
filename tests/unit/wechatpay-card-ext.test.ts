import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  type BusifavorCoupon,
  busifavorCardList,
  busifavorSign,
  busifavorSignFields,
  readBusifavorCardList,
  v2Sign,
  v2SignString,
} from '../../src/server/wechatpay/card-ext.ts'

const vectors = JSON.parse(readFileSync('tests/fixtures/wxpay-vectors.json', 'utf8'))

describe('APIv2 sign', () => {
  const [official] = vectors.v2_sign
  it('matches the official V2 安全规范 example (HMAC-SHA256, upper-case hex)', () => {
    expect(v2SignString(official.params, official.key)).toBe(official.string_sign_temp)
    expect(v2Sign(official.params, official.key)).toBe(official.expected_hmac_sha256)
  })

  it('leaves empty values out', () => {
    expect(v2Sign({ ...official.params, attach: '', detail: undefined }, official.key)).toBe(
      official.expected_hmac_sha256,
    )
  })

  it.each(Object.keys(official.params))('changes when %s is tampered with', k => {
    expect(v2Sign({ ...official.params, [k]: `${official.params[k]}1` }, official.key)).not.toBe(
      official.expected_hmac_sha256,
    )
  })

  it('changes with another key', () => {
    expect(v2Sign(official.params, `${official.key.slice(1)}0`)).not.toBe(official.expected_hmac_sha256)
  })

  it('matches the H5 redirect vector, signed over the plain (not indexed) fields', () => {
    const [h5] = vectors.busifavor_h5_redirect_sign
    const key = vectors.apiv3_test_keys.apiv2_key
    expect(v2SignString(h5.params, key)).toBe(h5.sign_string)
    expect(v2Sign(h5.params, key)).toBe(h5.expected_sign)
  })
})

type JsapiVector = {
  id: string
  input: {
    apiv2_key: string
    send_coupon_merchant: string
    coupons: { stock_id: string; out_request_no: string; coupon_code?: string }[]
  }
  signed_fields: Record<string, string>
  sign_string: string
  expected_sign: string
  card_list: { cardId: string; cardExt: string }[]
}
const jsapi: JsapiVector[] = vectors.busifavor_jsapi_sign
const couponsOf = (v: JsapiVector): BusifavorCoupon[] =>
  v.input.coupons.map(c => ({ stockId: c.stock_id, outRequestNo: c.out_request_no, couponCode: c.coupon_code }))

describe('商家券 wx.addCard sign', () => {
  it.each(jsapi.map(v => [v.id, v] as const))('%s: indexes the fields, signs and builds the cardList', (_, v) => {
    const fields = busifavorSignFields(couponsOf(v), v.input.send_coupon_merchant)
    expect(Object.fromEntries(Object.entries(fields).filter(([, x]) => x !== undefined))).toEqual(v.signed_fields)
    expect(v2SignString(fields, v.input.apiv2_key)).toBe(v.sign_string)
    expect(busifavorSign(fields, v.input.apiv2_key)).toBe(v.expected_sign)
    expect(busifavorCardList(couponsOf(v), v.input.send_coupon_merchant, v.input.apiv2_key)).toEqual(v.card_list)
  })

  const shapes = vectors.busifavor_sign_documented_shapes
  it.each<[string, BusifavorCoupon[]]>([
    ['one_coupon', [{ stockId: '1234567', outRequestNo: 'abc123' }]],
    [
      'two_coupons',
      [
        { stockId: '1234567', outRequestNo: 'abc123' },
        { stockId: '2345678', outRequestNo: '123abc' },
      ],
    ],
    ['one_coupon_with_code', [{ stockId: '1234567', outRequestNo: 'abc123', couponCode: 'asdsada' }]],
  ])('writes the sign string in the shape WeChat Pay documents: %s', (shape, coupons) => {
    expect(v2SignString(busifavorSignFields(coupons, '10016226'), 'xxxxx')).toBe(shapes[shape])
  })

  const [single] = jsapi as [JsapiVector]
  const base = couponsOf(single)[0]!
  it.each<[string, Partial<BusifavorCoupon> | { merchant: string } | { key: string }]>([
    ['stock id', { stockId: '1212345600000009' }],
    ['out_request_no', { outRequestNo: 'kq-claim-000009' }],
    ['coupon code', { couponCode: '384920175549' }],
    ['coupon code left out', { couponCode: undefined }],
    ['a customize_send_time added', { customizeSendTime: '2026-11-24T15:00:00+08:00' }],
    ['merchant', { merchant: '1900000110' }],
    ['key (the APIv3 key used instead)', { key: vectors.apiv3_test_keys.apiv3_key }],
  ])('the sign changes with the %s', (_, change) => {
    const coupon = { ...base, ...change }
    const merchant = 'merchant' in change ? change.merchant : single.input.send_coupon_merchant
    const key = 'key' in change ? change.key : single.input.apiv2_key
    expect(busifavorSign(busifavorSignFields([coupon], merchant), key)).not.toBe(single.expected_sign)
  })

  it('puts in cardExt exactly the fields it signed, customize_send_time included', () => {
    const coupon = { ...base, customizeSendTime: '2026-11-24T15:00:00+08:00' }
    const [item] = busifavorCardList([coupon], '1900000109', single.input.apiv2_key)
    const ext = JSON.parse(item!.cardExt)
    expect(Object.keys(ext).sort()).toEqual(
      ['coupon_code', 'customize_send_time', 'out_request_no', 'send_coupon_merchant', 'sign'].sort(),
    )
    expect(ext.sign).toBe(busifavorSign(busifavorSignFields([coupon], '1900000109'), single.input.apiv2_key))
  })
})

describe('reading a cardList back (the sandbox side)', () => {
  const [, two] = jsapi as [JsapiVector, JsapiVector]
  it('recovers the signed fields, so the sign can be recomputed', () => {
    const read = readBusifavorCardList(two.card_list)!
    expect(read.sendCouponMerchant).toBe(two.input.send_coupon_merchant)
    expect(read.sign).toBe(two.expected_sign)
    expect(busifavorSign(busifavorSignFields(read.coupons, read.sendCouponMerchant), two.input.apiv2_key)).toBe(
      read.sign,
    )
  })

  const ext0 = JSON.parse(two.card_list[0]!.cardExt)
  const ext1 = JSON.parse(two.card_list[1]!.cardExt)
  const list = (a: object, b: object = ext1) => [
    { cardId: two.card_list[0]!.cardId, cardExt: JSON.stringify(a) },
    { cardId: two.card_list[1]!.cardId, cardExt: JSON.stringify(b) },
  ]
  it.each([
    ['a first item without the sign', list({ ...ext0, sign: undefined })],
    ['a first item without the merchant', list({ ...ext0, send_coupon_merchant: undefined })],
    ['a later item with a sign', list(ext0, { ...ext1, sign: ext0.sign })],
    ['a field outside the rule', list({ ...ext0, openid: 'oUser' })],
    ['an item without out_request_no', list(ext0, { coupon_code: '1' })],
    ['a number instead of a string', list({ ...ext0, coupon_code: 384920175548 })],
    ['an item that is not JSON', [{ cardId: '1', cardExt: '{"out_request_no":' }]],
    ['an empty list', []],
  ])('refuses %s', (_, cardList) => {
    expect(readBusifavorCardList(cardList)).toBeNull()
  })

  it('notices a tampered code: the recomputed sign differs', () => {
    const read = readBusifavorCardList(list({ ...ext0, coupon_code: '384920175549' }))!
    expect(busifavorSign(busifavorSignFields(read.coupons, read.sendCouponMerchant), two.input.apiv2_key)).not.toBe(
      read.sign,
    )
  })
})
