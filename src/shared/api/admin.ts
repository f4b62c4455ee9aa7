/** The operator's API, behind the `ADMIN_TOKEN` bearer token: `/api/admin/*`. */
import { z } from 'zod'
import { idSchema } from './common.ts'

export const clerkInviteBody = z
  .object({
    ttlMinutes: z
      .number()
      .int()
      .min(5)
      .max(7 * 24 * 60)
      .default(24 * 60),
  })
  .strict()
export const clerkParams = z.object({ clerkId: idSchema }).strict()

/** A single-use link; `expiresAt` is ISO 8601. */
export interface InviteResponse {
  url: string
  expiresAt: string
}

export interface AdminClerkDto {
  id: string
  storeId: string
  /** Masked: enough to recognise, not to identify. */
  name: string
  createdAt: string
  revokedAt: string | null
}

export interface AdminClerksResponse {
  clerks: AdminClerkDto[]
}
