/**
 * The funnel over 1,000,000 events: a month of one merchant's traffic is written into `events`
 * (multi-row inserts), the daily aggregates are built from them with rebuildFunnel (the counting
 * recordEvent does live), and then the console's own route, GET /api/console/merchants/:mid/funnel,
 * is asked for the 30-day range by each grouping, one request at a time, as a member of the
 * merchant. The goal is an answer within 100 ms however many events there are.
 */
import { sql } from 'kysely'
import { rebuildFunnel } from '../../src/server/analytics/rebuild.ts'
import { chinaDay, DAY } from '../../src/shared/time.ts'
import { sessionCookie } from '../../tests/helpers/users.ts'
import type { EngineContext } from '../context.ts'
import { addUsers } from '../fixtures.ts'
import { channelTargets, demoMonth, writeMonth } from '../funnel-events.ts'
import { atMost, check, info, int, ms, type SectionResult, table } from '../report.ts'

export const FUNNEL = { events: 1_000_000, channels: 6, sharers: 200, warmup: 3, runs: 20 }
const GOAL_MS = 100
const groupings = ['day', 'offer', 'channel', 'store', 'sharer'] as const

interface Timing {
  grouping: string
  rows: number
  p50: number
  p90: number
  max: number
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!

export async function funnelSection(ctx: EngineContext): Promise<SectionResult> {
  const now = Math.floor(Date.now() / 1000)
  const month = demoMonth(FUNNEL.events)
  const channels = Array.from({ length: FUNNEL.channels }, (_, i) => `bench${i}`)
  await ctx.db
    .insertInto('channels')
    .values(
      channelTargets({ ...month, channels }).map((c, i) => ({
        id: `bench-channel-${i}`,
        merchant_id: month.merchantId,
        code: c.code,
        name: `压测渠道${i + 1}`,
        kind: c.kind,
        offer_id: c.offer,
        store_id: c.store,
        created_by: null,
        created_at: now,
      })),
    )
    .execute()
  const sharers = (await addUsers(ctx.db, FUNNEL.sharers, 'sharer', now)).map(u => u.id)

  let t0 = performance.now()
  await writeMonth(ctx.db, { ...month, channels, sharers }, now, ctx.log)
  const generateMs = performance.now() - t0
  ctx.log(`  ${int(FUNNEL.events)} events written in ${(generateMs / 1000).toFixed(1)} s`)
  t0 = performance.now()
  await rebuildFunnel(ctx.db, ctx.engine, month.merchantId, now)
  const rebuildMs = performance.now() - t0
  const aggregateRows = Number(
    (
      await ctx.db
        .selectFrom('funnel_daily')
        .select(sql<number>`count(*)`.as('n'))
        .where('merchant_id', '=', month.merchantId)
        .executeTakeFirstOrThrow()
    ).n,
  )
  ctx.log(`  aggregates rebuilt in ${(rebuildMs / 1000).toFixed(1)} s: ${int(aggregateRows)} daily rows`)

  // The demo café's owner, signed in as the login callback would sign them in.
  const owner = await ctx.db
    .selectFrom('merchant_members')
    .innerJoin('users', 'users.id', 'merchant_members.user_id')
    .select(['users.id', 'users.openid'])
    .where('merchant_members.merchant_id', '=', month.merchantId)
    .where('merchant_members.role', '=', 'owner')
    .executeTakeFirstOrThrow()
  const cookie = sessionCookie(owner, ctx.sessionSecret, now)
  const range = { from: chinaDay(now - month.days * DAY), to: chinaDay(now) }
  const ask = async (groupBy: string) => {
    const q = new URLSearchParams({ ...range, groupBy })
    const get = () =>
      fetch(`${ctx.server.url}/api/console/merchants/${month.merchantId}/funnel?${q}`, {
        headers: { cookie, accept: 'application/json', 'user-agent': 'kaquan-bench' },
      })
    // A connection the server let go during the minute of writing events fails once: ask again.
    const res = await get().catch(get)
    const body = await res.text()
    if (res.status !== 200) throw new Error(`funnel by ${groupBy} answered ${res.status}: ${body.slice(0, 200)}`)
    return JSON.parse(body) as { totals: Record<string, number>; rows: unknown[] }
  }

  const timings: Timing[] = []
  let totals: Record<string, number> = {}
  for (const g of groupings) {
    for (let i = 0; i < FUNNEL.warmup; i++) await ask(g)
    const took: number[] = []
    let rows = 0
    for (let i = 0; i < FUNNEL.runs; i++) {
      const start = performance.now()
      const answer = await ask(g)
      took.push(performance.now() - start)
      rows = answer.rows.length
      totals = answer.totals
    }
    took.sort((a, b) => a - b)
    timings.push({ grouping: g, rows, p50: percentile(took, 0.5), p90: percentile(took, 0.9), max: took.at(-1)! })
  }

  // The answer counts what the events say: every claim, wallet add and redemption once.
  const byType = await ctx.db
    .selectFrom('events')
    .select(['type', sql<number>`count(*)`.as('n')])
    .where('merchant_id', '=', month.merchantId)
    .groupBy('type')
    .execute()
  const counted = Object.fromEntries(byType.map(r => [r.type, Number(r.n)]))
  const consistent =
    totals.claims === counted.claim && totals.walletAdds === counted.wallet_add && totals.redemptions === counted.redeem

  const t = { section: 'funnel', engine: ctx.engine }
  return {
    name: 'funnel',
    engine: ctx.engine,
    text: [
      `FUNNEL (${ctx.engine})  ${int(FUNNEL.events)} events over ${month.days} days (${FUNNEL.channels} channels, ${FUNNEL.sharers} sharers, ${int(month.visitors)} visitors), GET /api/console/merchants/:mid/funnel for ${range.from}..${range.to}, ${FUNNEL.runs} requests per grouping one at a time after ${FUNNEL.warmup}`,
      `   events written in ${(generateMs / 1000).toFixed(1)} s; aggregates rebuilt in ${(rebuildMs / 1000).toFixed(1)} s into ${int(aggregateRows)} daily rows`,
      table(
        ['groupBy', 'rows', 'p50 ms', 'p90 ms', 'max ms'],
        timings.map(x => [x.grouping, int(x.rows), ms(x.p50), ms(x.p90), ms(x.max)]),
      ),
      `   totals: ${int(totals.views ?? 0)} views, ${int(totals.claims ?? 0)} claims, ${int(totals.walletAdds ?? 0)} wallet adds, ${int(totals.redemptions ?? 0)} redemptions: ${consistent ? 'equal to the events' : 'NOT equal to the events'}`,
    ].join('\n'),
    targets: [
      info({ ...t, measure: `funnel: ${int(FUNNEL.events)} events written` }, generateMs, 'ms'),
      info({ ...t, measure: 'funnel: aggregates rebuilt' }, rebuildMs, 'ms'),
      ...timings.map(x => atMost({ ...t, measure: `funnel by ${x.grouping}, 30 days, max` }, x.max, 'ms', GOAL_MS)),
      check(
        { ...t, measure: 'funnel totals equal the events' },
        consistent,
        totals.claims ?? 0,
        'claims',
        `= ${int(counted.claim ?? 0)}`,
      ),
    ],
    data: { ...FUNNEL, days: month.days, range, generateMs, rebuildMs, aggregateRows, timings, totals, counted },
  }
}
