/**
 * 商家券 stocks (批次) as WeChat Pay validates and keeps them (创建商家券,
 * pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter9_2_1.shtml). The seed creates its demo stock
 * through createStock too, so the API and the seed can't disagree about what a stock is.
 */
import { randomInt } from 'node:crypto'
import { z } from 'zod'
import type { Db } from '../../db/index.ts'
import { epochOf, rfc3339China } from '../../wechatpay/time.ts'
import { type SandboxWxpayStocksTable, sandboxDb } from '../schema.ts'
import { PayRefusal } from './http.ts'

const DAY = 86_400
const fen = (min: number) => z.number().int().min(min).max(10_000_000)
const time = z.string().refine(s => epochOf(s) !== null, 'must be RFC 3339 with a zone, e.g. 2015-05-20T13:29:35+08:00')

export const stockRequest = z
  .object({
    stock_name: z.string().min(1).max(21),
    belong_merchant: z.string().min(8).max(32),
    comment: z.string().max(20).optional(),
    goods_name: z.string().min(1).max(15),
    stock_type: z.enum(['NORMAL', 'DISCOUNT', 'EXCHANGE']),
    coupon_use_rule: z.object({
      coupon_available_time: z.object({
        available_begin_time: time,
        available_end_time: time,
        available_day_after_receive: z.number().int().min(1).max(365).optional(),
        wait_days_after_receive: z.number().int().min(0).max(7).optional(),
        available_week: z.looseObject({}).optional(),
        irregulary_avaliable_time: z.array(z.looseObject({})).optional(),
      }),
      fixed_normal_coupon: z.object({ discount_amount: fen(1), transaction_minimum: fen(0) }).optional(),
      discount_coupon: z
        .object({ discount_percent: z.number().int().min(1).max(99), transaction_minimum: fen(0) })
        .optional(),
      // SANDBOX: an exchange price of 0 (a free gift) is accepted; no page gives its lower bound.
      exchange_coupon: z.object({ exchange_price: fen(0), transaction_minimum: fen(0) }).optional(),
      use_method: z.enum(['OFF_LINE', 'MINI_PROGRAMS', 'SELF_CONSUME', 'PAYMENT_CODE']),
      mini_programs_appid: z.string().optional(),
      mini_programs_path: z.string().optional(),
    }),
    stock_send_rule: z.object({
      max_coupons: z.number().int().min(1).max(1_000_000_000),
      max_coupons_per_user: z.number().int().min(1).max(100),
      max_coupons_by_day: z.number().int().min(1).optional(),
      natural_person_limit: z.boolean().optional(),
      prevent_api_abuse: z.boolean().optional(),
    }),
    out_request_no: z.string().min(1).max(128),
    custom_entrance: z
      .object({
        mini_programs_info: z.looseObject({}).optional(),
        appid: z.string().optional(),
        hall_id: z.string().optional(),
        store_id: z.string().optional(),
        code_display_mode: z.enum(['NOT_SHOW', 'BARCODE', 'QRCODE']).optional(),
      })
      .optional(),
    // merchant_name is not settable: WeChat Pay shows the verified brand or short name.
    display_pattern_info: z
      .object({
        description: z.string().max(1000).optional(),
        merchant_logo_url: z.string().max(1024).optional(),
        background_color: z
          .string()
          .regex(/^Color(0[1-9]0|08[12]|10[0-2])$/, 'must be one of Color010…Color102')
          .optional(),
        coupon_image_url: z.string().max(1024).optional(),
      })
      .strict()
      .optional(),
    coupon_code_mode: z.enum(['WECHATPAY_MODE', 'MERCHANT_API', 'MERCHANT_UPLOAD']),
    notify_config: z.object({ notify_appid: z.string().optional() }).optional(),
  })
  .strict()
export type StockRequest = z.infer<typeof stockRequest>

const rules = { NORMAL: 'fixed_normal_coupon', DISCOUNT: 'discount_coupon', EXCHANGE: 'exchange_coupon' } as const

