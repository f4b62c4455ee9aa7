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

/*
 * The console's offers: `GET|POST /api/console/merchants/:mid/offers`,
 * `GET|PATCH /api/console/merchants/:mid/offers/:id` (PATCH with `If-Match: <version>`),
 * `POST …/offers/:id/stock` `{ "add": n }`. One schema validates on both sides, with each
 * message in Chinese and on its field, so the editor shows the server's words next to the field.
 */

/** `draft → live ⇄ paused → ended` (live → ended too). Only live offers are listed to consumers or claimable. */
export type OfferStatus = 'draft' | 'live' | 'paused' | 'ended'
export const offerStatusSchema = z.enum(['draft', 'live', 'paused', 'ended'], { error: '状态无效' })

/** Which status may follow which: ended is final, a draft is never paused. */
export const statusMoves: Record<OfferStatus, readonly OfferStatus[]> = {
  draft: ['live', 'ended'],
  live: ['paused', 'ended'],
  paused: ['live', 'ended'],
  ended: [],
}

const isoTime = (label: string) => z.iso.datetime({ offset: true, error: `${label}须为有效时间` })
const fen = (label: string, max: number) =>
  z
    .number({ error: `请填写${label}` })
    .int(`${label}须为整数分`)
    .min(0, `${label}不能为负`)
    .max(max, `${label}过大`)

export const validityInput = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('fixed'), from: isoTime('有效期开始'), to: isoTime('有效期结束') }).strict(),
    z
      .object({
        type: z.literal('relative'),
        days: z
          .number({ error: '请填写有效天数' })
          .int('有效天数须为整数')
          .min(1, '有效天数至少1天')
          .max(365, '有效天数最多365天'),
      })
      .strict(),
  ],
  { error: '请选择有效期类型' },
)

const fields = {
  title: z.string({ error: '请填写优惠券名称' }).trim().min(1, '请填写优惠券名称').max(30, '名称最多30个字'),
  kind: z.enum(['cash', 'discount', 'gift'], { error: '请选择券类型' }),
  valueFen: fen('减免金额', 1_000_000),
  thresholdFen: fen('使用门槛', 100_000_000),
  discountPercent: z
    .number({ error: '请填写折扣' })
    .int('折扣须为整数（如88表示8.8折）')
    .min(1, '折扣须在1–99之间')
    .max(99, '折扣须在1–99之间')
    .nullable(),
  giftName: z.string().trim().max(30, '赠品名称最多30个字').nullable(),
  description: z.string().trim().max(200, '简介最多200个字'),
  rules: z.array(z.string().trim().min(1, '规则不能为空行').max(60, '每条规则最多60个字')).max(10, '规则最多10条'),
  stockTotal: z
    .number({ error: '请填写库存' })
    .int('库存须为整数')
    .min(1, '库存至少1张')
    .max(10_000_000, '库存最多1000万张'),
  perUserLimit: z
    .number({ error: '请填写每人限领' })
    .int('每人限领须为整数')
    .min(1, '每人至少可领1张')
    .max(100, '每人最多限领100张'),
  startsAt: isoTime('领取开始'),
  endsAt: isoTime('领取结束'),
  validity: validityInput,
  allStores: z.boolean({ error: '请选择适用门店' }),
  storeIds: z.array(idSchema).max(200, '门店过多'),
  wxCardId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{8,64}$/, '微信卡券ID格式不正确')
    .nullable(),
  wxStockId: z
    .string()
    .trim()
    .regex(/^\d{6,32}$/, '商家券批次号须为数字')
    .nullable(),
  status: offerStatusSchema,
}

