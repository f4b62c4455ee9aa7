/**
 * What consumers read about offers, stores and merchants, kept in memory: a shared link in a busy
 * group chat sends thousands of people to one offer within minutes, and offer definitions change
 * rarely. Each process holds a snapshot and keeps it right without a round trip per request:
 * - definitions: the console bumps `catalog_version` in the transaction of every change; a process
 *   reads that one number when its last look is over half a second old, and reloads on a change,
 *   so an edit reaches consumers on every process within about a second;
 * - stock: re-read (one query for all offers) when over a second old, so a page's "仅剩 N 张" is at
 *   most a second stale. The claim itself never trusts this: its conditional update is the truth.
 * Freshness is measured in wall time (not the app clock), and concurrent readers share one refresh.
 */
import type { Db } from '../db/index.ts'
import type { MerchantsTable, OfferRow, StoresTable } from '../db/schema.ts'

export interface CatalogSnapshot {
  offers: Map<string, OfferRow>
  /** Offers newest first (starts_at desc, id), as lists show them. */
  ordered: OfferRow[]
  merchants: Map<string, MerchantsTable>
  stores: Map<string, StoresTable>
  /** A merchant's stores in creation order. */
  storesByMerchant: Map<string, StoresTable[]>
  /** offer id -> the stores it is limited to (offers valid everywhere have none). */
  offerStores: Map<string, string[]>
}

export interface CatalogOptions {
  /** How old a look at catalog_version may be before the next read checks it again. */
  versionMaxAgeMs: number
  /** How old the stock figures may be. */
  stockMaxAgeMs: number
}

export class OfferCatalog {
  private snap: CatalogSnapshot | null = null
  private version = -1
  private checkedAt = Number.NEGATIVE_INFINITY
  private stockAt = Number.NEGATIVE_INFINITY
  private refreshing: Promise<void> | null = null
  /** Bumped whenever anything consumers read changed (a reload, a stock figure): caches of pages key on it. */
  private generation = 0

  constructor(
    readonly db: Db,
    private readonly o: CatalogOptions = { versionMaxAgeMs: 500, stockMaxAgeMs: 1000 },
  ) {}

  /** The current snapshot, refreshed first when it may be stale. */
  async read(): Promise<CatalogSnapshot> {
    const t = performance.now()
    if (!this.snap || t - this.checkedAt > this.o.versionMaxAgeMs || t - this.stockAt > this.o.stockMaxAgeMs) {
      this.refreshing ??= this.refresh().finally(() => {
        this.refreshing = null
      })
      await this.refreshing
    }
    return this.snap!
  }

  /** Names what the current snapshot says: equal stamps, equal pages (site/routes.ts caches on it). */
  stamp(): number {
    return this.generation
  }

  /** A claim found no stock left: say so at once (the next stock refresh confirms or corrects it). */
  noteSoldOut(offerId: string): void {
    const o = this.snap?.offers.get(offerId)
    if (o && o.stock_left !== 0) {
      o.stock_left = 0
      this.generation++
    }
  }

  /** Forget everything: the next read loads afresh. */
  invalidate(): void {
    this.checkedAt = Number.NEGATIVE_INFINITY
    this.version = -1
  }

  /**
   * The snapshot, made to hold these offers and stores if the database has them: a row written
   * without a catalog bump (a migration, a hand fix) is picked up by the first read that misses it.
   * A miss for an id nobody has costs one indexed lookup, never a reload.
   */
  async readWith(ids: { offers?: string[]; stores?: string[] }): Promise<CatalogSnapshot> {
    const snap = await this.read()
    const offers = (ids.offers ?? []).filter(id => !snap.offers.has(id))
    const stores = (ids.stores ?? []).filter(id => !snap.stores.has(id))
    if (offers.length === 0 && stores.length === 0) return snap
    const [o, s] = await Promise.all([
      offers.length ? this.db.selectFrom('offers').select('id').where('id', 'in', offers).execute() : [],
      stores.length ? this.db.selectFrom('stores').select('id').where('id', 'in', stores).execute() : [],
    ])
    if (o.length === 0 && s.length === 0) return snap
    this.invalidate()
    return this.read()
  }

  private async refresh(): Promise<void> {
    const t = performance.now()
    const row = await this.db.selectFrom('catalog_version').select('version').where('id', '=', 1).executeTakeFirst()
    const version = Number(row?.version ?? 0)
    if (!this.snap || version !== this.version) {
      this.snap = await load(this.db)
      this.version = version
      this.stockAt = t
      this.generation++
    } else if (t - this.stockAt > this.o.stockMaxAgeMs) {
      const stock = await this.db.selectFrom('offers').select(['id', 'stock_left', 'stock_total']).execute()
      for (const s of stock) {
        const o = this.snap.offers.get(s.id)
        if (o && (o.stock_left !== s.stock_left || o.stock_total !== s.stock_total)) {
          o.stock_left = s.stock_left
          o.stock_total = s.stock_total
          this.generation++
        }
      }
      this.stockAt = t
    }
    this.checkedAt = t
  }
}

async function load(db: Db): Promise<CatalogSnapshot> {
  const [offers, merchants, stores, links] = await Promise.all([
    db.selectFrom('offers').selectAll().orderBy('starts_at', 'desc').orderBy('id').execute(),
    db.selectFrom('merchants').selectAll().execute(),
    db.selectFrom('stores').selectAll().orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('offer_stores').selectAll().execute(),
  ])
  const storesByMerchant = new Map<string, StoresTable[]>()
  for (const s of stores) storesByMerchant.set(s.merchant_id, [...(storesByMerchant.get(s.merchant_id) ?? []), s])
  const offerStores = new Map<string, string[]>()
  for (const l of links) offerStores.set(l.offer_id, [...(offerStores.get(l.offer_id) ?? []), l.store_id])
  return {
    offers: new Map(offers.map(o => [o.id, o])),
    ordered: offers,
    merchants: new Map(merchants.map(m => [m.id, m])),
    stores: new Map(stores.map(s => [s.id, s])),
    storesByMerchant,
    offerStores,
  }
}

/** Tells every process's catalog that offers, stores or merchants changed; call inside the change's transaction. */
export async function bumpCatalog(db: Db): Promise<void> {
  await db
    .updateTable('catalog_version')
    .set(eb => ({ version: eb('version', '+', 1) }))
    .where('id', '=', 1)
    .execute()
}
