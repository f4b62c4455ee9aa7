/**
 * Writing offers from the console. A save carries the version it was made from and lands only on
 * that version (one conditional update: a stale save is a 412, never a silent overwrite). Fields
 * that say what an issued coupon is worth or when it is valid freeze once one exists; that too is
 * part of the update's condition (stock_left = stock_total: nothing handed out), so a claim that
 * commits first can't slip under a change of value. A stock top-up grows both counts in one
 * relative update, so it never loses or oversells a concurrent claim. Ending an offer only stops
 * claims: the coupons already issued stay valid (redemption never reads the status).
 */
import {
  type ConsoleOfferDto,
  lockedOnceIssued,
  type OfferInput,
  type OfferPatch,
  type OfferStatus,
  statusMoves,
} from '../../shared/api/offers.ts'
import type { Deps } from '../deps.ts'
import type { Db } from '../db/index.ts'
import type { OfferRow } from '../db/schema.ts'
import { AppError } from '../http/errors.ts'
import { diff, recordAudit } from '../merchants/audit.ts'
import { newId } from '../random.ts'
import { checkStores, checkWalletStock, mergedOffer } from './console-checks.ts'
import { canonical, columnsOf, getConsoleOffer, inputOf, offerRowOf, storeIdsOf } from './console-read.ts'
import { bumpCatalog } from './catalog.ts'

const MAX_STOCK = 10_000_000
const frozen: readonly string[] = [...lockedOnceIssued, 'stockTotal']

interface Who {
  merchantId: string
  actorId: string
}

function refuseMove(from: OfferStatus, to: OfferStatus): void {
  if (from !== to && !statusMoves[from].includes(to))
    throw new AppError('invalid_status', `不能从「${statusLabel[from]}」改为「${statusLabel[to]}」`, { from, to })
}
const statusLabel: Record<OfferStatus, string> = { draft: '草稿', live: '进行中', paused: '已暂停', ended: '已结束' }

async function linkStores(trx: Db, offerId: string, o: OfferInput): Promise<void> {
  await trx.deleteFrom('offer_stores').where('offer_id', '=', offerId).execute()
  // Canonical input: no list for an offer valid in every store, which would only contradict it later.
  if (o.storeIds.length)
    await trx
      .insertInto('offer_stores')
      .values(o.storeIds.map(store_id => ({ offer_id: offerId, store_id })))
      .execute()
}

const audit = (who: Who, id: string, title: string) => ({
  merchantId: who.merchantId,
  actorId: who.actorId,
  target: { type: 'offer' as const, id, label: title },
})

