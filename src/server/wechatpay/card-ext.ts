/**
 * wx.addCard for 商家券 (WeChat Pay's JSAPI 发券 rules, as WeChat Pay staff quote them at
 * developers.weixin.qq.com/community/pay/doc/0002aeac904cc8ab4fac9f6db5e400): cardId is the stock_id
 * and cardExt a JSON string holding out_request_no, coupon_code and, in the first item only,
 * send_coupon_merchant and sign.
 * The sign is WeChat Pay's APIv2 rule ("安全规范 签名算法", pay.weixin.qq.com/wiki/doc/api/jsapi.php?chapter=4_3)
 * over indexed fields ("参与签名字段说明", pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter9_3_1.shtml),
 * HMAC-SHA256 keyed with the APIv2 key, never the APIv3 one.
 * cardExt and sign are made from one list of fields, because a field sent but not signed (or the
 * reverse) is refused by WeChat.
 */
import { createHmac } from 'node:crypto'

export type SignFields = Readonly<Record<string, string | undefined>>

/** Empty values left out, keys in ASCII order, raw values (not URL-encoded), then &key=. */
export function v2SignString(fields: SignFields, apiV2Key: string): string {
  const pairs = Object.entries(fields)
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
  return `${pairs.join('&')}&key=${apiV2Key}`
}

/** APIv2 HMAC-SHA256 sign, upper-case hex. */
export function v2Sign(fields: SignFields, apiV2Key: string): string {
  return createHmac('sha256', apiV2Key).update(v2SignString(fields, apiV2Key), 'utf8').digest('hex').toUpperCase()
}

export interface BusifavorCoupon {
  stockId: string
  /** Unique for the stock and the user; letters, digits and | _ * - . */
  outRequestNo: string
  /** Required for MERCHANT_API stocks: Kaquan's own code. */
  couponCode?: string
  /** RFC 3339. */
  customizeSendTime?: string
}

/** The indexed fields: stock_id{i}, out_request_no{i}, coupon_code{i}, customize_send_time{i}, plus send_coupon_merchant once. */
export function busifavorSignFields(coupons: readonly BusifavorCoupon[], sendCouponMerchant: string): SignFields {
  const fields: Record<string, string | undefined> = { send_coupon_merchant: sendCouponMerchant }
  coupons.forEach((c, i) => {
    fields[`stock_id${i}`] = c.stockId
    fields[`out_request_no${i}`] = c.outRequestNo
    fields[`coupon_code${i}`] = c.couponCode
    fields[`customize_send_time${i}`] = c.customizeSendTime
  })
  return fields
}

export function busifavorSign(fields: SignFields, apiV2Key: string): string {
  return v2Sign(fields, apiV2Key)
}

export interface CardListItem {
  cardId: string
  cardExt: string
}

/** The cardList for wx.addCard: one item per coupon, the first one carrying the merchant and the sign. */
export function busifavorCardList(
  coupons: readonly BusifavorCoupon[],
  sendCouponMerchant: string,
  apiV2Key: string,
): CardListItem[] {
  if (coupons.length === 0) throw new Error('busifavorCardList needs at least one coupon')
  const sign = busifavorSign(busifavorSignFields(coupons, sendCouponMerchant), apiV2Key)
  return coupons.map((c, i) => {
    const ext: Record<string, string> = { out_request_no: c.outRequestNo }
    if (c.couponCode) ext.coupon_code = c.couponCode
    if (c.customizeSendTime) ext.customize_send_time = c.customizeSendTime
    if (i === 0) Object.assign(ext, { send_coupon_merchant: sendCouponMerchant, sign })
    return { cardId: c.stockId, cardExt: JSON.stringify(ext) }
  })
}

const EXT_FIELDS = new Set(['out_request_no', 'coupon_code', 'customize_send_time', 'send_coupon_merchant', 'sign'])

export interface ReadCardList {
  coupons: BusifavorCoupon[]
  sendCouponMerchant: string
  sign: string
}

/**
 * The receiving half, for the sandbox's wx.addCard: reads a cardList back into the fields that were
 * signed, or null when an item is not JSON, carries a field outside the rule, or the merchant and
 * sign are missing from the first item or present in a later one. Recompute with busifavorSign.
 */
export function readBusifavorCardList(list: readonly CardListItem[]): ReadCardList | null {
  const coupons: BusifavorCoupon[] = []
  let sendCouponMerchant = ''
  let sign = ''
  for (const [i, item] of list.entries()) {
    let ext: unknown
    try {
      ext = JSON.parse(item.cardExt)
    } catch {
      return null
    }
    if (!ext || typeof ext !== 'object' || Array.isArray(ext)) return null
    const e = ext as Record<string, unknown>
    if (!Object.entries(e).every(([k, v]) => EXT_FIELDS.has(k) && typeof v === 'string')) return null
    const s = e as Record<string, string | undefined>
    if (i === 0 ? !s.send_coupon_merchant || !s.sign : s.send_coupon_merchant !== undefined || s.sign !== undefined)
      return null
    if (i === 0) [sendCouponMerchant, sign] = [s.send_coupon_merchant!, s.sign!]
    if (!item.cardId || !s.out_request_no) return null
    coupons.push({
      stockId: item.cardId,
      outRequestNo: s.out_request_no,
      couponCode: s.coupon_code,
      customizeSendTime: s.customize_send_time,
    })
  }
  return coupons.length ? { coupons, sendCouponMerchant, sign } : null
}
