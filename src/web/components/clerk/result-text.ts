/** The clerk's result screen in words, readable at arm's length: one headline, one detail line. */
import { formatDateTime } from '../../../shared/validity.ts'
import { epochOf } from '../../../shared/time.ts'
import { refusalText, tc } from '../../i18n/clerk.ts'
import type { RedeemOutcome } from '../../stores/clerk.ts'

export interface ResultText {
  ok: boolean
  headline: string
  detail: string
  /** A second line the clerk should know about, e.g. the wallet syncing later. */
  note?: string
}

export function resultText(o: RedeemOutcome, now = Date.now() / 1000): ResultText {
  if (o.ok) {
    const { coupon, consumer, redeemedAt, walletSync } = o.result
    return {
      ok: true,
      headline: tc('redeemed'),
      detail: tc('redeemedDetail', {
        title: coupon.offer.title,
        consumer,
        time: formatDateTime(epochOf(redeemedAt), now),
      }),
      ...(walletSync === 'unconfirmed' ? { note: tc('walletPending') } : {}),
    }
  }
  const known = refusalText(o.code)
  // A refusal the counter does not expect says the server's own words.
  if (!known) return { ok: false, headline: tc('refused'), detail: o.message || tc('refusedDetail') }
  if (o.code === 'already_redeemed') {
    // When and where: the time, and the store or, for a code used in WeChat's own wallet, the wallet.
    const when = o.redeemedAt ? formatDateTime(epochOf(o.redeemedAt), now) : ''
    return {
      ok: false,
      headline: known.headline,
      detail: [when, o.storeName ?? tc('inWallet')].filter(Boolean).join(' '),
    }
  }
  return { ok: false, ...known }
}
