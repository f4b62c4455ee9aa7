import type { CouponResponse } from '../../shared/contract.ts'
import { request } from './client.ts'

export const fetchCardExt = (couponId: string) =>
  request<{ cardId: string; cardExt: string }>('GET', `/api/coupons/${encodeURIComponent(couponId)}/card-ext`)

export const postWalletAdd = (couponId: string, encryptCode: string | null) =>
  request<CouponResponse>(
    'POST',
    `/api/coupons/${encodeURIComponent(couponId)}/wallet`,
    encryptCode ? { encryptCode } : {},
  )
