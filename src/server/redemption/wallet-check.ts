/**
 * Before a wallet coupon is redeemed at the counter, ask WeChat (legacy card) or WeChat Pay (商家券)
 * where its wallet copy stands: a code already used there whose news was lost or is late must be
 * refused, not redeemed a second time with a green tick. The counter can't wait long, so the
 * question gets a short deadline; without an answer the redemption goes ahead and the outbox tells
 * WeChat later (the clerk's screen says so).
 */
import type { Deps } from '../deps.ts'
import { wxPayClientOf } from '../wallet/busifavor.ts'
import { getCode } from '../wechat/card.ts'
import { WxPayError, wxPayCodes } from '../wechatpay/errors.ts'
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
  if (c.wx_stock_id) return checkBusifavor(deps, c, c.wx_stock_id)
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

/**
 * A 商家券 is asked about when it is known to be in the wallet, and also when a cardExt was signed
 * for it: both of WeChat Pay's reports (the page's and COUPON.SEND) can be lost, and the wallet must
 * not keep a usable copy of a redeemed coupon. A coupon never offered to the wallet is not asked about.
 */
async function checkBusifavor(deps: Deps, c: CounterCoupon, stockId: string): Promise<WalletVerdict> {
  const known = c.in_wallet === 1
  if (!known && !(await offeredToWallet(deps, c.id))) return 'not_in_wallet'
  const client = wxPayClientOf(deps, {
    timeoutMs: WALLET_CHECK_DEADLINE_MS - 300,
    deadlineMs: WALLET_CHECK_DEADLINE_MS,
    backoffMs: 100,
  })
  if (!client) return known ? 'unconfirmed' : 'not_in_wallet'
  try {
    const held = await client.getUserCoupon(c.openid, c.code, client.config.appId)
    if (held.stock_id !== stockId) return known ? 'removed' : 'not_in_wallet'
    if (held.coupon_state === 'SENDED') return 'usable'
    if (held.coupon_state === 'USED') return 'consumed'
    return known ? 'removed' : 'not_in_wallet'
  } catch (err) {
    const absent = err instanceof WxPayError && (err.status === 404 || err.is(wxPayCodes.notExists))
    if (absent) return known ? 'removed' : 'not_in_wallet'
    return known ? 'unconfirmed' : 'not_in_wallet'
  }
}

async function offeredToWallet(deps: Deps, couponId: string): Promise<boolean> {
  const row = await deps.db
    .selectFrom('busifavor_sends')
    .select('coupon_id')
    .where('coupon_id', '=', couponId)
    .executeTakeFirst()
  return !!row
}
