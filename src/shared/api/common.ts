/** Shapes every route shares: ids, link attribution, and the merchant and store as the API shows them. */
import { z } from 'zod'
import { patterns } from '../patterns.ts'

export const idSchema = z.string().regex(patterns.id, 'must be an id of letters, digits, _ or -')
/** Where a visit came from: share (a chat link), qr (a store poster), list, direct, or a merchant's channel code. */
export const channelSchema = z.string().regex(patterns.channel, 'must be a short lower-case channel name')
/** An opaque id of the person who shared the link. */
export const refSchema = z.string().regex(patterns.ref, 'must be an opaque id')

/** Attribution carried from the landing link to the claim. */
export const attributionSchema = z
  .object({
    ch: channelSchema.optional(),
    ref: refSchema.optional(),
    store: idSchema.optional(),
  })
  .strict()
export type Attribution = z.infer<typeof attributionSchema>

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
