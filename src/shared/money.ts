/** Money is integer fen (1 yuan = 100 fen) everywhere until a template shows it. */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(fen)
  const yuan = Math.trunc(abs / 100)
  const rest = abs % 100
  if (rest === 0) return `${sign}${yuan}`
  return `${sign}${yuan}.${String(rest).padStart(2, '0').replace(/0$/, '')}`
}

/** 88 -> "8.8折", 80 -> "8折": the price is discountPercent % of the original. */
export function formatDiscount(discountPercent: number): string {
  const tenths = discountPercent / 10
  return `${Number.isInteger(tenths) ? tenths : tenths.toFixed(1).replace(/0$/, '')}折`
}

export type OfferKind = 'cash' | 'discount' | 'gift'

export interface OfferValueInput {
  kind: OfferKind
  valueFen: number
  thresholdFen: number
  discountPercent: number | null
  giftName: string | null
}

export interface OfferValueLabel {
  /** The big text on the ticket's stub: ¥10, 8.8折, 赠品. */
  main: string
  /** The small line under it: 满50可用, 无门槛, or the gift's name. */
  condition: string
  /** One phrase for titles and share text: 满50减10, 无门槛8.8折, 赠拿铁一杯. */
  summary: string
}

export function offerValueLabel(o: OfferValueInput): OfferValueLabel {
  const condition = o.thresholdFen > 0 ? `满${formatYuan(o.thresholdFen)}可用` : '无门槛'
  switch (o.kind) {
    case 'cash':
      return {
        main: `¥${formatYuan(o.valueFen)}`,
        condition,
        summary:
          o.thresholdFen > 0
            ? `满${formatYuan(o.thresholdFen)}减${formatYuan(o.valueFen)}`
            : `无门槛减${formatYuan(o.valueFen)}`,
      }
    case 'discount': {
      const d = formatDiscount(o.discountPercent ?? 100)
      return {
        main: d,
        condition,
        summary: o.thresholdFen > 0 ? `满${formatYuan(o.thresholdFen)}享${d}` : `无门槛${d}`,
      }
    }
    case 'gift':
      return { main: '赠品', condition: o.giftName ?? '', summary: `赠${o.giftName ?? '礼品'}` }
  }
}
