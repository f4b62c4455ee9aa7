import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Attribution, CouponDto } from '../../shared/contract.ts'
import { fetchCoupon, fetchCoupons, postClaim } from '../api/coupons.ts'
import { fetchCardExt, postWalletAdd } from '../api/wallet.ts'
import { addCard, openCard } from '../wechat/actions.ts'
import { describeWxError } from '../wechat/messages.ts'
import type { WalletAttempt } from '../wechat/wallet-path.ts'

const KEY_PREFIX = 'kq-claim-key:'

function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage
  } catch {
    return null
  }
}

/**
 * One key per intent to claim, kept across the login redirect, so the claim that finishes
 * after OAuth (or a retry after a lost response) is the same claim, never a second coupon.
 */
function claimKey(offerId: string): string {
  const s = storage()
  const existing = s?.getItem(KEY_PREFIX + offerId)
  if (existing) return existing
  const key = `${Date.now().toString(36)}-${crypto.getRandomValues(new Uint32Array(2)).join('')}`
  s?.setItem(KEY_PREFIX + offerId, key)
  return key
}

export function forgetClaimKey(offerId: string): void {
  storage()?.removeItem(KEY_PREFIX + offerId)
}

export const useCouponsStore = defineStore('coupons', () => {
  const list = ref<CouponDto[] | null>(null)
  const byId = ref<Record<string, CouponDto>>({})

  async function loadList() {
    list.value = (await fetchCoupons()).coupons
    for (const c of list.value) byId.value[c.id] = c
  }

  async function load(id: string) {
    byId.value[id] = (await fetchCoupon(id)).coupon
    return byId.value[id]!
  }

  async function claim(offerId: string, attribution: Attribution): Promise<CouponDto> {
    const { coupon } = await postClaim(offerId, attribution, claimKey(offerId))
    forgetClaimKey(offerId)
    byId.value[coupon.id] = coupon
    list.value = null
    return coupon
  }

  /** The last wallet attempt per coupon: what the coupon page says about the wallet. */
  const walletAttempts = ref<Record<string, WalletAttempt>>({})

  /**
   * 添加到微信卡包: sign a fresh cardExt, let WeChat add the card, then have the server
   * confirm it with WeChat. Any failure leaves the coupon as it was: an H5 coupon.
   */
  async function addToWallet(couponId: string): Promise<WalletAttempt> {
    walletAttempts.value[couponId] = { kind: 'adding' }
    let attempt: WalletAttempt
    try {
      const { cardId, cardExt } = await fetchCardExt(couponId)
      const added = await addCard(cardId, cardExt)
      if (added.ok) {
        byId.value[couponId] = (await postWalletAdd(couponId, added.value.encryptedCode)).coupon
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
    walletAttempts.value[couponId] = attempt
    return attempt
  }

  async function openInWallet(couponId: string): Promise<boolean> {
    const c = byId.value[couponId]
    if (!c?.offer.wxCardId) return false
    return (await openCard(c.offer.wxCardId, c.code)).ok
  }

  return { list, byId, walletAttempts, loadList, load, claim, addToWallet, openInWallet }
})
