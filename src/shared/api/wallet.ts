/** Adding a coupon to WeChat's card wallet: `GET /api/coupons/:couponId/card-ext`, `POST …/wallet`. */
import { z } from 'zod'

export const walletBody = z.object({ encryptCode: z.string().min(1).max(512).optional() }).strict()
export type WalletBody = z.infer<typeof walletBody>

/** A freshly signed cardExt for wx.addCard. */
export interface CardExtResponse {
  cardId: string
  cardExt: string
}
