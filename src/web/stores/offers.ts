import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Attribution } from '../../shared/api/common.ts'
import type { OfferDetailDto, OfferDto, StoreResponse } from '../../shared/api/offers.ts'
import type { InitialState } from '../../shared/api/site.ts'
import { offerValueLabel } from '../../shared/money.ts'
import { fetchOffer, fetchOffers, fetchStore, postView } from '../api/offers.ts'
import { t } from '../i18n/index.ts'
import { setShare } from '../wechat/actions.ts'
import { currentEnv } from '../wechat/env.ts'

export const useOffersStore = defineStore('offers', () => {
  const list = ref<OfferDto[] | null>(null)
  const details = ref<Record<string, OfferDetailDto>>({})
  const stores = ref<Record<string, StoreResponse>>({})
  /** Set by the server when the landing page's offer or store does not exist. */
  const missing = ref<InitialState['missing']>()
  /** Offers whose first view was already recorded by the server while rendering the landing page. */
  const viewedOnServer = new Set<string>()

  function init(state: InitialState) {
    if (state.offers) list.value = state.offers
    if (state.offer) {
      details.value[state.offer.id] = state.offer
      viewedOnServer.add(state.offer.id)
    }
    if (state.store) stores.value[state.store.store.id] = state.store
    missing.value = state.missing
  }

  async function loadList() {
    list.value = (await fetchOffers()).offers
  }

  async function loadOffer(id: string) {
    details.value[id] = (await fetchOffer(id)).offer
    return details.value[id]!
  }

  async function loadStore(id: string) {
    stores.value[id] = await fetchStore(id)
    return stores.value[id]!
  }

  /** Records a view reached by navigating inside the app; a landing page's was recorded by the server. */
  async function recordView(id: string, a: Attribution) {
    if (viewedOnServer.delete(id)) return
    await postView(id, a).catch(() => {})
  }

  /** What WeChat's share menu sends for an offer: the offer, and a link that credits the sharer (and `ch`). */
  function share(id: string, sharerId: string | undefined, ch = 'share') {
    const o = details.value[id]
    if (!o || !currentEnv().inWeChat) return
    const link = new URL(`/o/${o.id}`, location.origin)
    link.searchParams.set('ch', ch)
    if (sharerId) link.searchParams.set('ref', sharerId)
    void setShare({
      title: `${o.merchant.name} · ${o.title}`,
      desc: t('shareDesc', { summary: offerValueLabel(o).summary, description: o.description }).slice(0, 60),
      link: link.toString(),
      imgUrl: o.imageUrl ?? o.merchant.logoUrl ?? new URL('/favicon.svg', location.origin).toString(),
    })
  }

  return { list, details, stores, missing, init, loadList, loadOffer, loadStore, recordView, share }
})
