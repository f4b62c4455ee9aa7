/** A consumer's coupons: the claim, the list, one coupon. */
import { z } from 'zod'
import type { CouponStatus } from '../validity.ts'
import { idSchema, type StoreDto } from './common.ts'
import type { OfferDetailDto } from './offers.ts'

export const couponParams = z.object({ couponId: idSchema }).strict()
export const idempotencyKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{8,128}$/, 'Idempotency-Key must be 8–128 letters, digits or _ . : -')

export interface CouponDto {
  id: string
  code: string
  status: CouponStatus
  offerId: string
  offer: OfferDetailDto
  inWallet: boolean
  claimedAt: string
  validFrom: string
  validTo: string
  channel: string
  redeemedAt: string | null
  redeemedStore: StoreDto | null
}

export interface ClaimResponse {
  coupon: CouponDto
}
export interface CouponListResponse {
  coupons: CouponDto[]
}
export interface CouponResponse {
  coupon: CouponDto
}