/** What the schema can't say: the rule block matching the type, the window, the merchant and AppID bindings. */
function judge(r: StockRequest, caller: { mchid: string; appId: string }, now: number) {
  const bad = (field: string, message: string) =>
    new PayRefusal(400, 'PARAM_ERROR', message, { field, location: 'body' })
  const u = r.coupon_use_rule
  const present = Object.values(rules).filter(k => u[k] !== undefined)
  if (present.length !== 1 || present[0] !== rules[r.stock_type])
    return bad(
      `/coupon_use_rule/${rules[r.stock_type]}`,
      `stock_type ${r.stock_type} 须且仅须填写 ${rules[r.stock_type]}`,
    )
  const begin = epochOf(u.coupon_available_time.available_begin_time)!
  const end = epochOf(u.coupon_available_time.available_end_time)!
  if (end <= begin) return bad('/coupon_use_rule/coupon_available_time', '可用结束时间须晚于开始时间')
  if (end - begin > 365 * DAY) return bad('/coupon_use_rule/coupon_available_time', '可用时间跨度不能超过1年')
  if (end <= now) return bad('/coupon_use_rule/coupon_available_time/available_end_time', '可用结束时间须晚于当前时间')
  if (r.stock_send_rule.max_coupons_per_user > r.stock_send_rule.max_coupons)
    return bad('/stock_send_rule/max_coupons_per_user', '单用户发放上限不能大于发放总上限')
  if (r.belong_merchant !== caller.mchid)
    return new PayRefusal(403, 'NO_AUTH', '批次归属商户号须为调用方商户号（非服务商模式）')
  for (const appid of [r.notify_config?.notify_appid, r.custom_entrance?.appid])
    if (appid !== undefined && appid !== caller.appId)
      return new PayRefusal(400, 'APPID_MCHID_NOT_MATCH', `AppID ${appid} 与商户号 ${caller.mchid} 未绑定`)
  return null
}

/** Real stock ids are 16 digits. */
const newStockId = () => `1${Array.from({ length: 15 }, () => randomInt(10)).join('')}`

export async function createStock(
  db: Db,
  caller: { mchid: string; appId: string },
  r: StockRequest,
  now: number,
): Promise<{ stock_id: string; create_time: string }> {
  const refused = judge(r, caller, now)
  if (refused) throw refused
  const sdb = sandboxDb(db)
  const t = r.coupon_use_rule.coupon_available_time
  const row: SandboxWxpayStocksTable = {
    stock_id: newStockId(),
    creator_mchid: caller.mchid,
    out_request_no: r.out_request_no,
    belong_merchant: r.belong_merchant,
    stock_name: r.stock_name,
    goods_name: r.goods_name,
    stock_type: r.stock_type,
    coupon_code_mode: r.coupon_code_mode,
    stock_state: 'RUNNING',
    available_begin: epochOf(t.available_begin_time)!,
    available_end: epochOf(t.available_end_time)!,
    days_after_receive: t.available_day_after_receive ?? null,
    max_coupons: r.stock_send_rule.max_coupons,
    max_per_user: r.stock_send_rule.max_coupons_per_user,
    sent: 0,
    notify_appid: r.notify_config?.notify_appid ?? null,
    background_color: r.display_pattern_info?.background_color ?? null,
    request: JSON.stringify(r),
    created_at: now,
  }
  const inserted = await sdb
    .insertInto('sandbox_wxpay_stocks')
    .values(row)
    .onConflict(oc => oc.columns(['creator_mchid', 'out_request_no']).doNothing())
    .executeTakeFirst()
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0)
    throw new PayRefusal(400, 'RESOURCE_ALREADY_EXISTS', '批次已存在', { out_request_no: r.out_request_no })
  return { stock_id: row.stock_id, create_time: rfc3339China(now) }
}

export async function findStock(db: Db, stockId: string) {
  return sandboxDb(db).selectFrom('sandbox_wxpay_stocks').selectAll().where('stock_id', '=', stockId).executeTakeFirst()
}

/** A stock past its window has stopped (STOPED, sic, as WeChat Pay spells it). */
export function stockState(s: SandboxWxpayStocksTable, now: number): SandboxWxpayStocksTable['stock_state'] {
  return s.stock_state === 'RUNNING' && now >= s.available_end ? 'STOPED' : s.stock_state
}

/** The stock query's answer: the creation fields, plus its state and send counts. */
export async function stockAnswer(db: Db, s: SandboxWxpayStocksTable, now: number) {
  const chinaDay = Math.floor((now + 8 * 3600) / DAY) * DAY - 8 * 3600
  const today = await sandboxDb(db)
    .selectFrom('sandbox_wxpay_coupons')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('stock_id', '=', s.stock_id)
    .where('receive_time', '>=', chinaDay)
    .executeTakeFirstOrThrow()
  const { out_request_no: _o, ...fields } = JSON.parse(s.request) as StockRequest
  return {
    ...fields,
    stock_id: s.stock_id,
    stock_state: stockState(s, now),
    coupon_code_mode: s.coupon_code_mode,
    notify_config: s.notify_appid ? { notify_appid: s.notify_appid } : {},
    send_count_information: { total_send_num: Number(s.sent), today_send_num: Number(today.n) },
  }
}
