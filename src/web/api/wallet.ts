import type { CouponResponse } from '../../shared/api/coupons.ts'
import type { CardExtResponse } from '../../shared/api/wallet.ts'
import { request } from './client.ts'

export const fetchCardExt = (couponId: string) =>
  request<CardExtResponse>('GET', `/api/coupons/${encodeURIComponent(couponId)}/card-ext`)

export const postWalletAdd = (couponId: string, encryptCode: string | null) =>
  request<CouponResponse>(
    'POST',
    `/api/coupons/${encodeURIComponent(couponId)}/wallet`,
    encryptCode ? { encryptCode } : {},
  )
