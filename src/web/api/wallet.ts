import type { CouponResponse } from '../../shared/api/coupons.ts'
import type { CardExtResponse } from '../../shared/api/wallet.ts'
import { request } from './client.ts'

/** For a legacy card or a 商家券 alike: wx.addCard takes the answer as it is. */
export const fetchCardExt = (couponId: string) =>
  request<CardExtResponse>('GET', `/api/coupons/${encodeURIComponent(couponId)}/card-ext`)

/**
 * After wx.addCard: a legacy card's add is confirmed with the encrypted code WeChat returned; a
 * 商家券's with WeChat Pay's own records, so the server needs no code for it.
 */
export const postWalletAdd = (couponId: string, encryptCode: string | null) =>
  request<CouponResponse>(
    'POST',
    `/api/coupons/${encodeURIComponent(couponId)}/wallet`,
    encryptCode ? { encryptCode } : {},
  )
