/**
 * A merchant's channels: named ways in, a link for chats (`share`) or a store's QR poster
 * (`poster`). `GET|POST /api/console/merchants/:mid/channels`, `GET …/channels/:id`,
 * `GET …/channels/:id/poster.png?size=a5|a4` and `…/poster.pdf?size=a5|a4`. Every view, claim,
 * wallet add and redemption through a channel's link is attributed to its `code` (carried as ch=).
 */
import { z } from 'zod'
import { idSchema } from './common.ts'
import type { FunnelTotals } from './offers.ts'

export type ChannelKind = 'share' | 'poster'

export const channelInput = z
  .object({
    name: z.string({ error: '请填写渠道名称' }).trim().min(1, '请填写渠道名称').max(30, '渠道名称最多30个字'),
    kind: z.enum(['share', 'poster'], { error: '请选择渠道类型' }),
    offerId: idSchema.nullable().default(null),
    storeId: idSchema.nullable().default(null),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.kind === 'share' && !c.offerId)
      ctx.addIssue({ code: 'custom', path: ['offerId'], message: '分享渠道须选择一张优惠券' })
    if (c.kind === 'poster' && !c.storeId)
      ctx.addIssue({ code: 'custom', path: ['storeId'], message: '门店海报须选择门店' })
  })
export type ChannelInput = z.infer<typeof channelInput>

export const channelParams = z.object({ mid: idSchema, id: idSchema }).strict()
export const posterQuery = z
  .object({ size: z.enum(['a5', 'a4'], { error: '尺寸须为 a5 或 a4' }).default('a5') })
  .strict()

export interface ChannelDto {
  id: string
  /** What links carry as ch=: short, lower-case, unique. */
  code: string
  name: string
  kind: ChannelKind
  offerId: string | null
  storeId: string | null
  /** The landing link (absolute, on PUBLIC_URL): an offer link, or for a poster the store's link. */
  url: string
  /** For a poster: its PNG (add `?size=a4` for A4; `.pdf` for the PDF). */
  posterUrl: string | null
  totals: FunnelTotals
  createdAt: string
}
export interface ChannelResponse {
  channel: ChannelDto
}
export interface ChannelsResponse {
  channels: ChannelDto[]
}
