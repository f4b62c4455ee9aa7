/** A merchant's offers in the console: the list with its totals, one offer being edited, saves by version. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ConsoleOfferDto, OfferInput, OfferPatch, OfferStatus } from '../../shared/api/offers.ts'
import {
  fetchConsoleOffer,
  fetchConsoleOffers,
  patchConsoleOffer,
  postConsoleOffer,
  postStockTopUp,
} from '../api/console.ts'

export const useConsoleOffersStore = defineStore('console-offers', () => {
  const mid = ref<string | null>(null)
  const list = ref<ConsoleOfferDto[] | null>(null)

  function put(o: ConsoleOfferDto) {
    if (!list.value) return
    const i = list.value.findIndex(x => x.id === o.id)
    if (i >= 0) list.value[i] = o
    else list.value.unshift(o)
  }

  async function load(merchantId: string) {
    if (mid.value !== merchantId) list.value = null
    mid.value = merchantId
    const offers = (await fetchConsoleOffers(merchantId)).offers
    if (mid.value === merchantId) list.value = offers
  }

  async function get(merchantId: string, id: string): Promise<ConsoleOfferDto> {
    return (await fetchConsoleOffer(merchantId, id)).offer
  }

  async function create(merchantId: string, input: OfferInput): Promise<ConsoleOfferDto> {
    const { offer } = await postConsoleOffer(merchantId, input)
    if (mid.value === merchantId) put(offer)
    return offer
  }

  /** Throws ApiError 412 version_conflict when someone else saved since `version`. */
  async function save(merchantId: string, id: string, patch: OfferPatch, version: number) {
    const { offer } = await patchConsoleOffer(merchantId, id, patch, version)
    if (mid.value === merchantId) put(offer)
    return offer
  }

  async function move(merchantId: string, o: ConsoleOfferDto, status: OfferStatus) {
    return save(merchantId, o.id, { status }, o.version)
  }

  async function topUp(merchantId: string, id: string, add: number) {
    const { offer } = await postStockTopUp(merchantId, id, add)
    if (mid.value === merchantId) put(offer)
    return offer
  }

  return { list, load, get, create, save, move, topUp }
})
