import { defineStore } from 'pinia'
import { ref } from 'vue'
import { fetchCardExt, postWalletAdd } from '../api/wallet.ts'
import { addCard, openCard } from '../wechat/actions.ts'
import { describeWxError } from '../wechat/messages.ts'
import type { WalletAttempt } from '../wechat/wallet-path.ts'
import { useCouponsStore } from './coupons.ts'

/**
 * The card wallet, a second home for a coupon: only the coupon page adds to it or opens it,
 * so this store loads with that page, not with a landing page.
 */
export const useWalletStore = defineStore('wallet', () => {
  const coupons = useCouponsStore()
  /** The last wallet attempt per coupon: what the coupon page says about the wallet. */
  const attempts = ref<Record<string, WalletAttempt>>({})

  /**
   * 添加到微信卡包: sign a fresh cardExt, let WeChat add the card, then have the server
   * confirm it with WeChat. Any failure leaves the coupon as it was: an H5 coupon.
   */
  async function add(couponId: string): Promise<WalletAttempt> {
    attempts.value[couponId] = { kind: 'adding' }
    let attempt: WalletAttempt
    try {
      const { cardId, cardExt } = await fetchCardExt(couponId)
      const added = await addCard(cardId, cardExt)
      if (added.ok) {
        coupons.byId[couponId] = (await postWalletAdd(couponId, added.value.encryptedCode)).coupon
        attempt = { kind: 'none' }
      } else if (added.cancelled) attempt = { kind: 'cancelled' }
      else if (added.failure.next === 'update_wechat') attempt = { kind: 'unsupported' }
      else attempt = { kind: 'failed', failure: added.failure }
    } catch (e) {
      attempt = {
        kind: 'failed',
        failure: { message: (e as Error).message || describeWxError('').message, next: 'retry' },
      }
    }
    attempts.value[couponId] = attempt
    return attempt
  }

  async function open(couponId: string): Promise<boolean> {
    const c = coupons.byId[couponId]
    if (!c?.offer.wxCardId) return false
    return (await openCard(c.offer.wxCardId, c.code)).ok
  }

  return { attempts, add, open }
})
