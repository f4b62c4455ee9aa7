import type { CouponDto, MerchantDto, StoreDto } from '../../shared/contract.ts'
import { request } from './client.ts'

export interface ClerkStore extends StoreDto {
  merchant: MerchantDto
}
export interface RedeemResponse {
  coupon: CouponDto
  redeemedAt: string
  storeId: string
  consumer: string
}
export interface Redemption {
  couponId: string
  code: string
  title: string
  redeemedAt: string
  consumer: string
}

export const fetchClerkMe = () => request<{ stores: ClerkStore[] }>('GET', '/api/clerk/me')
export const postRedeem = (code: string, storeId: string) =>
  request<RedeemResponse>('POST', '/api/redeem', { code, storeId })
export const fetchRedemptions = (storeId: string) =>
  request<{ redemptions: Redemption[] }>('GET', `/api/clerk/redemptions?store=${encodeURIComponent(storeId)}`)
