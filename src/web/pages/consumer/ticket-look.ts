/** How a ticket reads at a glance (UI.md): greyed when it can't be had or used, a rotated stamp, a small tag. */
import type { CouponDto } from '../../../shared/api/coupons.ts'
import type { OfferDto } from '../../../shared/api/offers.ts'
import { t } from '../../i18n/index.ts'
import { nearlyGone } from './offer-action.ts'

/** CouponTicket's state props. */
export interface TicketLook {
  muted?: boolean
  stamp?: string
  tag?: string
  tagTone?: 'green' | 'orange' | 'grey'
}

/** An offer in a list: 已抢光 greys it out; 仅剩 N 张 in orange when few are left. */
export function offerLook(o: OfferDto): TicketLook {
  if (o.stockLeft === 0) return { muted: true, tag: t('soldOut'), tagTone: 'grey' }
  return nearlyGone(o) ? { tag: t('stockLeft', { n: o.stockLeft }), tagTone: 'orange' } : {}
}

/** One of my coupons: stamped 已使用 or 已过期, tagged 已在卡包. */
export function couponLook(c: Pick<CouponDto, 'status' | 'inWallet'>): TicketLook {
  const stamp = c.status === 'redeemed' ? t('stampRedeemed') : c.status === 'expired' ? t('stampExpired') : undefined
  return { stamp, tag: c.inWallet ? t('inWallet') : undefined }
}
