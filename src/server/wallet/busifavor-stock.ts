/**
 * An offer's 商家券 stock (批次) in WeChat Pay (创建商家券, 查询商家券详情). checkStock is what the console asks when
 * a merchant links a stock id: the stock must exist, belong to this merchant, use MERCHANT_API codes
 * (so the wallet holds the H5 coupon's own code) and be usable whenever a coupon of the offer is.
 * Its answers are field-level Chinese messages; only WeChat Pay being unreachable is a 502.
 */
import type { Deps } from '../deps.ts'
import type { OffersTable } from '../db/schema.ts'
import { AppError } from '../http/errors.ts'
import { WxPayError, wxPayCodes } from '../wechatpay/errors.ts'
import { epochOf, rfc3339China } from '../wechatpay/time.ts'
import type { CreateStockRequest, Stock } from '../wechatpay/types.ts'
import { wxPayClientOf, wxPayUnavailable } from './busifavor.ts'

const DAY = 86_400

export type StockOffer = Pick<
  OffersTable,
  | 'id'
  | 'title'
  | 'description'
  | 'kind'
  | 'value_fen'
  | 'threshold_fen'
  | 'discount_percent'
  | 'stock_total'
  | 'per_user_limit'
  | 'starts_at'
  | 'ends_at'
  | 'validity_type'
  | 'valid_from'
  | 'valid_to'
  | 'valid_days'
>

/** When the offer's coupons can be used, from the first claimable one to the last: what the stock must cover. */
export function usableWindow(o: StockOffer): { begin: number; end: number; days: number | null } {
  if (o.validity_type === 'fixed')
    return { begin: o.valid_from ?? o.starts_at, end: o.valid_to ?? o.ends_at, days: null }
  const days = o.valid_days ?? 0
  return { begin: o.starts_at, end: o.ends_at + days * DAY, days }
}

const cut = (s: string, n: number) => [...s].slice(0, n).join('')

/** The creation request for an offer's stock: its value, window and limits, codes given by Kaquan. */
export function stockRequestFor(o: StockOffer, mchid: string, outRequestNo: string): CreateStockRequest {
  const w = usableWindow(o)
  // A threshold below the discount would mean paying less than nothing; WeChat Pay's 代金券 refuse it.
  const minimum = Math.max(o.threshold_fen, o.kind === 'cash' ? o.value_fen : 0)
  const rule =
    o.kind === 'cash'
      ? { fixed_normal_coupon: { discount_amount: o.value_fen, transaction_minimum: minimum } }
      : o.kind === 'discount'
        ? { discount_coupon: { discount_percent: o.discount_percent ?? 100, transaction_minimum: minimum } }
        : { exchange_coupon: { exchange_price: 0, transaction_minimum: minimum } }
  return {
    stock_name: cut(o.title, 21),
    belong_merchant: mchid,
    comment: cut(`Kaquan ${o.id}`, 20),
    goods_name: cut(o.title, 15),
    stock_type: o.kind === 'cash' ? 'NORMAL' : o.kind === 'discount' ? 'DISCOUNT' : 'EXCHANGE',
    coupon_use_rule: {
      coupon_available_time: {
        available_begin_time: rfc3339China(w.begin),
        available_end_time: rfc3339China(w.end),
        ...(w.days ? { available_day_after_receive: w.days } : {}),
      },
      ...rule,
      use_method: 'OFF_LINE',
    },
    stock_send_rule: { max_coupons: o.stock_total, max_coupons_per_user: Math.min(o.per_user_limit, 100) },
    out_request_no: outRequestNo,
    custom_entrance: { code_display_mode: 'BARCODE' },
    coupon_code_mode: 'MERCHANT_API',
  }
}

/** Creates the offer's stock in WeChat Pay and returns its id; WeChat Pay's refusal is a 400 with its words. */
export async function createStockForOffer(deps: Deps, o: StockOffer): Promise<string> {
  const client = wxPayClientOf(deps)
  if (!client) throw new AppError('invalid_request', '未配置微信支付商户号（WXPAY_MCHID），不能创建商家券批次')
  const no = `KQ${o.id.replace(/[^0-9A-Za-z]/g, '').slice(0, 40)}${deps.clock.now()}`
  try {
    return (await client.createStock(stockRequestFor(o, client.config.mchid, no))).stock_id
  } catch (err) {
    if (err instanceof WxPayError && !err.transient)
      throw new AppError('invalid_request', `微信支付拒绝创建批次：${err.message || err.code}`)
    throw wxPayUnavailable(err)
  }
}

