import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ApiError } from '../api/client.ts'
import {
  type ClerkStore,
  fetchClerkMe,
  fetchRedemptions,
  postRedeem,
  type Redemption,
  type RedeemRefusal,
  type RedeemResponse,
  redeemRefusal,
} from '../api/clerk.ts'
import { scanCode } from '../wechat/actions.ts'

export type RedeemOutcome = { ok: true; result: RedeemResponse } | ({ ok: false } & RedeemRefusal)

export const useClerkStore = defineStore('clerk', () => {
  const stores = ref<ClerkStore[] | null>(null)
  const storeId = ref<string | null>(null)
  const today = ref<Redemption[]>([])
  const store = computed(() => stores.value?.find(s => s.id === storeId.value) ?? null)

  async function load(preferred?: string) {
    stores.value = (await fetchClerkMe()).stores
    storeId.value = stores.value.find(s => s.id === preferred)?.id ?? stores.value[0]?.id ?? null
    await loadToday()
  }

  async function loadToday() {
    if (storeId.value) today.value = (await fetchRedemptions(storeId.value)).redemptions
  }

  async function switchStore(id: string) {
    storeId.value = id
    await loadToday()
  }

  async function redeem(code: string): Promise<RedeemOutcome> {
    if (!storeId.value) return { ok: false, code: 'forbidden', message: '' }
    try {
      const result = await postRedeem(code, storeId.value)
      // The list is a convenience; the result screen already says what happened.
      void loadToday().catch(() => {})
      return { ok: true, result }
    } catch (e) {
      return { ok: false, ...redeemRefusal(e as ApiError) }
    }
  }

  /** WeChat's scanner; null when the clerk cancelled, a message when scanning is not possible. */
  async function scan(): Promise<{ code: string } | { cancelled: true } | { error: string }> {
    const r = await scanCode()
    if (r.ok) return { code: r.value }
    if (r.cancelled) return { cancelled: true }
    return { error: r.failure.message }
  }

  return { stores, storeId, store, today, load, loadToday, switchStore, redeem, scan }
})
