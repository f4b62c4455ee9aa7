/** Offers and store landings, as consumers see them. `GET /api/offers`, `/api/offers/:offerId`, `/api/stores/:storeId`. */
import { z } from 'zod'
import type { OfferKind } from '../money.ts'
import type { OfferPhase } from '../validity.ts'
import { idSchema, type MerchantDto, type StoreDto } from './common.ts'

export const offerParams = z.object({ offerId: idSchema }).strict()
export const storeParams = z.object({ storeId: idSchema }).strict()
export const offerListQuery = z.object({ store: idSchema.optional() }).strict()

export type ValidityDto = { type: 'fixed'; from: string; to: string } | { type: 'relative'; days: number }

export interface OfferDto {
  id: string
  merchant: MerchantDto
  title: string
  kind: OfferKind
  valueFen: number
  thresholdFen: number
  discountPercent: number | null
  giftName: string | null
  description: string
  rules: string[]
  imageUrl: string | null
  stockTotal: number
  stockLeft: number
  perUserLimit: number
  /** How many coupons of this offer the caller holds (0 when not logged in). */
  claimedByMe: number
  startsAt: string
  endsAt: string
  phase: OfferPhase
  validity: ValidityDto
  /** True when the offer is valid in every store of the merchant. */
  allStores: boolean
  storeIds: string[]
}

export interface OfferDetailDto extends OfferDto {
  stores: StoreDto[]
  /** The legacy WeChat card (卡券) the coupon can go to the wallet as. */
  wxCardId: string | null
  /** The WeChat Pay 商家券 stock it can go to the wallet as instead; never set together with wxCardId. */
  wxStockId: string | null
}

export interface OfferListResponse {
  offers: OfferDto[]
}
export interface OfferResponse {
  offer: OfferDetailDto
}
export interface StoreResponse {
  store: StoreDto & { merchant: MerchantDto }
  offers: OfferDto[]
}
