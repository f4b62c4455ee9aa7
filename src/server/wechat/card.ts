/**
 * WeChat's card (卡券) code APIs as named calls with typed results, so domains never spell a
 * WeChat path or errcode (微信卡券 "核销卡券" and "查询Code接口" in the official
 * account docs).
 */
import type { WxClient } from './client.ts'
import { WeChatError } from './errors.ts'

/** "invalid serial code": the code is not in any wallet of this account (or not this card's). */
const INVALID_CODE = 40056
/** "invalid code, this code has consumed." */
const ALREADY_CONSUMED = 40099
/** "invalid user-card status": the user deleted the card from the wallet or gave it to a friend. */
const LEFT_WALLET = 40127

/** user_card_status as card/code/get reports it. */
export type WalletCardStatus = 'NORMAL' | 'CONSUMED' | 'EXPIRE' | 'GIFTING' | 'GIFT_TIMEOUT' | 'DELETE' | 'UNAVAILABLE'

export interface WalletCode {
  cardId: string
  openid: string
  status: WalletCardStatus
  canConsume: boolean
}

interface CodeGetAnswer {
  card: { card_id: string }
  openid: string
  user_card_status: WalletCardStatus
  can_consume: boolean
}

/** The plain code behind the encrypted one wx.addCard hands the page; null when WeChat does not know it. */
export async function decryptCode(wx: WxClient, encryptCode: string): Promise<string | null> {
  try {
    return (await wx.call<{ code: string }>('/card/code/decrypt', { encrypt_code: encryptCode })).code
  } catch (err) {
    if (err instanceof WeChatError && err.errcode === INVALID_CODE) return null
    throw err
  }
}

/** Where a code stands in WeChat's wallet; null when no wallet holds it. Never consumes anything. */
export async function getCode(wx: WxClient, cardId: string, code: string): Promise<WalletCode | null> {
  try {
    const r = await wx.call<CodeGetAnswer>('/card/code/get', { card_id: cardId, code, check_consume: false })
    return { cardId: r.card.card_id, openid: r.openid, status: r.user_card_status, canConsume: r.can_consume }
  } catch (err) {
    if (err instanceof WeChatError && err.errcode === INVALID_CODE) return null
    throw err
  }
}

/**
 * Consumes a code in WeChat's wallet. "Already consumed" and "no longer in the wallet" (deleted or
 * given away) are answers, not failures: the caller decides.
 */
export async function consumeCode(
  wx: WxClient,
  cardId: string,
  code: string,
): Promise<'consumed' | 'already_consumed' | 'left_wallet'> {
  try {
    await wx.call('/card/code/consume', { code, card_id: cardId })
    return 'consumed'
  } catch (err) {
    if (err instanceof WeChatError && err.errcode === ALREADY_CONSUMED) return 'already_consumed'
    if (err instanceof WeChatError && err.errcode === LEFT_WALLET) return 'left_wallet'
    throw err
  }
}
