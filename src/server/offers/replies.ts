/**
 * Ready answers for anonymous offer reads: the JSON text of `GET /api/offers`, `/api/offers/:id`
 * and `/api/stores/:id` as a logged-out visitor gets it, made once per catalog state and second.
 * A tapped link's crowd is mostly logged out, and its thousandth reader then costs a map lookup
 * instead of building and serializing the answer again. An answer depends on the catalog (its
 * stamp changes with every definition or stock change) and on the time (an offer's phase, to the
 * second); a logged-in reader's claim counts are their own, so theirs are never kept here.
 */
import type { OfferCatalog } from './catalog.ts'

export class ReadyReplies {
  private at = ''
  private readonly bodies = new Map<string, string>()

  constructor(private readonly catalog: OfferCatalog) {}

  /**
   * The answer's JSON text for `key` as of now, made by `make` on a miss; null when `make` says
   * there is nothing to answer (a 404, never kept: unknown ids must not fill memory).
   */
  async get(key: string, now: number, make: () => Promise<object | null>): Promise<string | null> {
    await this.catalog.read()
    const at = `${this.catalog.stamp()}:${now}`
    if (at !== this.at) {
      this.at = at
      this.bodies.clear()
    }
    const kept = this.bodies.get(key)
    if (kept !== undefined) return kept
    const value = await make()
    if (value === null) return null
    const body = JSON.stringify(value)
    // Kept only if nothing changed while it was made.
    if (this.at === at && `${this.catalog.stamp()}:${now}` === at) this.bodies.set(key, body)
    return body
  }
}
