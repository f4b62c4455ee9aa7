/**
 * The HTTP contract between the web app and the server: request schemas (zod) that the
 * server validates with, and the response shapes the web client is typed by.
 * Times in responses are ISO 8601 strings; money is integer fen.
 */
import { z } from 'zod'
import type { OfferKind } from './money.ts'
import { patterns } from './patterns.ts'
import type { CouponStatus, OfferPhase } from './validity.ts'

export const idSchema = z.string().regex(patterns.id, 'must be an id of letters, digits, _ or -')
/** Where a visit came from: share (a chat link), qr (a store poster), list, direct… */
export const channelSchema = z.string().regex(patterns.channel, 'must be a short lower-case channel name')
/** An opaque id of the person who shared the link. */
export const refSchema = z.string().regex(patterns.ref, 'must be an opaque id')

export const offerParams = z.object({ offerId: idSchema }).strict()
export const storeParams = z.object({ storeId: idSchema }).strict()
export const couponParams = z.object({ couponId: idSchema }).strict()
export const offerListQuery = z.object({ store: idSchema.optional() }).strict()

/** Attribution carried from the landing link to the claim. */
export const attributionSchema = z
  .object({
    ch: channelSchema.optional(),
    ref: refSchema.optional(),
    store: idSchema.optional(),
  })
  .strict()
export type Attribution = z.infer<typeof attributionSchema>

export const idempotencyKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{8,128}$/, 'Idempotency-Key must be 8–128 letters, digits or _ . : -')

export const loginQuery = z
  .object({
    scope: z.enum(['snsapi_base', 'snsapi_userinfo']).default('snsapi_base'),
    return: z.string().max(2000).default('/'),
  })
  .strict()

export const callbackQuery = z
  .object({
    code: z.string().min(1).max(512).optional(),
    state: z.string().max(512).optional(),
  })
  .passthrough()

export interface MerchantDto {
  id: string
  name: string
  logoUrl: string | null
}
export interface StoreDto {
  id: string
  name: string
  address: string
}

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

/** Which wallet a coupon goes to: a legacy card, or a WeChat Pay merchant coupon (商家券). */
export type WalletProvider = 'card' | 'busifavor'

/** GET /api/coupons/:id/card-ext: one item for wx.addCard (cardId is the stock_id for busifavor). */
export interface CardExtResponse {
  provider: WalletProvider
  cardId: string
  cardExt: string
}

export interface CouponDto {
  id: string
  code: string
  status: CouponStatus
  offerId: string
  offer: OfferDetailDto
  inWallet: boolean
  claimedAt: string
  validFrom: string
  validTo: string
  channel: string
  redeemedAt: string | null
  redeemedStore: StoreDto | null
}

export interface UserDto {
  id: string
  openid: string
  nickname: string | null
  avatarUrl: string | null
  /** A WeChat snapshot-page (快照页) virtual user: may browse, may not claim. */
  isSnapshot: boolean
}

export interface SiteMeta {
  sandbox: boolean
  appId: string
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
export interface ClaimResponse {
  coupon: CouponDto
}
export interface CouponListResponse {
  coupons: CouponDto[]
}
export interface CouponResponse {
  coupon: CouponDto
}
export interface MeResponse {
  user: UserDto
}

/** What the server inlines into every page so the first screen needs no second round trip. */
export interface InitialState {
  meta: SiteMeta
  user: UserDto | null
  offers?: OfferDto[]
  offer?: OfferDetailDto
  store?: StoreResponse
  /** Set when the landing page's offer or store does not exist, so the page renders its not-found state at once. */
  missing?: 'offer' | 'store'
}
