/**
 * A value the audit log recorded, as merchants read it: statuses, kinds and roles in words, fen as
 * yuan, 88 as 8.8折, times in China time, a validity as the ticket says it, stores by name. The log
 * keeps the contract's raw values (so it stays true when labels change); only the page translates.
 */
import type { OfferKind } from '../../../shared/money.ts'
import { formatYuan } from '../../../shared/money.ts'
import type { OfferStatus, ValidityDto } from '../../../shared/api/offers.ts'
import { statusMoves } from '../../../shared/api/offers.ts'
import { epochOf } from '../../../shared/time.ts'
import { formatDateTime, validityFromDto, validityLabel } from '../../../shared/validity.ts'
import { tk } from '../../i18n/console.ts'

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/
const kinds: readonly OfferKind[] = ['cash', 'discount', 'gift']

function isValidity(v: unknown): v is ValidityDto {
  const o = v as { type?: unknown; days?: unknown; from?: unknown; to?: unknown } | null
  if (!o || typeof o !== 'object') return false
  if (o.type === 'relative') return typeof o.days === 'number'
  return o.type === 'fixed' && typeof o.from === 'string' && typeof o.to === 'string'
}

export function auditValue(
  field: string,
  v: unknown,
  storeNames: Record<string, string> = {},
  now = Date.now() / 1000,
): string {
  if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return tk('auditNone')
  if (field === 'status' && typeof v === 'string' && v in statusMoves) return tk(`status_${v as OfferStatus}`)
  if (field === 'kind' && kinds.includes(v as OfferKind)) return tk(`kind_${v as OfferKind}`)
  if (field === 'channelKind' && (v === 'share' || v === 'poster')) return tk(`channelKind_${v}`)
  if (field === 'role' && (v === 'owner' || v === 'manager')) return tk(v === 'owner' ? 'roleOwner' : 'roleManager')
  if (field.endsWith('Fen') && typeof v === 'number') return `¥${formatYuan(v)}`
  if (field === 'discountPercent' && typeof v === 'number') return `${v / 10}${tk('zhe')}`
  if (field === 'allStores' && typeof v === 'boolean') return tk(v ? 'storesAll' : 'storesSome')
  if (field === 'validity' && isValidity(v)) return validityLabel(validityFromDto(v))
  if (field === 'storeIds' && Array.isArray(v)) return v.map(id => storeNames[String(id)] ?? String(id)).join('、')
  if (Array.isArray(v)) return v.map(x => (typeof x === 'string' ? x : JSON.stringify(x))).join('；')
  if (typeof v === 'boolean') return tk(v ? 'auditYes' : 'auditNo')
  if (typeof v === 'string' && ISO.test(v)) return formatDateTime(epochOf(v), now)
  if (typeof v === 'string' || typeof v === 'number') return String(v)
  return JSON.stringify(v)
}
