import type { Attribution } from '../../shared/api/common.ts'
import type { OfferListResponse, OfferResponse, StoreResponse } from '../../shared/api/offers.ts'
import { request } from './client.ts'

export const fetchOffers = (storeId?: string) =>
  request<OfferListResponse>('GET', `/api/offers${storeId ? `?store=${encodeURIComponent(storeId)}` : ''}`)

export const fetchOffer = (offerId: string) =>
  request<OfferResponse>('GET', `/api/offers/${encodeURIComponent(offerId)}`)

export const fetchStore = (storeId: string) =>
  request<StoreResponse>('GET', `/api/stores/${encodeURIComponent(storeId)}`)

export const postView = (offerId: string, a: Attribution) =>
  request<void>('POST', `/api/offers/${encodeURIComponent(offerId)}/views`, a)
