/** Clerks: the invite link they open, and the stores they serve (`GET /api/clerk/me`). */
import { z } from 'zod'
import type { MerchantDto, StoreDto } from './common.ts'

export const clerkJoinQuery = z.object({ invite: z.string().max(64) }).strict()

export interface ClerkStore extends StoreDto {
  merchant: MerchantDto
}

export interface ClerkMeResponse {
  stores: ClerkStore[]
}
