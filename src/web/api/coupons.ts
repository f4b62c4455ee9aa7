import type { Attribution } from '../../shared/api/common.ts'
import type { ClaimResponse, CouponListResponse, CouponResponse } from '../../shared/api/coupons.ts'
import { request } from './client.ts'

export const postClaim = (offerId: string, attribution: Attribution, idempotencyKey: string) =>
  request<ClaimResponse>('POST', `/api/offers/${encodeURIComponent(offerId)}/claim`, attribution, {
    'idempotency-key': idempotencyKey,
  })

export const fetchCoupons = () => request<CouponListResponse>('GET', '/api/coupons')

export const fetchCoupon = (couponId: string) =>
  request<CouponResponse>('GET', `/api/coupons/${encodeURIComponent(couponId)}`)