export async function createOffer(deps: Deps, who: Who, input: OfferInput, now: number): Promise<ConsoleOfferDto> {
  refuseMove('draft', input.status)
  const o = canonical(input)
  await checkStores(deps.db, who.merchantId, o)
  const id = newId()
  await checkWalletStock(deps, id, o, Object.keys(o))
  await deps.db.transaction().execute(async trx => {
    await bumpCatalog(trx)
    const columns = columnsOf(o)
    await trx
      .insertInto('offers')
      .values({
        id,
        merchant_id: who.merchantId,
        ...columns,
        stock_left: columns.stock_total,
        image_url: null,
        status: o.status,
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute()
    await linkStores(trx, id, o)
    const changes = diff(null, o, Object.keys(o) as (keyof OfferInput)[])
    await recordAudit(trx, { ...audit(who, id, o.title), action: 'offer.create', changes }, now)
  })
  return getConsoleOffer(deps.db, who.merchantId, id)
}

const conflict = (row: OfferRow) =>
  new AppError('version_conflict', '这张优惠券刚被其他人修改过，请刷新后再改', { version: row.version })

export async function updateOffer(
  deps: Deps,
  who: Who & { offerId: string; version: number; patch: OfferPatch },
  now: number,
): Promise<ConsoleOfferDto> {
  const row = await offerRowOf(deps.db, who.merchantId, who.offerId)
  if (row.version !== who.version) throw conflict(row)
  const before = canonical(inputOf(row, (await storeIdsOf(deps.db, [row.id])).get(row.id) ?? []))
  const after = canonical(mergedOffer(before, who.patch))
  const changed = (Object.keys(after) as (keyof OfferInput)[]).filter(
    f => JSON.stringify(before[f]) !== JSON.stringify(after[f]),
  )
  if (changed.length === 0) return getConsoleOffer(deps.db, who.merchantId, row.id)
  refuseMove(row.status, after.status)
  const issued = row.stock_total - row.stock_left
  const locked = changed.filter(f => frozen.includes(f))
  if (issued > 0 && locked.length) throw lockedError(locked)
  await checkStores(deps.db, who.merchantId, after)
  await checkWalletStock(deps, row.id, after, changed)

  await deps.db.transaction().execute(async trx => {
    await bumpCatalog(trx)
    const columns = columnsOf(after)
    let q = trx
      .updateTable('offers')
      .set(eb => ({
        ...columns,
        ...(changed.includes('stockTotal') ? { stock_left: columns.stock_total } : {}),
        status: after.status,
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('id', '=', row.id)
      .where('merchant_id', '=', who.merchantId)
      .where('version', '=', row.version)
    if (locked.length) q = q.where(eb => eb('stock_left', '=', eb.ref('stock_total')))
    const r = await q.executeTakeFirst()
    if (Number(r.numUpdatedRows) !== 1) {
      const latest = await offerRowOf(trx, who.merchantId, row.id)
      throw latest.version !== row.version ? conflict(latest) : lockedError(locked)
    }
    if (changed.includes('allStores') || changed.includes('storeIds')) await linkStores(trx, row.id, after)
    const onlyStatus = changed.length === 1 && changed[0] === 'status'
    await recordAudit(
      trx,
      {
        ...audit(who, row.id, after.title),
        action: onlyStatus ? 'offer.status' : 'offer.update',
        changes: diff(before, after, changed),
      },
      now,
    )
  })
  return getConsoleOffer(deps.db, who.merchantId, row.id)
}

function lockedError(fields: string[]): AppError {
  const message = fields.includes('stockTotal')
    ? '已有券发出：库存只能通过“追加库存”增加，面额与有效期不能再改'
    : '已有券发出，面额、门槛与有效期不能再改'
  return new AppError('offer_locked', message, { fields })
}

/** Adds `add` to both stockTotal and stockLeft in one relative update: concurrent claims keep every decrement. */
export async function topUpStock(
  deps: Deps,
  who: Who & { offerId: string; add: number },
  now: number,
): Promise<ConsoleOfferDto> {
  await deps.db.transaction().execute(async trx => {
    await bumpCatalog(trx)
    const r = await trx
      .updateTable('offers')
      .set(eb => ({
        stock_total: eb('stock_total', '+', who.add),
        stock_left: eb('stock_left', '+', who.add),
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('id', '=', who.offerId)
      .where('merchant_id', '=', who.merchantId)
      .where('status', '!=', 'ended')
      .where('stock_total', '<=', MAX_STOCK - who.add)
      .executeTakeFirst()
    const row = await offerRowOf(trx, who.merchantId, who.offerId)
    if (Number(r.numUpdatedRows) !== 1) {
      if (row.status === 'ended') throw new AppError('stock_invalid', '活动已结束，不能再追加库存')
      throw new AppError('stock_invalid', `库存最多1000万张，当前已有${row.stock_total}张`)
    }
    const changes = [{ field: 'stockTotal', before: row.stock_total - who.add, after: row.stock_total }]
    await recordAudit(trx, { ...audit(who, row.id, row.title), action: 'offer.stock', changes }, now)
  })
  return getConsoleOffer(deps.db, who.merchantId, who.offerId)
}
