/**
 * Claims through Kaquan: POST /api/offers/:id/claim by a different user on every request (session
 * cookies sealed with the server's secret) with a fresh Idempotency-Key, against stock no run can
 * exhaust, divided by the raw claim transaction on the same engine.
 */
import type { EngineContext } from '../context.ts'
import { copyOffer } from '../fixtures.ts'
import { drive } from '../load/drive.ts'
import { atMost, check, LOAD_HEAD, loadData, loadRow, ratioAtLeast, type SectionResult, table } from '../report.ts'
import { countWhere, stockLeft } from './counts.ts'
import { type Raw, rawRow } from './raw.ts'

export const CLAIM_CONNECTIONS = 32
const OFFER = 'bench-claims'
const STOCK = 100_000_000
const PER_USER = 1000
export const CLAIM_GOAL = { sqlite: 0.6, postgres: 0.5 } as const
const P99_GOAL_MS = 50

export async function claimsSection(ctx: EngineContext, raw: Raw): Promise<SectionResult> {
  const { cookies } = await ctx.users()
  const now = Math.floor(Date.now() / 1000)
  await copyOffer(ctx.db, OFFER, { stock_total: STOCK, stock_left: STOCK, per_user_limit: PER_USER }, now)
  const path = `/api/offers/${OFFER}/claim`
  const load = await drive({
    job: {
      host: '127.0.0.1',
      port: ctx.server.port,
      connections: CLAIM_CONNECTIONS,
      mode: { kind: 'time', ...ctx.phase },
      method: 'POST',
      path,
      headers: { accept: 'application/json', 'content-type': 'application/json', 'user-agent': 'kaquan-bench' },
      body: JSON.stringify({ ch: 'share' }),
      idempotencyKeys: true,
    },
    items: cookies.map(cookie => ({ cookie })),
    ok: ['201'],
    serverPid: ctx.server.pid,
    tmpDir: ctx.tmpDir,
  })
  ctx.log(`  ${path}: ${Math.round(load.rps)} claims/s, p99 ${load.p99.toFixed(1)} ms`)
  const created = load.allStatuses['201'] ?? 0
  const coupons = await countWhere(ctx.db, 'coupons', OFFER)
  const events = await countWhere(ctx.db, 'events', OFFER, { type: 'claim' })
  const taken = STOCK - (await stockLeft(ctx.db, OFFER))
  const consistent = coupons === created && events === created && taken === created
  const t = { section: 'claims', engine: ctx.engine, measure: 'claim POST /api/offers/:id/claim' }
  const goal = CLAIM_GOAL[ctx.engine]
  return {
    name: 'claims',
    engine: ctx.engine,
    text: [
      `CLAIMS (${ctx.engine})  Kaquan server process, ${CLAIM_CONNECTIONS} sockets, a new user and Idempotency-Key per claim`,
      table(LOAD_HEAD, [rawRow(raw), loadRow(`POST ${path}`, load, raw.perSecond)]),
      `   rows check: ${created} answered 201 -> ${coupons} coupons, ${events} claim events, stock down by ${taken}: ${consistent ? 'consistent' : 'INCONSISTENT'}${load.wrapped ? '; users were reused (more claims than users)' : ''}`,
    ].join('\n'),
    targets: [
      ratioAtLeast(t, load.rps, 'claims/s', { value: raw.perSecond, unit: 'claims/s', what: 'raw' }, goal),
      atMost({ ...t, measure: 'claim p99' }, load.p99, 'ms', P99_GOAL_MS),
      check({ ...t, measure: 'claim rows check' }, consistent, coupons, 'coupons', `= ${created} (the 201s)`),
    ],
    data: { ...loadData(load), ratioToRaw: load.rps / raw.perSecond, rows: { created, coupons, events, taken } },
  }
}
