/** Redeeming at the counter: `POST /api/redeem`, `GET /api/clerk/redemptions?store=`. */
import { z } from 'zod'
import { idSchema } from './common.ts'
import type { CouponDto } from './coupons.ts'

export const redeemBody = z.object({ code: z.string().min(1).max(64), storeId: idSchema }).strict()
export const redemptionsQuery = z.object({ store: idSchema }).strict()

export interface RedeemResponse {
  coupon: CouponDto
  redeemedAt: string
  storeId: string
  /** The consumer's masked name, for the clerk to greet. */
  consumer: string
  /** For a wallet coupon: WeChat will be told (queued), or did not answer in time and will be told later (unconfirmed). */
  walletSync: 'queued' | 'unconfirmed' | null
}

export interface Redemption {
  couponId: string
  /** Masked: the first and last four digits. */
  code: string
  title: string
  redeemedAt: string
  consumer: string
}

export interface RedemptionsResponse {
  redemptions: Redemption[]
}
