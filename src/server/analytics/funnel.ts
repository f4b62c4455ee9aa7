/**
 * Reading the funnel: sums over funnel_daily (one row per day and offer, channel, store and
 * sharer), never over events, so it answers in milliseconds however many events there are.
 */
import type { FunnelQuery, FunnelResponse, FunnelRow } from '../../shared/api/analytics.ts'
import { chinaDay, chinaDayStartOf, DAY } from '../../shared/time.ts'
import { maskName } from '../clerks/service.ts'
import type { Db } from '../db/index.ts'

const GROUP_COLUMN = { day: 'day', offer: 'offer_id', channel: 'channel', store: 'store_id', sharer: 'ref' } as const

/** The fixed ways in, as a merchant reads them; a merchant's own channels are named by the channels domain. */
export const FIXED_CHANNEL_LABELS: Record<string, string> = {
  direct: '直接访问',
  share: '好友分享',
  qr: '门店二维码',
  list: '优惠列表',
}

export type ChannelLabels = (db: Db, merchantId: string, codes: string[]) => Promise<Map<string, string>>

export async function funnel(
  db: Db,
  merchantId: string,
  q: FunnelQuery,
  channelLabels: ChannelLabels = async () => new Map(),
): Promise<FunnelResponse> {
  const column = GROUP_COLUMN[q.groupBy]
  let base = db
    .selectFrom('funnel_daily')
    .where('merchant_id', '=', merchantId)
    .where('day', '>=', q.from)
    .where('day', '<=', q.to)
  if (q.offerId) base = base.where('offer_id', '=', q.offerId)
  if (q.storeId) base = base.where('store_id', '=', q.storeId)
  if (q.channel) base = base.where('channel', '=', q.channel)
  // One pass: every aggregate row falls in exactly one group, so the totals are the groups' sums.
  const grouped = await base
    .select(eb => [
      eb.fn.sum<number>('views').as('views'),
      eb.fn.sum<number>('claims').as('claims'),
      eb.fn.sum<number>('wallet_adds').as('walletAdds'),
      eb.fn.sum<number>('redemptions').as('redemptions'),
      eb.fn.sum<number>(eb.case().when('ref', '!=', '').then(eb.ref('claims')).else(0).end()).as('viaSharers'),
    ])
    .select(`${column} as key`)
    .groupBy(column)
    .execute()
  const n = (v: unknown) => Number(v ?? 0)
  let rows: Omit<FunnelRow, 'label'>[] = grouped.map(r => ({
    key: String(r.key),
    views: n(r.views),
    claims: n(r.claims),
    walletAdds: n(r.walletAdds),
    redemptions: n(r.redemptions),
    viaSharers: n(r.viaSharers),
  }))
  const totals = { views: 0, claims: 0, walletAdds: 0, redemptions: 0, viaSharers: 0 }
  for (const r of rows) for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += r[k]
  if (q.groupBy === 'day') rows = everyDay(q.from, q.to, rows)
  else rows.sort((a, b) => b.claims - a.claims || b.views - a.views || a.key.localeCompare(b.key))
  const labels = await labelsFor(
    db,
    merchantId,
    q.groupBy,
    rows.map(r => r.key),
    channelLabels,
  )
  return {
    totals,
    rows: rows.map(r => ({ ...r, label: labels.get(r.key) ?? r.key })),
  }
}

/** A line chart wants every day of the range, with zeros where nothing happened. */
function everyDay(from: string, to: string, rows: Omit<FunnelRow, 'label'>[]): Omit<FunnelRow, 'label'>[] {
  const byDay = new Map(rows.map(r => [r.key, r]))
  const out: Omit<FunnelRow, 'label'>[] = []
  const last = chinaDayStartOf(to)!
  for (let t = chinaDayStartOf(from)!; t <= last; t += DAY) {
    const day = chinaDay(t)
    out.push(byDay.get(day) ?? { key: day, views: 0, claims: 0, walletAdds: 0, redemptions: 0, viaSharers: 0 })
  }
  return out
}

async function labelsFor(
  db: Db,
  merchantId: string,
  groupBy: FunnelQuery['groupBy'],
  keys: string[],
  channelLabels: ChannelLabels,
): Promise<Map<string, string>> {
  const ids = keys.filter(Boolean)
  const labels = new Map<string, string>()
  if (groupBy === 'day') for (const k of keys) labels.set(k, k)
  if (groupBy === 'offer' && ids.length) {
    const rows = await db.selectFrom('offers').select(['id', 'title']).where('id', 'in', ids).execute()
    for (const r of rows) labels.set(r.id, r.title)
    labels.set('', '门店页浏览')
  }
  if (groupBy === 'store') {
    if (ids.length) {
      const rows = await db.selectFrom('stores').select(['id', 'name']).where('id', 'in', ids).execute()
      for (const r of rows) labels.set(r.id, r.name)
    }
    labels.set('', '未指定门店')
  }
  if (groupBy === 'sharer') {
    if (ids.length) {
      const rows = await db.selectFrom('users').select(['id', 'nickname', 'openid']).where('id', 'in', ids).execute()
      for (const r of rows) labels.set(r.id, maskName(r.nickname, r.openid))
    }
    labels.set('', '非分享')
  }
  if (groupBy === 'channel') {
    for (const k of keys) if (FIXED_CHANNEL_LABELS[k]) labels.set(k, FIXED_CHANNEL_LABELS[k]!)
    for (const [k, v] of await channelLabels(
      db,
      merchantId,
      keys.filter(k => !FIXED_CHANNEL_LABELS[k]),
    ))
      labels.set(k, v)
  }
  return labels
}

/** The funnel as CSV: UTF-8 with a BOM (Excel reads it as UTF-8), one header row, every cell quoted. */
export function funnelCsv(f: FunnelResponse, groupBy: FunnelQuery['groupBy']): string {
  const head = { day: '日期', offer: '优惠券', channel: '渠道', store: '门店', sharer: '分享人' }[groupBy]
  const lines = [[head, '键', '浏览', '领取', '加入卡包', '核销', '经分享领取']]
  for (const r of f.rows)
    lines.push([r.label, r.key, ...[r.views, r.claims, r.walletAdds, r.redemptions, r.viaSharers].map(String)])
  const t = f.totals
  lines.push(['合计', '', ...[t.views, t.claims, t.walletAdds, t.redemptions, t.viaSharers].map(String)])
  return `\uFEFF${lines.map(l => l.map(csvCell).join(',')).join('\r\n')}\r\n`
}

/** Quoted, with quotes doubled; text a spreadsheet would run as a formula is prefixed with '. */
function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v
  return `"${safe.replace(/"/g, '""')}"`
}
