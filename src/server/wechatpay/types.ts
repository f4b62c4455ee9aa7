/**
 * The 商家券 shapes Kaquan sends and reads, in WeChat Pay's own field names (创建商家券, 领券事件回调通知,
 * 核销用户券, 查询用户单张券详情).
 * Answers are parsed, not cast: a verified answer of the wrong shape is still not data. Objects are
 * loose because WeChat Pay adds fields over time.
 */
import { z } from 'zod'

export type StockType = 'NORMAL' | 'DISCOUNT' | 'EXCHANGE'
export type CouponCodeMode = 'WECHATPAY_MODE' | 'MERCHANT_API' | 'MERCHANT_UPLOAD'

export interface CouponUseRule {
  coupon_available_time: {
    available_begin_time: string
    available_end_time: string
    available_day_after_receive?: number
    wait_days_after_receive?: number
    available_week?: { week_day?: number[]; available_day_time?: { begin_time: number; end_time: number }[] }
  }
  fixed_normal_coupon?: { discount_amount: number; transaction_minimum: number }
  discount_coupon?: { discount_percent: number; transaction_minimum: number }
  exchange_coupon?: { exchange_price: number; transaction_minimum: number }
  use_method: 'OFF_LINE' | 'MINI_PROGRAMS' | 'SELF_CONSUME' | 'PAYMENT_CODE'
  mini_programs_appid?: string
  mini_programs_path?: string
}

export interface CreateStockRequest {
  stock_name: string
  /** Defaults to the configured mchid. */
  belong_merchant?: string
  comment?: string
  goods_name: string
  stock_type: StockType
  coupon_use_rule: CouponUseRule
  stock_send_rule: {
    max_coupons: number
    max_coupons_per_user: number
    max_coupons_by_day?: number
    natural_person_limit?: boolean
    prevent_api_abuse?: boolean
  }
  /** The merchant's unique creation number; reused, it answers RESOURCE_ALREADY_EXISTS. */
  out_request_no: string
  custom_entrance?: { code_display_mode?: 'NOT_SHOW' | 'BARCODE' | 'QRCODE'; [k: string]: unknown }
  display_pattern_info?: { description?: string; merchant_logo_url?: string; background_color?: string }
  coupon_code_mode: CouponCodeMode
  /** notify_appid defaults to the configured AppID: without it callbacks carry no openid. */
  notify_config?: { notify_appid?: string }
}

export const createdStock = z.looseObject({ stock_id: z.string().min(1), create_time: z.string() })

export const stock = z.looseObject({
  stock_id: z.string().min(1),
  stock_name: z.string(),
  stock_state: z.string(),
  stock_type: z.string(),
  coupon_code_mode: z.string(),
  belong_merchant: z.string().optional(),
  coupon_use_rule: z.looseObject({}).optional(),
  stock_send_rule: z.looseObject({}).optional(),
  notify_config: z.looseObject({ notify_appid: z.string().optional() }).optional(),
  send_count_information: z
    .looseObject({ total_send_num: z.number().optional(), today_send_num: z.number().optional() })
    .optional(),
})

/** SENDED is usable; DELETED means the user removed it from the wallet. */
export type CouponState = 'SENDED' | 'USED' | 'EXPIRED' | 'DELETED' | 'DEACTIVATED'

export const userCoupon = z.looseObject({
  coupon_code: z.string(),
  stock_id: z.string(),
  coupon_state: z.string(),
  /** The addCard out_request_no that put it in the wallet. */
  send_request_no: z.string().optional(),
  receive_time: z.string().optional(),
  available_start_time: z.string().optional(),
  expire_time: z.string().optional(),
  use_request_no: z.string().optional(),
  use_time: z.string().optional(),
  deactivate_request_no: z.string().optional(),
  deactivate_time: z.string().optional(),
})

export const usedCoupon = z.looseObject({
  stock_id: z.string(),
  openid: z.string().optional(),
  wechatpay_use_time: z.string(),
})

export const callbacks = z.looseObject({
  mchid: z.string().optional(),
  notify_url: z.string().optional(),
  update_time: z.string().optional(),
})

export type Stock = z.infer<typeof stock>
export type UserCoupon = z.infer<typeof userCoupon>
export type Callbacks = z.infer<typeof callbacks>
