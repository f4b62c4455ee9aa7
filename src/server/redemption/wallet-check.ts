/**
 * Before a wallet coupon is redeemed at the counter, ask WeChat where its wallet copy stands: a
 * code already consumed in WeChat (its own tools, the API) whose push was lost or is late must
 * be refused, not redeemed a second time with a green tick. The counter can't wait long, so the
 * question gets a short deadline; without an answer the redemption goes ahead and the outbox
 * tells WeChat later (the clerk's screen says so).
 */
import type { Deps } from '../deps.ts'
import { getCode } from '../wechat/card.ts'
import type { CounterCoupon } from './service.ts'

export type WalletVerdict =
  /** An H5-only coupon: nothing to ask. */
  | 'not_in_wallet'
  /** WeChat holds it, usable: redeem, and the outbox consumes it there. */
  | 'usable'
  /** Consumed in WeChat already: refuse at the counter. */
  | 'consumed'
  /** No longer in the wallet (deleted, expired there): redeem as an H5 coupon. */
  | 'removed'
  /** WeChat did not answer in time: redeem, and let the outbox deliver. */
  | 'unconfirmed'

/** How long the counter waits for WeChat before going ahead. */
export const WALLET_CHECK_DEADLINE_MS = 1500

export async function checkWallet(deps: Deps, c: CounterCoupon): Promise<WalletVerdict> {
  if (c.in_wallet !== 1 || !c.wx_card_id) return 'not_in_wallet'
  const wx = deps.wx.withTimeouts({ timeoutMs: WALLET_CHECK_DEADLINE_MS - 300, deadlineMs: WALLET_CHECK_DEADLINE_MS })
  try {
    const held = await getCode(wx, c.wx_card_id, c.code)
    if (!held || held.cardId !== c.wx_card_id) return 'removed'
    if (held.status === 'CONSUMED') return 'consumed'
    if (held.status === 'NORMAL') return 'usable'
    if (held.status === 'DELETE' || held.status === 'EXPIRE' || held.status === 'UNAVAILABLE') return 'removed'
    // Being gifted to a friend: let the outbox settle it with WeChat.
    return 'unconfirmed'
  } catch {
    return 'unconfirmed'
  }
}
