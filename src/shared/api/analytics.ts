/**
 * The funnel merchants read: `GET /api/console/merchants/:mid/funnel` (and `funnel.csv`, the same
 * query as CSV, UTF-8 with a BOM so Excel opens it). Days are inclusive China days (UTC+8).
 * A view counts once per viewer and day for the same offer, channel, store and sharer.
 */
import { z } from 'zod'
import { chinaDayStartOf } from '../time.ts'
import { channelSchema, idSchema } from './common.ts'
import type { FunnelTotals } from './offers.ts'

const day = z.string().refine(d => chinaDayStartOf(d) !== null, '日期须为 YYYY-MM-DD')

export const funnelGroupings = ['day', 'offer', 'channel', 'store', 'sharer'] as const
export type FunnelGrouping = (typeof funnelGroupings)[number]

export const funnelQuery = z
  .object({
    from: day,
    to: day,
    groupBy: z.enum(funnelGroupings, { error: '分组方式无效' }).default('day'),
    offerId: idSchema.optional(),
    storeId: idSchema.optional(),
    /** A channel's code (`ch=`), or one of the fixed ways in: direct, share, qr, list. */
    channel: channelSchema.optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    const from = chinaDayStartOf(q.from)
    const to = chinaDayStartOf(q.to)
    if (from === null || to === null) return
    if (to < from) ctx.addIssue({ code: 'custom', path: ['to'], message: '结束日期须不早于开始日期' })
    else if ((to - from) / 86_400 > 366) ctx.addIssue({ code: 'custom', path: ['to'], message: '一次最多查询一年' })
  })
export type FunnelQuery = z.infer<typeof funnelQuery>

export interface FunnelRow extends FunnelTotals {
  /** The group's key: a day (YYYY-MM-DD), an offer, store or sharer id, or a channel code; '' for none. */
  key: string
  /** What a person reads for it: the day, the offer's title, the store's name, the channel's name, the sharer's masked name. */
  label: string
  /** Claims that came through a sharer's link (ref): the friends brought in. */
  viaSharers: number
}

export interface FunnelResponse {
  totals: FunnelTotals & { viaSharers: number }
  rows: FunnelRow[]
}

/**
 * Claims by friends per claim: of the claims counted in a row (an offer), how many came through a
 * sharer's link. 0.5 means every second coupon was brought in by someone who shared; null when
 * nothing was claimed.
 */
export function kFactor(r: Pick<FunnelRow, 'claims' | 'viaSharers'>): number | null {
  return r.claims > 0 ? r.viaSharers / r.claims : null
}
