/**
 * How the console reads a funnel: the date ranges it offers (China days, whatever the computer's
 * own time zone), and the conversion between steps. Wallet adds and redemptions are both taken
 * over claims: a coupon is redeemed at the counter whether or not it went to the card wallet, so
 * "redemptions per wallet add" could pass 100% and mean nothing.
 */
import type { FunnelTotals } from '../../../shared/api/offers.ts'
import { chinaDay, chinaDayStartOf, DAY } from '../../../shared/time.ts'

export type RangePreset = 'today' | 'last7' | 'last30'
export const rangePresets: readonly RangePreset[] = ['today', 'last7', 'last30']
export interface DayRange {
  from: string
  to: string
}

const days: Record<RangePreset, number> = { today: 1, last7: 7, last30: 30 }

/** The last `n` China days up to and including today. */
export function presetRange(preset: RangePreset, nowSeconds: number): DayRange {
  const to = chinaDay(nowSeconds)
  const from = chinaDay(chinaDayStartOf(to)! - (days[preset] - 1) * DAY)
  return { from, to }
}

/** Which preset a range is, if any (so the right button shows as pressed). */
export function presetOf(r: DayRange, nowSeconds: number): RangePreset | null {
  return (
    rangePresets.find(p => {
      const x = presetRange(p, nowSeconds)
      return x.from === r.from && x.to === r.to
    }) ?? null
  )
}

export interface Step {
  key: 'views' | 'claims' | 'walletAdds' | 'redemptions'
  value: number
  /** The conversion into this step, with what it is taken over; none for the first. */
  rate: { name: 'rateClaim' | 'rateWallet' | 'rateRedeem'; value: number | null } | null
}

export const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null)

export function funnelSteps(t: FunnelTotals): Step[] {
  return [
    { key: 'views', value: t.views, rate: null },
    { key: 'claims', value: t.claims, rate: { name: 'rateClaim', value: ratio(t.claims, t.views) } },
    { key: 'walletAdds', value: t.walletAdds, rate: { name: 'rateWallet', value: ratio(t.walletAdds, t.claims) } },
    { key: 'redemptions', value: t.redemptions, rate: { name: 'rateRedeem', value: ratio(t.redemptions, t.claims) } },
  ]
}

/** 12.5%, 100%, 0%; a dash where there is nothing to divide by. */
export function percent(r: number | null): string {
  if (r === null) return '—'
  const p = r * 100
  return `${p >= 10 || Number.isInteger(p) ? Math.round(p) : p.toFixed(1)}%`
}

/** 1,234 with grouping, as merchants read counts. */
export const count = (n: number) => n.toLocaleString('en-US')
