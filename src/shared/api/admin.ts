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

/** `POST /api/admin/merchants`: a merchant and its owner's invite (single-use, 7 days). */
export const createMerchantBody = z
  .object({ name: z.string().trim().min(1, '请填写商户名称').max(30, '商户名称最多30个字') })
  .strict()

export interface CreateMerchantResponse {
  merchant: { id: string; name: string }
  ownerInvite: InviteResponse
}

export interface AdminMerchantDto {
  id: string
  name: string
  createdAt: string
  /** Owners and managers now. */
  members: number
}
export interface AdminMerchantsResponse {
  merchants: AdminMerchantDto[]
}
