import type { CouponDto, MerchantDto, StoreDto } from '../../shared/contract.ts'
import { type ApiError, request } from './client.ts'

export interface ClerkStore extends StoreDto {
  merchant: MerchantDto
}
export interface RedeemResponse {
  coupon: CouponDto
  redeemedAt: string
  storeId: string
  consumer: string
  /** For a wallet coupon: WeChat will be told (queued), or did not answer in time and will be told later (unconfirmed). */
  walletSync: 'queued' | 'unconfirmed' | null
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

/** What a refused redemption says besides its code: for already_redeemed, when and where. */
export interface RedeemRefusal {
  code: string
  message: string
  redeemedAt?: string
  storeName?: string
}

/**
 * The one place that reads a redemption refusal's extras. They are untyped until the shared
 * contract types each route's error extras; then this cast becomes that type.
 */
export function redeemRefusal(err: ApiError): RedeemRefusal {
  const extra = err.raw as { redeemedAt?: string; store?: { name: string } | null }
  return { code: err.code, message: err.message, redeemedAt: extra.redeemedAt, storeName: extra.store?.name }
}
