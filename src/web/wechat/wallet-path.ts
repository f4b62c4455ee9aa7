/**
 * Which custody path a coupon page offers, and the one line it says: one pure function of
 * the environment, the offer's wallet provider (a legacy card or a 商家券), the coupon and the
 * last wallet attempt, so no component grows its own `if`s about WeChat.
 */
import type { WalletProvider } from '../../shared/api/wallet.ts'
import type { WxFailure } from './messages.ts'
import { tw } from '../i18n/wallet.ts'

export type WalletAttempt =
  | { kind: 'none' }
  | { kind: 'adding' }
  | { kind: 'cancelled' }
  | { kind: 'failed'; failure: WxFailure }
  /** The client is too old for addCard (function not exist). */
  | { kind: 'unsupported' }

export interface WalletPathInput {
  inWeChat: boolean
  /** Where the offer's coupons go in the wallet, or null for an H5-only offer. */
  provider: WalletProvider | null
  coupon: { status: 'available' | 'redeemed' | 'expired'; inWallet: boolean }
  last: WalletAttempt
}

export interface WalletPath {
  /** add: offer 添加到微信卡包; view: 已在卡包 with 在卡包中查看; none: the H5 coupon alone. */
  action: 'add' | 'view' | 'none'
  busy: boolean
  /** One short line saying why, or null when nothing needs saying. */
  note: string | null
}

/** Both wallet homes are added with the same wx.addCard; the offer names at most one. */
export function walletProvider(offer: { wxCardId: string | null; wxStockId?: string | null }): WalletProvider | null {
  if (offer.wxStockId) return 'busifavor'
  return offer.wxCardId ? 'card' : null
}

export function walletPath(i: WalletPathInput): WalletPath {
  if (i.coupon.status !== 'available') return { action: 'none', busy: false, note: null }
  if (i.coupon.inWallet) {
    if (!i.inWeChat) return { action: 'none', busy: false, note: tw('inWalletShowCode') }
    // wx.openCard opens legacy cards only; no JS-SDK call is documented to open a 商家券.
    if (i.provider === 'busifavor') return { action: 'none', busy: false, note: tw('inWalletBusifavor') }
    return { action: 'view', busy: false, note: null }
  }
  if (!i.provider) return { action: 'none', busy: false, note: null }
  if (!i.inWeChat) return { action: 'none', busy: false, note: tw('openInWeChat') }
  switch (i.last.kind) {
    case 'adding':
      return { action: 'add', busy: true, note: null }
    case 'cancelled':
      return { action: 'add', busy: false, note: tw('addCancelled') }
    case 'failed':
      return {
        action: i.last.failure.next === 'retry' || i.last.failure.next === 'show_code' ? 'add' : 'none',
        busy: false,
        note: i.last.failure.message,
      }
    case 'unsupported':
      return { action: 'none', busy: false, note: tw('walletUnsupported') }
    case 'none':
      return { action: 'add', busy: false, note: null }
  }
}
