/** Reading offers and stores. Writes that touch stock live in coupons/service.ts (the claim). */
import type { MerchantDto, StoreDto } from '../../shared/api/common.ts'
import type { OfferDetailDto, OfferDto } from '../../shared/api/offers.ts'
import { isoOf } from '../../shared/time.ts'
import { offerPhase, type Validity, validityToDto } from '../../shared/validity.ts'
import type { Db } from '../db/index.ts'
import type { MerchantsTable, OfferRow, OffersTable, StoresTable } from '../db/schema.ts'

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
    title: o.title,
    kind: o.kind,
    valueFen: o.value_fen,
    thresholdFen: o.threshold_fen,
    discountPercent: o.discount_percent,
    giftName: o.gift_name,
    description: o.description,
    rules: o.rules.split('\n').filter(Boolean),
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

/** Offers with their merchant, the stores they are limited to, and the user's claim counts, in three queries. */
async function hydrate(db: Db, offers: OfferRow[], userId: string | null, now: number): Promise<OfferDto[]> {
  if (offers.length === 0) return []
  const ids = offers.map(o => o.id)
  const merchants = await db
    .selectFrom('merchants')
    .selectAll()
    .where('id', 'in', [...new Set(offers.map(o => o.merchant_id))])
    .execute()
  const links = await db.selectFrom('offer_stores').selectAll().where('offer_id', 'in', ids).execute()
  const counts = userId
    ? await db
        .selectFrom('claim_counts')
        .selectAll()
        .where('user_id', '=', userId)
        .where('offer_id', 'in', ids)
        .execute()
    : []
  return offers.map(o => {
    const m = merchants.find(x => x.id === o.merchant_id)!
    const storeIds = links.filter(l => l.offer_id === o.id).map(l => l.store_id)
    return offerDto(o, m, storeIds, counts.find(c => c.offer_id === o.id)?.claimed ?? 0, now)
  })
}

/**
 * Live offers (status live, inside their claim window), optionally only those valid at one store.
 * Sold-out ones stay listed; drafts, paused and ended offers are not.
 */
export async function listLiveOffers(
  db: Db,
  opts: { storeId?: string; userId: string | null },
  now: number,
): Promise<OfferDto[]> {
  let q = db
    .selectFrom('offers')
    .selectAll('offers')
    .where('status', '=', 'live')
    .where('starts_at', '<=', now)
    .where('ends_at', '>', now)
  if (opts.storeId) {
    const store = await db
      .selectFrom('stores')
      .select(['id', 'merchant_id'])
      .where('id', '=', opts.storeId)
      .executeTakeFirst()
    if (!store) return []
    q = q.where(eb =>
      eb.or([
        eb.and([eb('all_stores', '=', 1), eb('merchant_id', '=', store.merchant_id)]),
        eb.exists(
          eb
            .selectFrom('offer_stores')
            .select('offer_id')
            .whereRef('offer_stores.offer_id', '=', 'offers.id')
            .where('offer_stores.store_id', '=', store.id),
        ),
      ]),
    )
  }
  const rows = await q.orderBy('starts_at', 'desc').orderBy('id').execute()
  return hydrate(db, rows, opts.userId, now)
}

/**
 * Offers by id, live or not (a shared link must still explain an ended, paused or upcoming offer),
 * with their stores. A fixed five queries however many offers: coupon lists call this once.
 */
export async function getOffers(
  db: Db,
  offerIds: string[],
  userId: string | null,
  now: number,
): Promise<Map<string, OfferDetailDto>> {
  const found = new Map<string, OfferDetailDto>()
  if (offerIds.length === 0) return found
  const rows = await db
    .selectFrom('offers')
    .selectAll()
    .where('id', 'in', [...new Set(offerIds)])
    .execute()
  if (rows.length === 0) return found
  const dtos = await hydrate(db, rows, userId, now)
  const stores = await db
    .selectFrom('stores')
    .selectAll()
    .where('merchant_id', 'in', [...new Set(rows.map(r => r.merchant_id))])
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  rows.forEach((row, i) => {
    const dto = dtos[i]!
    const valid = stores.filter(
      s => s.merchant_id === row.merchant_id && (row.all_stores === 1 || dto.storeIds.includes(s.id)),
    )
    found.set(row.id, {
      ...dto,
      stores: valid.map(storeDto),
      wxCardId: row.wx_card_id,
      wxStockId: row.wx_stock_id,
    })
  })
  return found
}

/** One offer as a consumer may see it: a draft is not there yet (it has no coupons, so no coupon page needs it). */
export async function getOffer(
  db: Db,
  offerId: string,
  userId: string | null,
  now: number,
): Promise<OfferDetailDto | null> {
  const row = await db.selectFrom('offers').select('status').where('id', '=', offerId).executeTakeFirst()
  if (!row || row.status === 'draft') return null
  return (await getOffers(db, [offerId], userId, now)).get(offerId) ?? null
}

export async function getStore(db: Db, storeId: string) {
  const store = await db.selectFrom('stores').selectAll().where('id', '=', storeId).executeTakeFirst()
  if (!store) return null
  const merchant = await db
    .selectFrom('merchants')
    .selectAll()
    .where('id', '=', store.merchant_id)
    .executeTakeFirstOrThrow()
  return { ...storeDto(store), merchant: merchantDto(merchant), merchantId: merchant.id }
}

/** The merchant an offer consumers can see belongs to, or null when there is no such offer (or only a draft). */
export async function offerMerchant(db: Db, offerId: string): Promise<string | null> {
  const row = await db
    .selectFrom('offers')
    .select('merchant_id')
    .where('id', '=', offerId)
    .where('status', '!=', 'draft')
    .executeTakeFirst()
  return row?.merchant_id ?? null
}
