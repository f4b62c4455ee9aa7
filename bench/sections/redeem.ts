/**
 * Redemption at the counter: 200 clerks each with one request in flight, every request a different
 * H5 coupon of the demo merchant (made in the database), POST /api/redeem. A first round of 200 warms
 * the path and is not counted. The counter's goal is an answer within 300 ms at p99.
 */
import { demo } from '../../src/server/db/seed.ts'
import type { EngineContext } from '../context.ts'
import { addClerks, addCoupons, addUsers, cookiesOf, copyOffer } from '../fixtures.ts'
import { drive } from '../load/drive.ts'
import { atMost, check, info, int, LOAD_HEAD, loadData, loadRow, type SectionResult, table } from '../report.ts'
import { countWhere } from './counts.ts'

export const REDEEM = { clerks: 200, redemptions: 2_000, warmup: 200 }
const OFFER = 'bench-redeem'
const P99_GOAL_MS = 300

export async function redeemSection(ctx: EngineContext): Promise<SectionResult> {
  const now = Math.floor(Date.now() / 1000)
  const store = demo.stores.nanjing
  await copyOffer(ctx.db, OFFER, { stock_total: 1_000_000, stock_left: 1_000_000, per_user_limit: 1000 }, now)
  const clerks = await addUsers(ctx.db, REDEEM.clerks, 'clerk', now)
  await addClerks(ctx.db, clerks, store, now)
  const clerkCookies = cookiesOf(clerks, ctx.sessionSecret, now)
  const total = REDEEM.warmup + REDEEM.redemptions
  const holders = await addUsers(ctx.db, total, 'holder', now)
  const codes = await addCoupons(ctx.db, OFFER, holders, now)
  const load = await drive({
    job: {
      host: '127.0.0.1',
      port: ctx.server.port,
      connections: REDEEM.clerks,
      mode: { kind: 'count', total, warmup: REDEEM.warmup },
      method: 'POST',
      path: '/api/redeem',
      headers: { accept: 'application/json', 'content-type': 'application/json', 'user-agent': 'kaquan-bench' },
    },
    items: codes.map((code, i) => ({
      cookie: clerkCookies[i % REDEEM.clerks]!,
      body: JSON.stringify({ code, storeId: store }),
    })),
    ok: ['200'],
    serverPid: ctx.server.pid,
    tmpDir: ctx.tmpDir,
  })
  ctx.log(`  redemptions: ${Math.round(load.rps)} redeems/s, p99 ${load.p99.toFixed(1)} ms`)
  const answered = load.allStatuses['200'] ?? 0
  const redeemed = await countWhere(ctx.db, 'coupons', OFFER, { redeemed: true })
  const t = { section: 'redeem', engine: ctx.engine }
  return {
    name: 'redeem',
    engine: ctx.engine,
    text: [
      `REDEMPTION (${ctx.engine})  ${REDEEM.clerks} clerks with one request in flight each, ${int(REDEEM.redemptions)} different codes (after ${REDEEM.warmup} not counted)`,
      table(LOAD_HEAD, [loadRow('POST /api/redeem', load)]),
      `   rows check: ${answered} answered 200 -> ${redeemed} coupons redeemed: ${answered === redeemed ? 'consistent' : 'INCONSISTENT'}`,
    ].join('\n'),
    targets: [
      info({ ...t, measure: 'redemptions/s' }, load.rps, 'redeems/s'),
      atMost({ ...t, measure: 'redemption p99' }, load.p99, 'ms', P99_GOAL_MS),
      check(
        { ...t, measure: 'redemptions: all answered 200' },
        load.ok === REDEEM.redemptions && answered === redeemed,
        load.ok,
        'redeemed',
        `= ${REDEEM.redemptions}`,
      ),
    ],
    data: { ...REDEEM, ...loadData(load), redeemedRows: redeemed },
  }
}
