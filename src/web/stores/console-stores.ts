/** A merchant's stores and each store's clerks, as the console manages them. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { InviteResponse } from '../../shared/api/admin.ts'
import type { ConsoleClerkDto } from '../../shared/api/clerks.ts'
import type { ConsoleStoreDto, StoreInput } from '../../shared/api/stores.ts'
import {
  deleteConsoleClerk,
  fetchConsoleClerks,
  fetchConsoleStores,
  patchConsoleStore,
  postClerkInvite,
  postConsoleStore,
} from '../api/console.ts'

export const useConsoleStoresStore = defineStore('console-stores', () => {
  const mid = ref<string | null>(null)
  const list = ref<ConsoleStoreDto[] | null>(null)
  const clerks = ref<ConsoleClerkDto[] | null>(null)

  async function load(merchantId: string) {
    if (mid.value !== merchantId) list.value = null
    mid.value = merchantId
    const stores = (await fetchConsoleStores(merchantId)).stores
    if (mid.value === merchantId) list.value = stores
    return stores
  }

  async function create(merchantId: string, input: StoreInput) {
    const { store } = await postConsoleStore(merchantId, input)
    list.value = [...(list.value ?? []), store]
    return store
  }

  async function update(merchantId: string, sid: string, patch: Partial<StoreInput>) {
    const { store } = await patchConsoleStore(merchantId, sid, patch)
    list.value = (list.value ?? []).map(s => (s.id === store.id ? store : s))
    return store
  }

  /** The store whose clerks are shown: an answer for a store picked before is dropped. */
  let clerksOf: string | null = null
  async function fetchClerks(merchantId: string, sid: string) {
    clerksOf = sid
    const list = (await fetchConsoleClerks(merchantId, sid)).clerks
    if (clerksOf === sid) clerks.value = list
  }

  async function loadClerks(merchantId: string, sid: string) {
    clerks.value = null
    await fetchClerks(merchantId, sid)
  }

  const invite = (merchantId: string, sid: string): Promise<InviteResponse> => postClerkInvite(merchantId, sid)

  async function revoke(merchantId: string, clerk: ConsoleClerkDto) {
    await deleteConsoleClerk(merchantId, clerk.id)
    // Reloaded in place (the server says when): the table stays on screen meanwhile.
    if (clerksOf === clerk.storeId) await fetchClerks(merchantId, clerk.storeId)
  }

  return { list, clerks, load, create, update, loadClerks, invite, revoke }
})
