import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Attribution } from '../../shared/api/common.ts'
import type { CouponDto } from '../../shared/api/coupons.ts'
import { fetchCoupon, fetchCoupons, postClaim } from '../api/coupons.ts'

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

  return { list, byId, loadList, load, claim }
})
