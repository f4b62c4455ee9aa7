/**
 * A month of one merchant's traffic, written straight into `events` with multi-row inserts: the
 * raw material the funnel section aggregates and then reads. The mix is a café chain's: most
 * events are views (a visitor base that comes back, so distinct-per-day counting has work to
 * do), then claims, redemptions and wallet adds; through the fixed ways in and the merchant's own
 * channels, at its stores, a good part of the shares carrying the sharer who forwarded them.
 * A seeded generator, so every run writes the same month.
 */
import type { Db } from '../src/server/db/index.ts'
import type { EventsTable } from '../src/server/db/schema.ts'
import { demo } from '../src/server/db/seed.ts'
import { DAY } from '../src/shared/time.ts'

export interface Month {
  merchantId: string
  offers: string[]
  stores: string[]
  /** The merchant's own channel codes (rows in `channels`). */
  channels: string[]
  /** Users whose links were forwarded. */
  sharers: string[]
  events: number
  days: number
  visitors: number
}

/** mulberry32: small, fast, and the same sequence on every machine. */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Picks from weighted choices. */
function weighted<T>(random: () => number, choices: [T, number][]): () => T {
  const total = choices.reduce((s, [, w]) => s + w, 0)
  return () => {
    let r = random() * total
    for (const [v, w] of choices) if ((r -= w) < 0) return v
    return choices.at(-1)![0]
  }
}

/** Rows per INSERT: 2,000 rows of 11 columns stay under both engines' bound-parameter limits. */
const ROWS_PER_INSERT = 2_000

/** Where a visit came in, as a link says it: its channel, the offer and store it names, and who forwarded it. */
interface Way {
  channel: string
  offer: string | null
  store: string | null
  ref: string | null
}

/**
 * The merchant's own channels, as the section makes them: even ones store posters (of the store
 * page, or of an offer at a store), odd ones share links of an offer.
 */
export function channelTargets(m: Pick<Month, 'channels' | 'offers' | 'stores'>) {
  return m.channels.map((code, i) => ({
    code,
    kind: i % 2 ? ('share' as const) : ('poster' as const),
    offer: i % 4 === 0 ? null : m.offers[i % m.offers.length]!,
    store: i % 2 ? null : m.stores[(i / 2) % m.stores.length]!,
  }))
}

export async function writeMonth(db: Db, m: Month, now: number, log: (s: string) => void): Promise<void> {
  const random = seeded(20261201)
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!
  // Some visitors and sharers are much more active than others: a product of two draws skews towards the first.
  const skewed = (n: number) => Math.floor(random() * random() * n)
  const type = weighted<EventsTable['type']>(random, [
    ['view', 70],
    ['claim', 18],
    ['redeem', 8],
    ['wallet_add', 4],
  ])
  const offer = weighted<string>(
    random,
    m.offers.map((o, i) => [o, m.offers.length - i]),
  )
  const targets = channelTargets(m)
  const shareChannels = targets.filter(c => c.kind === 'share').map(c => c.code)
  // A sharer forwards one offer, through the link they came by: a chat share, or a merchant's share channel.
  const sharers = m.sharers.map((id, i) => ({
    id,
    offer: m.offers[i % m.offers.length]!,
    channel: i % 10 < 7 || !shareChannels.length ? 'share' : shareChannels[i % shareChannels.length]!,
  }))
  const way = weighted<() => Way>(random, [
    [() => ({ channel: 'direct', offer: offer(), store: null, ref: null }), 15],
    [() => ({ channel: 'list', offer: offer(), store: null, ref: null }), 8],
    [() => ({ channel: 'qr', offer: random() < 0.4 ? null : offer(), store: pick(m.stores), ref: null }), 12],
    [
      () => {
        const s = sharers[skewed(sharers.length)]!
        return { channel: s.channel, offer: s.offer, store: null, ref: s.id }
      },
      25,
    ],
    ...targets.map((c): [() => Way, number] => [
      () => ({ channel: c.code, offer: c.offer ?? (random() < 0.4 ? null : offer()), store: c.store, ref: null }),
      40 / targets.length,
    ]),
  ])
  const start = now - m.days * DAY
  let written = 0
  await db.transaction().execute(async trx => {
    while (written < m.events) {
      const rows: EventsTable[] = []
      for (let i = 0; i < ROWS_PER_INSERT && written + i < m.events; i++) {
        const t = type()
        const w = way()()
        const n = written + i
        rows.push({
          id: `bf${n.toString(36).padStart(8, '0')}`,
          type: t,
          merchant_id: m.merchantId,
          // Only a view can be of a store page; what is claimed is always an offer.
          offer_id: t === 'view' ? w.offer : (w.offer ?? offer()),
          coupon_id: t === 'view' ? null : `bc${Math.floor(random() * m.events).toString(36)}`,
          user_id: t === 'view' && random() < 0.6 ? null : `bu${skewed(m.visitors).toString(36)}`,
          // A redemption is counted where it happened, whatever the link said.
          store_id: t === 'redeem' ? pick(m.stores) : w.store,
          channel: w.channel,
          ref: w.ref,
          created_at: start + Math.floor(random() * m.days * DAY),
          viewer: t === 'view' ? `bv${skewed(m.visitors).toString(36)}` : null,
        })
      }
      await trx.insertInto('events').values(rows).execute()
      written += rows.length
      if (written % 250_000 === 0) log(`    ${written.toLocaleString('en-US')} events`)
    }
  })
}

/** The demo café as the month's merchant: its offers and stores as seeded, with channels and sharers added. */
export function demoMonth(events: number): Omit<Month, 'channels' | 'sharers'> {
  return {
    merchantId: demo.merchantId,
    offers: [demo.offers.cash, demo.offers.discount, demo.offers.busifavor, demo.offers.gift, demo.offers.scarce],
    stores: [demo.stores.nanjing, demo.stores.jingan],
    events,
    days: 30,
    visitors: 150_000,
  }
}
