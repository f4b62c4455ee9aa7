/** Reading offers and stores. Writes that touch stock live in coupons/service.ts (the claim). */
import type { MerchantDto, StoreDto } from '../../shared/api/common.ts'
import type { OfferDetailDto, OfferDto } from '../../shared/api/offers.ts'
import { isoOf } from '../../shared/time.ts'
import { offerPhase, type Validity, validityToDto } from '../../shared/validity.ts'
import type { Db } from '../db/index.ts'
import type { MerchantsTable, OfferRow, OffersTable, StoresTable } from '../db/schema.ts'
import type { CatalogSnapshot, OfferCatalog } from './catalog.ts'

export function merchantDto(m: MerchantsTable): MerchantDto {
  return { id: m.id, name: m.name, logoUrl: m.logo_url }
}

export function storeDto(s: StoresTable): StoreDto {
  return { id: s.id, name: s.name, address: s.address }
}

/** An offer row's validity rule, in the shared rules' terms: the one conversion from the stored columns. */
export function offerValidity(
  o: Pick<OffersTable, 'validity_type' | 'valid_from' | 'valid_to' | 'valid_days'>,
): Validity {
  return o.validity_type === 'relative'
    ? { type: 'relative', days: o.valid_days ?? 0 }
    : { type: 'fixed', from: o.valid_from ?? 0, to: o.valid_to ?? 0 }
}

/** What an offer gives and on which terms, as the consumer's and the console's shapes both spell it. */
export function offerTerms(o: OffersTable) {
  return {
    title: o.title,
    kind: o.kind,
    valueFen: o.value_fen,
    thresholdFen: o.threshold_fen,
    discountPercent: o.discount_percent,
    giftName: o.gift_name,
    description: o.description,
    // Stored one per line.
    rules: o.rules.split('\n').filter(Boolean),
  }
}

export function offerDto(
  o: OfferRow,
  m: MerchantsTable,
  storeIds: string[],
  claimedByMe: number,
  now: number,
): OfferDto {
  return {
    id: o.id,
    merchant: merchantDto(m),
    ...offerTerms(o),
    imageUrl: o.image_url,
    stockTotal: o.stock_total,
    stockLeft: o.stock_left,
    perUserLimit: o.per_user_limit,
    claimedByMe,
    startsAt: isoOf(o.starts_at),
    endsAt: isoOf(o.ends_at),
    phase: offerPhase({ startsAt: o.starts_at, endsAt: o.ends_at, status: o.status }, now),
    validity: validityToDto(offerValidity(o)),
    allStores: o.all_stores === 1,
    storeIds,
  }
}

/** How many coupons of each offer the user holds: the one query a logged-in read adds to the catalog. */
async function claimCounts(db: Db, userId: string | null, offerIds: string[]): Promise<Map<string, number>> {
  if (!userId || offerIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('claim_counts')
    .select(['offer_id', 'claimed'])
    .where('user_id', '=', userId)
    .where('offer_id', 'in', offerIds)
    .execute()
  return new Map(rows.map(r => [r.offer_id, r.claimed]))
}

function dtoOf(snap: CatalogSnapshot, o: OfferRow, claimedByMe: number, now: number): OfferDto {
  return offerDto(o, snap.merchants.get(o.merchant_id)!, snap.offerStores.get(o.id) ?? [], claimedByMe, now)
}

function validAt(snap: CatalogSnapshot, o: OfferRow, store: StoresTable): boolean {
  if (o.all_stores === 1) return o.merchant_id === store.merchant_id
  return (snap.offerStores.get(o.id) ?? []).includes(store.id)
}

/**
 * Live offers (status live, inside their claim window), optionally only those valid at one store,
 * newest first. Sold-out ones stay listed; drafts, paused and ended offers are not.
 */
export async function listLiveOffers(
  catalog: OfferCatalog,
  opts: { storeId?: string; userId: string | null },
  now: number,
): Promise<OfferDto[]> {
  const snap = await catalog.readWith({ stores: opts.storeId ? [opts.storeId] : [] })
  const store = opts.storeId ? snap.stores.get(opts.storeId) : undefined
  if (opts.storeId && !store) return []
  const live = snap.ordered.filter(
    o => o.status === 'live' && o.starts_at <= now && o.ends_at > now && (!store || validAt(snap, o, store)),
  )
  const counts = await claimCounts(
    catalog.db,
    opts.userId,
    live.map(o => o.id),
  )
  return live.map(o => dtoOf(snap, o, counts.get(o.id) ?? 0, now))
}

/**
 * Offers by id, live or not (a shared link must still explain an ended, paused or upcoming offer),
 * with their stores: from the catalog, plus the caller's claim counts. Coupon lists call this once.
 */
export async function getOffers(
  catalog: OfferCatalog,
  offerIds: string[],
  userId: string | null,
  now: number,
  /** The user's claim counts when the caller knows them already: no query. */
  known?: Map<string, number>,
): Promise<Map<string, OfferDetailDto>> {
  const wanted = [...new Set(offerIds)]
  const snap = await catalog.readWith({ offers: wanted })
  const rows = wanted.map(id => snap.offers.get(id)).filter((o): o is OfferRow => !!o)
  const counts =
    known ??
    (await claimCounts(
      catalog.db,
      userId,
      rows.map(o => o.id),
    ))
  const found = new Map<string, OfferDetailDto>()
  for (const row of rows) {
    const dto = dtoOf(snap, row, counts.get(row.id) ?? 0, now)
    const valid = (snap.storesByMerchant.get(row.merchant_id) ?? []).filter(
      s => row.all_stores === 1 || dto.storeIds.includes(s.id),
    )
    found.set(row.id, { ...dto, stores: valid.map(storeDto), wxCardId: row.wx_card_id, wxStockId: row.wx_stock_id })
  }
  return found
}

/** One offer as a consumer may see it: a draft is not there yet (it has no coupons, so no coupon page needs it). */
export async function getOffer(
  catalog: OfferCatalog,
  offerId: string,
  userId: string | null,
  now: number,
): Promise<OfferDetailDto | null> {
  const snap = await catalog.readWith({ offers: [offerId] })
  const row = snap.offers.get(offerId)
  if (!row || row.status === 'draft') return null
  return (await getOffers(catalog, [offerId], userId, now)).get(offerId) ?? null
}

export async function getStore(catalog: OfferCatalog, storeId: string) {
  const snap = await catalog.readWith({ stores: [storeId] })
  const store = snap.stores.get(storeId)
  const merchant = store && snap.merchants.get(store.merchant_id)
  if (!store || !merchant) return null
  return { ...storeDto(store), merchant: merchantDto(merchant), merchantId: merchant.id }
}

/** A store by id, for naming where a coupon was redeemed. */
export async function storeById(catalog: OfferCatalog, storeId: string): Promise<StoresTable | null> {
  return (await catalog.read()).stores.get(storeId) ?? null
}

/** The merchant an offer consumers can see belongs to, or null when there is no such offer (or only a draft). */
export async function offerMerchant(catalog: OfferCatalog, offerId: string): Promise<string | null> {
  const row = (await catalog.readWith({ offers: [offerId] })).offers.get(offerId)
  return row && row.status !== 'draft' ? row.merchant_id : null
}
