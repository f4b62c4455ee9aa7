/**
 * A merchant's channels: named ways in, each with a short code that its links carry as ch=. The
 * code is unique across merchants (one code names one channel), so a create that draws a code
 * already taken draws again; the unique index decides, never a read before the write. A channel
 * is known to attribution (deps.channels) once its row has committed.
 */
import type { ChannelDto, ChannelInput } from '../../shared/api/channels.ts'
import type { FunnelTotals } from '../../shared/api/offers.ts'
import { isoOf } from '../../shared/time.ts'
import type { Db } from '../db/index.ts'
import type { ChannelsTable } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { AppError, notFound } from '../http/errors.ts'
import { recordAudit } from '../merchants/audit.ts'
import { offerRowOf, storeIdsOf } from '../offers/console-read.ts'
import { newId } from '../random.ts'
import { storeRowOf } from '../stores/service.ts'
import { newChannelCode } from './codes.ts'

interface Who {
  merchantId: string
  actorId: string
}

/** The landing link: the offer's page when the channel names one (with the store, if any), else the store's page. */
export function channelUrl(publicUrl: string, c: Pick<ChannelsTable, 'code' | 'offer_id' | 'store_id'>): string {
  if (c.offer_id) {
    const store = c.store_id ? `&store=${encodeURIComponent(c.store_id)}` : ''
    return `${publicUrl}/o/${encodeURIComponent(c.offer_id)}?ch=${c.code}${store}`
  }
  return `${publicUrl}/s/${encodeURIComponent(c.store_id ?? '')}?ch=${c.code}`
}

const noTotals = (): FunnelTotals => ({ views: 0, claims: 0, walletAdds: 0, redemptions: 0 })

/** Each code's funnel so far, from the daily aggregates (never the events), in one query. */
async function totalsOf(db: Db, merchantId: string, codes: string[]): Promise<Map<string, FunnelTotals>> {
  const totals = new Map(codes.map(c => [c, noTotals()]))
  if (codes.length === 0) return totals
  const rows = await db
    .selectFrom('funnel_daily')
    .select('channel')
    .select(eb => [
      eb.fn.sum<number>('views').as('views'),
      eb.fn.sum<number>('claims').as('claims'),
      eb.fn.sum<number>('wallet_adds').as('walletAdds'),
      eb.fn.sum<number>('redemptions').as('redemptions'),
    ])
    .where('merchant_id', '=', merchantId)
    .where('channel', 'in', codes)
    .groupBy('channel')
    .execute()
  for (const r of rows)
    totals.set(r.channel, {
      views: Number(r.views ?? 0),
      claims: Number(r.claims ?? 0),
      walletAdds: Number(r.walletAdds ?? 0),
      redemptions: Number(r.redemptions ?? 0),
    })
  return totals
}

async function dtos(deps: Deps, merchantId: string, rows: ChannelsTable[]): Promise<ChannelDto[]> {
  const totals = await totalsOf(
    deps.db,
    merchantId,
    rows.map(r => r.code),
  )
  const base = deps.config.publicUrl
  return rows.map(r => ({
    id: r.id,
    code: r.code,
    name: r.name,
    kind: r.kind,
    offerId: r.offer_id,
    storeId: r.store_id,
    url: channelUrl(base, r),
    posterUrl: r.kind === 'poster' ? `${base}/api/console/merchants/${merchantId}/channels/${r.id}/poster.png` : null,
    totals: totals.get(r.code) ?? noTotals(),
    createdAt: isoOf(r.created_at),
  }))
}

export async function listChannels(deps: Deps, merchantId: string): Promise<ChannelDto[]> {
  const rows = await deps.db
    .selectFrom('channels')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute()
  return dtos(deps, merchantId, rows)
}

/** The merchant's own channel; another merchant's id is a 404 like a missing one. */
export async function channelRowOf(db: Db, merchantId: string, id: string): Promise<ChannelsTable> {
  const row = await db
    .selectFrom('channels')
    .selectAll()
    .where('id', '=', id)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst()
  if (!row) throw notFound('channel')
  return row
}

export async function getChannel(deps: Deps, merchantId: string, id: string): Promise<ChannelDto> {
  const [dto] = await dtos(deps, merchantId, [await channelRowOf(deps.db, merchantId, id)])
  return dto!
}

/** The offer and store a channel names must be this merchant's, and the offer usable at that store. */
async function checkTargets(db: Db, merchantId: string, input: ChannelInput) {
  const offer = input.offerId ? await offerRowOf(db, merchantId, input.offerId) : null
  const store = input.storeId ? await storeRowOf(db, merchantId, input.storeId) : null
  if (offer && store && offer.all_stores !== 1) {
    const stores = (await storeIdsOf(db, [offer.id])).get(offer.id) ?? []
    if (!stores.includes(store.id))
      throw new AppError('invalid_request', 'storeId: 这张优惠券在该门店不可用', {
        field: 'storeId',
        issues: [{ field: 'storeId', message: '这张优惠券在该门店不可用' }],
      })
  }
  return { offerTitle: offer?.title ?? null, storeName: store?.name ?? null }
}

/** Codes drawn before giving up: with 36^6 codes a second draw is already rare. */
const CODE_TRIES = 8

export async function createChannel(
  deps: Deps,
  who: Who,
  input: ChannelInput,
  now: number,
  drawCode: (attempt: number) => string = newChannelCode,
): Promise<ChannelDto> {
  const { offerTitle, storeName } = await checkTargets(deps.db, who.merchantId, input)
  const row: ChannelsTable = {
    id: newId(),
    merchant_id: who.merchantId,
    code: '',
    name: input.name,
    kind: input.kind,
    offer_id: input.offerId,
    store_id: input.storeId,
    created_by: who.actorId,
    created_at: now,
  }
  await deps.db.transaction().execute(async trx => {
    for (let attempt = 0; ; attempt++) {
      if (attempt === CODE_TRIES) throw new Error('could not find a free channel code')
      row.code = drawCode(attempt)
      const ins = await trx
        .insertInto('channels')
        .values(row)
        .onConflict(oc => oc.column('code').doNothing())
        .executeTakeFirst()
      if (Number(ins.numInsertedOrUpdatedRows ?? 0n) === 1) break
    }
    // Readable values (the offer's title, the store's name): the log is for people.
    const changes = [
      { field: 'name', before: null, after: input.name },
      { field: 'channelKind', before: null, after: input.kind },
      { field: 'code', before: null, after: row.code },
      ...(offerTitle ? [{ field: 'offer', before: null, after: offerTitle }] : []),
      ...(storeName ? [{ field: 'store', before: null, after: storeName }] : []),
    ]
    await recordAudit(
      trx,
      {
        ...who,
        action: 'channel.create',
        target: { type: 'channel', id: row.id, label: input.name },
        changes,
      },
      now,
    )
  })
  deps.channels.add(who.merchantId, row.code)
  const [dto] = await dtos(deps, who.merchantId, [row])
  return dto!
}
