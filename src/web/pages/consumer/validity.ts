import type { OfferDto } from '../../../shared/contract.ts'
import type { Validity } from '../../../shared/validity.ts'

const sec = (iso: string) => Math.floor(Date.parse(iso) / 1000)

/** The API's validity (ISO strings) as the shared rules take it (epoch seconds). */
export function validityOf(o: Pick<OfferDto, 'validity'>): Validity {
  return o.validity.type === 'relative' ? o.validity : { type: 'fixed', from: sec(o.validity.from), to: sec(o.validity.to) }
}

export { sec }
