/**
 * What a logged-out reader is answered, made once per catalog state and second: the JSON of
 * `GET /api/offers`, `/api/offers/:id` and `/api/stores/:id` (offers/routes.ts) and the rendered
 * landing pages (site/routes.ts). A tapped link's crowd is mostly logged out, and its thousandth
 * reader then costs a map lookup instead of building the answer again. An answer depends on the
 * catalog (its stamp changes with every definition or stock change) and on the time (an offer's
 * phase, to the second), so everything kept is dropped when either moves on; a logged-in reader's
 * claim counts are their own, so theirs are never kept here.
 */
import type { OfferCatalog } from './catalog.ts'

export class MomentCache<V> {
  private at = ''
  private readonly kept = new Map<string, V>()

  /** `max`: how many answers one moment keeps (keys may carry a visitor's query string); 0 keeps none. */
  constructor(
    private readonly catalog: OfferCatalog,
    private readonly max = Number.POSITIVE_INFINITY,
  ) {}

  /**
   * The answer for `key` as of now, made by `make` on a miss; null when `make` says there is nothing
   * to answer (never kept: unknown ids must not fill memory).
   */
  async get<M extends V | null>(key: string, now: number, make: () => Promise<M>): Promise<V | M> {
    await this.catalog.read()
    const at = `${this.catalog.stamp()}:${now}`
    if (at !== this.at) {
      this.at = at
      this.kept.clear()
    }
    const hit = this.kept.get(key)
    if (hit !== undefined) return hit
    const value = await make()
    if (value === null) return value
    // Kept only if nothing changed while it was made.
    if (this.at === at && `${this.catalog.stamp()}:${now}` === at && this.kept.size < this.max)
      this.kept.set(key, value)
    return value
  }
}
