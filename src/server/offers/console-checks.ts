/**
 * What a console save must pass beyond its own schema: the merged offer as a whole, its stores
 * (this merchant's), and a 商家券 stock WeChat Pay can issue it from. Every refusal is a 400 with
 * the field to fix, in the editor's words.
 */
import { type OfferInput, offerInput } from '../../shared/api/offers.ts'
import type { Deps } from '../deps.ts'
import type { Db } from '../db/index.ts'
import { AppError } from '../http/errors.ts'
import { storesNotOfMerchant } from '../stores/service.ts'
import { checkStock } from '../wallet/busifavor-stock.ts'
import { columnsOf } from './console-read.ts'

type Issue = { field: string; message: string }

function fieldError(issues: Issue[], field = issues[0]!.field): AppError {
  return new AppError('invalid_request', `body.${field}: ${issues[0]!.message}`, { field, issues })
}

/** The fields a cross-field rule of the schema reads: its message lands on the key, any of these may be the cause. */
const reads: Record<string, string[]> = {
  valueFen: ['kind', 'valueFen', 'thresholdFen'],
  discountPercent: ['kind', 'discountPercent'],
  giftName: ['kind', 'giftName'],
  endsAt: ['startsAt', 'endsAt'],
  validity: ['validity', 'startsAt', 'endsAt'],
  storeIds: ['allStores', 'storeIds'],
  wxStockId: ['wxCardId', 'wxStockId'],
}

/**
 * The stored offer with the change applied, checked with the editor's schema as a whole. Only what
 * the change touches can refuse it: an offer saved before a rule existed stays editable.
 */
export function mergedOffer(current: OfferInput, change: Partial<OfferInput>): OfferInput {
  const merged = { ...current, ...change }
  const result = offerInput.safeParse(merged)
  if (result.success) return result.data
  const touched = (field: string) => {
    const top = field.split('.')[0]!
    return (reads[top] ?? [top]).some(f => Object.hasOwn(change, f))
  }
  const issues = result.error.issues
    .map(i => ({ field: i.path.map(String).join('.'), message: i.message }))
    .filter(i => touched(i.field))
  if (issues.length) throw fieldError(issues.slice(0, 20))
  return merged
}

/** An offer limited to chosen stores may name only this merchant's stores. */
export async function checkStores(db: Db, merchantId: string, o: OfferInput): Promise<void> {
  if (o.allStores) return
  const foreign = await storesNotOfMerchant(db, o.storeIds, merchantId)
  if (foreign.length) throw fieldError([{ field: 'storeIds', message: '所选门店不存在或不属于本商户' }])
}

/** Fields a 商家券 stock has to agree with (busifavor-stock.ts's coverage). */
const stockFields = ['wxStockId', 'kind', 'stockTotal', 'perUserLimit', 'startsAt', 'endsAt', 'validity']

/**
 * A linked 商家券 stock must exist, be this merchant's and cover the offer (WeChat Pay is asked),
 * when the change links one or moves what it must cover. Its words go on wxStockId; every issue
 * keeps its own field too.
 */
export async function checkWalletStock(deps: Deps, id: string, o: OfferInput, changed: string[]): Promise<void> {
  if (!o.wxStockId || !changed.some(f => stockFields.includes(f))) return
  const check = await checkStock(deps, o.wxStockId, { id, ...columnsOf(o) })
  if (!check.ok) throw fieldError(check.issues, 'wxStockId')
}
