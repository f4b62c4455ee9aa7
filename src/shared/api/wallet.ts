/** Adding a coupon to WeChat's card wallet: `GET /api/coupons/:couponId/card-ext`, `POST …/wallet`. */
import { z } from 'zod'

export const walletBody = z.object({ encryptCode: z.string().min(1).max(512).optional() }).strict()
export type WalletBody = z.infer<typeof walletBody>

/** Which wallet a coupon goes to: a legacy card, or a WeChat Pay merchant coupon (商家券). */
export type WalletProvider = 'card' | 'busifavor'

/** A freshly signed cardExt for wx.addCard; for busifavor `cardId` is the stock_id. */
export interface CardExtResponse {
  provider: WalletProvider
  cardId: string
  cardExt: string
}
