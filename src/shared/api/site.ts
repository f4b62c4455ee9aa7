/** What the server inlines into every page, so the first screen needs no second round trip. */
import type { UserDto } from './auth.ts'
import type { OfferDetailDto, OfferDto, StoreResponse } from './offers.ts'

export interface SiteMeta {
  sandbox: boolean
  appId: string
}

export interface InitialState {
  meta: SiteMeta
  user: UserDto | null
  offers?: OfferDto[]
  offer?: OfferDetailDto
  store?: StoreResponse
  /** Set when the landing page's offer or store does not exist, so the page renders its not-found state at once. */
  missing?: 'offer' | 'store'
}
