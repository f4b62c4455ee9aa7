/**
 * The flash sale: 20,000 claims by 20,000 different users, 200 in flight, against 5,000 stock and
 * a limit of one each. Exact means 5,000 coupons in the database, 5,000 answers 201, every other
 * answer 409 sold_out, and not one 5xx.
 */
import type { EngineContext } from '../context.ts'
import { copyOffer } from '../fixtures.ts'
import { drive } from '../load/drive.ts'
import { check, info, int, LOAD_HEAD, loadData, loadRow, type SectionResult, table } from '../report.ts'
import { countWhere, stockLeft } from './counts.ts'

export const FLASH = { claims: 20_000, inFlight: 200, stock: 5_000 }
const OFFER = 'bench-flash'

export async function flashSection(ctx: EngineContext): Promise<SectionResult> {
  const { cookies } = await ctx.users()
  if (cookies.length < FLASH.claims) throw new Error(`the flash sale needs ${FLASH.claims} users`)
  const now = Math.floor(Date.now() / 1000)
  await copyOffer(ctx.db, OFFER, { stock_total: FLASH.stock, stock_left: FLASH.stock, per_user_limit: 1 }, now)
  const path = `/api/offers/${OFFER}/claim`
  const load = await drive({
    job: {
      host: '127.0.0.1',
      port: ctx.server.port,
      connections: FLASH.inFlight,
      mode: { kind: 'count', total: FLASH.claims, warmup: 0 },
      method: 'POST',
      path,
      headers: { accept: 'application/json', 'content-type': 'application/json', 'user-agent': 'kaquan-bench' },
      body: JSON.stringify({ ch: 'share' }),
      idempotencyKeys: true,
    },
    items: cookies.slice(0, FLASH.claims).map(cookie => ({ cookie })),
    ok: ['201', '409 sold_out'],
    serverPid: ctx.server.pid,
    tmpDir: ctx.tmpDir,
  })
  ctx.log(
    `  flash sale: ${Math.round(load.rps)} claims/s, p99 ${load.p99.toFixed(1)} ms, ${JSON.stringify(load.statuses)}`,
  )
  const created = load.statuses['201'] ?? 0
  const soldOut = load.statuses['409 sold_out'] ?? 0
  const fiveXx = Object.entries(load.statuses)
    .filter(([k]) => k.startsWith('5'))
    .reduce((s, [, v]) => s + v, 0)
  const coupons = await countWhere(ctx.db, 'coupons', OFFER)
  const left = await stockLeft(ctx.db, OFFER)
  const exact =
    coupons === FLASH.stock &&
    created === FLASH.stock &&
    soldOut === FLASH.claims - FLASH.stock &&
    left === 0 &&
    fiveXx === 0 &&
    load.socketErrors === 0
  const t = { section: 'flash', engine: ctx.engine }
  return {
    name: 'flash',
    engine: ctx.engine,
    text: [
      `FLASH SALE (${ctx.engine})  ${int(FLASH.claims)} claims by different users, ${FLASH.inFlight} in flight, ${int(FLASH.stock)} stock, limit 1 each`,
      table(LOAD_HEAD, [loadRow(`POST ${path}`, load)]),
      `   answers: ${Object.entries(load.statuses)
        .map(([k, v]) => `${v} x ${k}`)
        .join(', ')}; database: ${coupons} coupons, stock left ${left} -> ${exact ? 'exact' : 'NOT exact'}`,
    ].join('\n'),
    targets: [
      check(
        { ...t, measure: 'flash sale: coupons in the database' },
        exact,
        coupons,
        'coupons',
        `= ${FLASH.stock}, rest sold_out, no 5xx`,
      ),
      info({ ...t, measure: 'flash sale claims/s (all answers)' }, load.rps, 'claims/s'),
      info({ ...t, measure: 'flash sale p99' }, load.p99, 'ms'),
    ],
    data: { ...FLASH, ...loadData(load), coupons, stockLeft: left, fiveXx, exact },
  }
}
