import type { ClerkMeResponse } from '../../shared/api/clerks.ts'
import type { RedeemResponse, RedemptionsResponse } from '../../shared/api/redemption.ts'
import { type ApiError, request } from './client.ts'

export type { ClerkStore } from '../../shared/api/clerks.ts'
export type { RedeemResponse, Redemption } from '../../shared/api/redemption.ts'

export const fetchClerkMe = () => request<ClerkMeResponse>('GET', '/api/clerk/me')
export const postRedeem = (code: string, storeId: string) =>
  request<RedeemResponse>('POST', '/api/redeem', { code, storeId })
export const fetchRedemptions = (storeId: string) =>
  request<RedemptionsResponse>('GET', `/api/clerk/redemptions?store=${encodeURIComponent(storeId)}`)

/** What a refused redemption says besides its code: for already_redeemed, when and where. */
export interface RedeemRefusal {
  code: string
  message: string
  redeemedAt?: string
  storeName?: string
}

/** A redemption refusal with its extras, read from the error body the shared contract types. */
export function redeemRefusal(err: ApiError): RedeemRefusal {
  const b = err.body
  if (b?.code === 'already_redeemed')
    return { code: b.code, message: b.message, redeemedAt: b.redeemedAt, storeName: b.store?.name }
  return { code: err.code, message: err.message }
}
