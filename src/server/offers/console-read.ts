/**
 * Offers as the console sees them: the editable shape (the same fields the editor's schema
 * checks), the stored columns it maps to, and the list with each offer's funnel totals.
 */
import type { ConsoleOfferDto, FunnelTotals, OfferInput } from '../../shared/api/offers.ts'
import { epochOf, isoOf } from '../../shared/time.ts'
import { validityFromDto, validityToDto } from '../../shared/validity.ts'
import type { Db } from '../db/index.ts'
import type { OfferRow, OffersTable } from '../db/schema.ts'
import { notFound } from '../http/errors.ts'
import { offerTerms, offerValidity } from './service.ts'

/** A stored offer in the editor's terms. */
export function inputOf(o: OfferRow, storeIds: string[]): OfferInput {
  return {
    ...offerTerms(o),
    stockTotal: o.stock_total,
    perUserLimit: o.per_user_limit,
    startsAt: isoOf(o.starts_at),
    endsAt: isoOf(o.ends_at),
    validity: validityToDto(offerValidity(o)),
    allStores: o.all_stores === 1,
    storeIds,
    wxCardId: o.wx_card_id,
    wxStockId: o.wx_stock_id,
    status: o.status,
  }
}

/**
 * One spelling per value, so comparing two shapes compares what they mean: times as the API writes
 * them (the same moment in +08:00 is no change), rules on one line each (they are stored one per
 * line), a store list only when the offer is limited to one, each store once, in order.
 */
export function canonical(i: OfferInput): OfferInput {
  const time = (iso: string) => isoOf(epochOf(iso))
  return {
    ...i,
    rules: i.rules.map(r => r.replace(/\s*[\r\n]+\s*/g, ' ')),
    startsAt: time(i.startsAt),
    endsAt: time(i.endsAt),
    validity: validityToDto(validityFromDto(i.validity)),
    storeIds: i.allStores ? [] : [...new Set(i.storeIds)].sort(),
  }
}

/** The editor's shape (canonical) as columns; stock_left and the lifecycle columns are the writer's to decide. */
export function columnsOf(
  i: OfferInput,
): Omit<OffersTable, 'id' | 'merchant_id' | 'stock_left' | 'image_url' | 'created_at'> {
  const v = validityFromDto(i.validity)
  return {
    title: i.title,
    kind: i.kind,
    value_fen: i.valueFen,
    threshold_fen: i.thresholdFen,
    discount_percent: i.discountPercent,
    gift_name: i.giftName,
    description: i.description,
    rules: i.rules.join('\n'),
    stock_total: i.stockTotal,
    per_user_limit: i.perUserLimit,
    starts_at: epochOf(i.startsAt),
    ends_at: epochOf(i.endsAt),
    validity_type: v.type,
    valid_from: v.type === 'fixed' ? v.from : null,
    valid_to: v.type === 'fixed' ? v.to : null,
    valid_days: v.type === 'relative' ? v.days : null,
    all_stores: i.allStores ? 1 : 0,
    wx_card_id: i.wxCardId,
    wx_stock_id: i.wxStockId,
  }
}

const noTotals = (): FunnelTotals => ({ views: 0, claims: 0, walletAdds: 0, redemptions: 0 })
const totalField = { view: 'views', claim: 'claims', wallet_add: 'walletAdds', redeem: 'redemptions' } as const

/** Each offer's views, claims, wallet adds and redemptions so far, from the events, in one query. */
async function totalsOf(db: Db, merchantId: string, offerIds: string[]): Promise<Map<string, FunnelTotals>> {
  const totals = new Map(offerIds.map(id => [id, noTotals()]))
  if (offerIds.length === 0) return totals
  const rows = await db
    .selectFrom('events')
    .select(['offer_id', 'type'])
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('merchant_id', '=', merchantId)
    .where('offer_id', 'in', offerIds)
    .groupBy(['offer_id', 'type'])
    .execute()
  for (const r of rows) {
    const t = r.offer_id ? totals.get(r.offer_id) : undefined
    if (t) t[totalField[r.type]] = Number(r.n)
  }
  return totals
}

export async function storeIdsOf(db: Db, offerIds: string[]): Promise<Map<string, string[]>> {
  const links = new Map(offerIds.map(id => [id, [] as string[]]))
  if (offerIds.length === 0) return links
  const rows = await db
    .selectFrom('offer_stores')
    .selectAll()
    .where('offer_id', 'in', offerIds)
    .orderBy('store_id')
    .execute()
  for (const r of rows) links.get(r.offer_id)?.push(r.store_id)
  return links
}

function consoleOfferDto(o: OfferRow, storeIds: string[], totals: FunnelTotals): ConsoleOfferDto {
  const { status, ...input } = inputOf(o, storeIds)
  return {
    id: o.id,
    status,
    version: o.version,
    ...input,
    stockLeft: o.stock_left,
    // Top-ups grow both counts, so what was handed out is always their difference.
    issued: o.stock_total - o.stock_left,
    totals,
    createdAt: isoOf(o.created_at),
    updatedAt: isoOf(o.updated_at),
  }
}

async function dtos(db: Db, merchantId: string, rows: OfferRow[]): Promise<ConsoleOfferDto[]> {
  const ids = rows.map(r => r.id)
  const [links, totals] = [await storeIdsOf(db, ids), await totalsOf(db, merchantId, ids)]
  return rows.map(r => consoleOfferDto(r, links.get(r.id) ?? [], totals.get(r.id) ?? noTotals()))
}

export async function listConsoleOffers(db: Db, merchantId: string): Promise<ConsoleOfferDto[]> {
  const rows = await db
    .selectFrom('offers')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute()
  return dtos(db, merchantId, rows)
}

/** The merchant's own offer row; another merchant's id is a 404 like a missing one. */
export async function offerRowOf(db: Db, merchantId: string, offerId: string): Promise<OfferRow> {
  const row = await db
    .selectFrom('offers')
    .selectAll()
    .where('id', '=', offerId)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst()
  if (!row) throw notFound('offer')
  return row
}

export async function getConsoleOffer(db: Db, merchantId: string, offerId: string): Promise<ConsoleOfferDto> {
  const [dto] = await dtos(db, merchantId, [await offerRowOf(db, merchantId, offerId)])
  return dto!
}
