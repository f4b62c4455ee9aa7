/** Clerks: the invite link they open, and the stores they serve (`GET /api/clerk/me`). */
import { z } from 'zod'
import { idSchema, type MerchantDto, type StoreDto } from './common.ts'

export const clerkJoinQuery = z.object({ invite: z.string().max(64) }).strict()

export interface ClerkStore extends StoreDto {
  merchant: MerchantDto
}

export interface ClerkMeResponse {
  stores: ClerkStore[]
}

/**
 * The console's clerks, per store: `POST /api/console/merchants/:mid/stores/:sid/clerk-invites`
 * (body as the admin route's, answer an InviteResponse), `GET …/stores/:sid/clerks`,
 * `DELETE /api/console/merchants/:mid/clerks/:cid`.
 */
export const consoleClerkParams = z.object({ mid: idSchema, cid: idSchema }).strict()

export interface ConsoleClerkDto {
  id: string
  storeId: string
  /** Masked: enough to recognise, not to identify. */
  name: string
  joinedAt: string
  lastRedemptionAt: string | null
  revokedAt: string | null
}
export interface ConsoleClerksResponse {
  clerks: ConsoleClerkDto[]
}