/** Everything a complete offer must satisfy together; messages land on the field to fix. */
function checkOffer(o: Partial<Record<keyof typeof fields, unknown>>, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
  if (o.kind === 'cash' && !(typeof o.valueFen === 'number' && o.valueFen >= 1)) issue('valueFen', '请填写减免金额')
  if (o.kind === 'cash' && typeof o.valueFen === 'number' && typeof o.thresholdFen === 'number' && o.thresholdFen > 0)
    if (o.valueFen >= o.thresholdFen) issue('valueFen', '减免金额须小于使用门槛')
  if (o.kind === 'discount' && typeof o.discountPercent !== 'number') issue('discountPercent', '请填写折扣')
  if (o.kind === 'gift' && !(typeof o.giftName === 'string' && o.giftName.trim())) issue('giftName', '请填写赠品名称')
  if (typeof o.startsAt === 'string' && typeof o.endsAt === 'string' && Date.parse(o.endsAt) <= Date.parse(o.startsAt))
    issue('endsAt', '领取结束须晚于领取开始')
  const v = o.validity as { type?: string; from?: string; to?: string } | undefined
  if (v?.type === 'fixed' && v.from && v.to) {
    if (Date.parse(v.to) <= Date.parse(v.from)) issue('validity', '有效期结束须晚于开始')
    else if (typeof o.endsAt === 'string' && Date.parse(v.to) < Date.parse(o.endsAt))
      issue('validity', '有效期须覆盖领取时间，否则领到的券可能已过期')
  }
  if (o.allStores === false && Array.isArray(o.storeIds) && o.storeIds.length === 0)
    issue('storeIds', '请至少选择一家门店')
  if (o.wxCardId && o.wxStockId) issue('wxStockId', '微信卡券与商家券只能二选一')
}

/** A new offer (`POST`): every field but `status` (default `draft`) and the optional ones. */
export const offerInput = z
  .object({
    ...fields,
    valueFen: fields.valueFen.default(0),
    thresholdFen: fields.thresholdFen.default(0),
    discountPercent: fields.discountPercent.default(null),
    giftName: fields.giftName.default(null),
    description: fields.description.default(''),
    rules: fields.rules.default([]),
    storeIds: fields.storeIds.default([]),
    wxCardId: fields.wxCardId.default(null),
    wxStockId: fields.wxStockId.default(null),
    status: fields.status.default('draft'),
  })
  .strict()
  .superRefine(checkOffer)
export type OfferInput = z.infer<typeof offerInput>

/** A partial change (`PATCH`); the server checks the merged result with `offerInput` again. */
export const offerPatch = z.object(fields).partial().strict()
export type OfferPatch = z.infer<typeof offerPatch>

/** `POST …/offers/:id/stock`: stockTotal and stockLeft both grow by `add`, while consumers claim. */
export const stockTopUpBody = z
  .object({
    add: z
      .number({ error: '请填写追加数量' })
      .int('追加数量须为整数')
      .min(1, '至少追加1张')
      .max(1_000_000, '单次最多追加100万张'),
  })
  .strict()

export const consoleOfferParams = z.object({ mid: idSchema, id: idSchema }).strict()
/** `If-Match: <version>` on PATCH: a stale version answers 412 `version_conflict`. */
export const ifMatchSchema = z.coerce.number({ error: 'If-Match must be the offer version' }).int().min(1)

export interface FunnelTotals {
  views: number
  claims: number
  walletAdds: number
  redemptions: number
}

export interface ConsoleOfferDto {
  id: string
  status: OfferStatus
  /** Bumped by every save; send it back as If-Match. */
  version: number
  title: string
  kind: OfferKind
  valueFen: number
  thresholdFen: number
  discountPercent: number | null
  giftName: string | null
  description: string
  rules: string[]
  stockTotal: number
  stockLeft: number
  perUserLimit: number
  startsAt: string
  endsAt: string
  validity: ValidityDto
  allStores: boolean
  storeIds: string[]
  wxCardId: string | null
  wxStockId: string | null
  /** Coupons issued so far: once any exist, the value and validity fields can no longer change. */
  issued: number
  totals: FunnelTotals
  createdAt: string
  updatedAt: string
}
export interface ConsoleOfferResponse {
  offer: ConsoleOfferDto
}
export interface ConsoleOffersResponse {
  offers: ConsoleOfferDto[]
}
/** Fields that describe what an issued coupon is worth or when it is valid: frozen once coupons exist. */
export const lockedOnceIssued = ['kind', 'valueFen', 'thresholdFen', 'discountPercent', 'giftName', 'validity'] as const
