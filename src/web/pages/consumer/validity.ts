import type { OfferDto } from '../../../shared/api/offers.ts'
import { epochOf, type Validity } from '../../../shared/validity.ts'

/** The API's validity (ISO strings) as the shared rules take it (epoch seconds). */
export function validityOf(o: Pick<OfferDto, 'validity'>): Validity {
  return o.validity.type === 'relative'
    ? o.validity
    : { type: 'fixed', from: epochOf(o.validity.from), to: epochOf(o.validity.to) }
}