export interface StockIssue {
  field: 'wxStockId' | 'validity' | 'stockTotal' | 'perUserLimit'
  message: string
}
export type StockCheck = { ok: true; stock: Stock } | { ok: false; issues: StockIssue[] }

const states: Record<string, string> = { UNAUDIT: '审核中', PAUSED: '已暂停', STOPED: '已停止' }
const day = (t: number) => rfc3339China(t).slice(0, 10)

export async function checkStock(deps: Deps, stockId: string, offer: StockOffer): Promise<StockCheck> {
  const refuse = (field: StockIssue['field'], message: string): StockCheck => ({
    ok: false,
    issues: [{ field, message }],
  })
  const client = wxPayClientOf(deps, { timeoutMs: 3000, deadlineMs: 6000 })
  if (!client) return refuse('wxStockId', '未配置微信支付商户号（WXPAY_MCHID），暂不能关联商家券批次')
  if (!/^[0-9]{1,32}$/.test(stockId)) return refuse('wxStockId', '批次号应为微信支付商户平台上的数字批次号')
  let stock: Stock
  try {
    stock = await client.getStock(stockId)
  } catch (err) {
    if (err instanceof WxPayError && (err.status === 404 || err.is(wxPayCodes.notExists)))
      return refuse('wxStockId', '批次号不存在，请在微信支付商户平台 → 营销中心 → 商家券中核对')
    if (err instanceof WxPayError && (err.status === 403 || err.is(wxPayCodes.noAuth)))
      return refuse('wxStockId', `该批次不属于本商户号 ${client.config.mchid}`)
    if (err instanceof WxPayError && !err.transient && err.status < 500)
      return refuse('wxStockId', `微信支付无法查询该批次：${err.message || err.code}`)
    throw wxPayUnavailable(err)
  }
  const issues: StockIssue[] = []
  if (stock.belong_merchant !== undefined && stock.belong_merchant !== client.config.mchid)
    issues.push({
      field: 'wxStockId',
      message: `该批次归属商户号 ${stock.belong_merchant}，不是本商户号 ${client.config.mchid}`,
    })
  if (stock.coupon_code_mode !== 'MERCHANT_API')
    issues.push({
      field: 'wxStockId',
      message: `批次的券code模式须为“商户API指定”（MERCHANT_API），此批次为 ${stock.coupon_code_mode}`,
    })
  if (stock.stock_state !== 'RUNNING')
    issues.push({
      field: 'wxStockId',
      message: `批次${states[stock.stock_state] ?? `状态为 ${stock.stock_state}`}，不能发券`,
    })
  issues.push(...coverage(stock, offer))
  return issues.length ? { ok: false, issues } : { ok: true, stock }
}

/** The stock must be usable whenever one of the offer's coupons is, and allow as many coupons. */
function coverage(stock: Stock, offer: StockOffer): StockIssue[] {
  const issues: StockIssue[] = []
  const rule = stock.coupon_use_rule as { coupon_available_time?: Record<string, unknown> } | undefined
  const t = rule?.coupon_available_time ?? {}
  const begin = typeof t.available_begin_time === 'string' ? epochOf(t.available_begin_time) : null
  const end = typeof t.available_end_time === 'string' ? epochOf(t.available_end_time) : null
  const w = usableWindow(offer)
  if (begin === null || end === null) issues.push({ field: 'validity', message: '无法读取批次的可用时间' })
  else if (begin > w.begin || end < w.end)
    issues.push({
      field: 'validity',
      message: `批次可用时间 ${day(begin)}–${day(end)} 未覆盖优惠券的使用期 ${day(w.begin)}–${day(w.end)}`,
    })
  const after = typeof t.available_day_after_receive === 'number' ? t.available_day_after_receive : null
  const need = w.days ?? Math.ceil((w.end - offer.starts_at) / DAY)
  if (after !== null && after < need)
    issues.push({ field: 'validity', message: `批次领取后 ${after} 天内有效，短于优惠券的 ${need} 天` })
  const send = stock.stock_send_rule as { max_coupons?: number; max_coupons_per_user?: number } | undefined
  if (send?.max_coupons !== undefined && send.max_coupons < offer.stock_total)
    issues.push({
      field: 'stockTotal',
      message: `批次最多发放 ${send.max_coupons} 张，少于优惠券库存 ${offer.stock_total} 张`,
    })
  if (send?.max_coupons_per_user !== undefined && send.max_coupons_per_user < offer.per_user_limit)
    issues.push({
      field: 'perUserLimit',
      message: `批次每人最多领 ${send.max_coupons_per_user} 张，少于优惠券的每人限领 ${offer.per_user_limit} 张`,
    })
  return issues
}
