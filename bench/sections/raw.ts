/**
 * Baseline (b): the raw claim transaction in a process of its own (bench/raw/process.ts) on this
 * engine's scratch database, twice, each run against an offer of its own with stock no run can
 * exhaust; the better run is the baseline. Afterwards the rows are counted: a baseline that skipped
 * a write would not be a ceiling.
 */
import { writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import type { EngineContext } from '../context.ts'
import { copyOffer } from '../fixtures.ts'
import { Histogram } from '../load/histogram.ts'
import { forkTs, machineTicks } from '../procs.ts'
import type { RawJob, RawResult } from '../raw/process.ts'
import { countWhere, stockLeft } from './counts.ts'
import { info, int, ms, pct, type SectionResult, table } from '../report.ts'

/** PostgreSQL: callers in flight, over a pool the size of the server's (src/server/db/index.ts). */
export const RAW_PG = { concurrency: 32, poolSize: 10 }
export const RAW_OFFER = 'bench-raw'
const STOCK = 100_000_000
const PER_USER = 1000

export interface Raw {
  perSecond: number
  p50: number
  p99: number
  cpu: number
  /** The rest of the machine over the window, in cores: on PostgreSQL mostly the database server. */
  restCpu: number
}

/** The baseline as a row of a load table (its process CPU in the server's column). */
export function rawRow(raw: Raw): string[] {
  return [
    'raw claim transaction (baseline b)',
    int(raw.perSecond),
    ms(raw.p50),
    ms(raw.p99),
    '0',
    pct(raw.cpu),
    '',
    '',
    '1.00',
  ]
}

type RawMessage = { type: 'clock-start' } | { type: 'result'; result: RawResult } | { type: 'error'; message: string }

/** Runs the raw process; `machineCpu` is what the whole machine used over its window, in cores. */
function runRaw(job: RawJob): Promise<RawResult & { machineCpu: number }> {
  return new Promise((resolve, reject) => {
    const child = forkTs(new URL('../raw/process.ts', import.meta.url))
    let result: RawResult | null = null
    const ticks: ReturnType<typeof machineTicks>[] = []
    const timers: NodeJS.Timeout[] = []
    child.on('message', (m: RawMessage) => {
      if (m.type === 'clock-start') {
        const sample = () => ticks.push(machineTicks())
        timers.push(setTimeout(sample, job.warmupMs + 20), setTimeout(sample, job.warmupMs + job.durationMs + 20))
      } else if (m.type === 'result') result = m.result
      else reject(new Error(`raw claim process: ${m.message}`))
    })
    child.once('exit', code => {
      for (const t of timers) clearTimeout(t)
      const [a, b] = ticks
      const machineCpu = a && b ? ((b.busy - a.busy) / (b.total - a.total)) * cpus().length : Number.NaN
      if (result) resolve({ ...result, machineCpu })
      else reject(new Error(`raw claim process exited with ${code}`))
    })
    child.send(job)
  })
}

interface RawRun extends RawResult {
  machineCpu: number
  offerId: string
  perSecond: number
  restCpu: number
  rows: { coupons: number; events: number; keys: number; taken: number }
  consistent: boolean
}

const nowSeconds = () => Math.floor(Date.now() / 1000)

/** One run on an offer of its own (so every run's per-user counts are inserts), then its rows counted. */
async function rawRun(ctx: EngineContext, offerId: string, usersFile: string): Promise<RawRun> {
  await copyOffer(ctx.db, offerId, { stock_total: STOCK, stock_left: STOCK, per_user_limit: PER_USER }, nowSeconds())
  const r = await runRaw({
    engine: ctx.engine,
    target: ctx.scratch.target,
    offerId,
    usersFile,
    ...ctx.phase,
    ...RAW_PG,
  })
  // Every claim the process reported, warm-up included, must be a coupon, a count, an event and a unit of stock.
  const made = r.allOutcomes.ok ?? 0
  const rows = {
    coupons: await countWhere(ctx.db, 'coupons', offerId),
    events: await countWhere(ctx.db, 'events', offerId),
    keys: await countWhere(ctx.db, 'claim_keys', offerId),
    taken: STOCK - (await stockLeft(ctx.db, offerId)),
  }
  return {
    ...r,
    offerId,
    perSecond: (r.outcomes.ok ?? 0) / (r.windowMs / 1000),
    restCpu: Math.max(0, r.machineCpu - r.cpu),
    rows,
    consistent: Object.values(rows).every(n => n === made),
  }
}

export async function rawSection(ctx: EngineContext): Promise<{ result: SectionResult; raw: Raw }> {
  const { users } = await ctx.users()
  const usersFile = join(ctx.tmpDir, `raw-users-${ctx.engine}.json`)
  writeFileSync(usersFile, JSON.stringify(users.map(u => u.id)))
  const runs = [await rawRun(ctx, `${RAW_OFFER}-1`, usersFile), await rawRun(ctx, `${RAW_OFFER}-2`, usersFile)]
  // Other work on a shared machine can only lower a ceiling: the better run counts.
  const best = runs[0]!.perSecond >= runs[1]!.perSecond ? runs[0]! : runs[1]!
  const h = Histogram.from(best.histogram)
  const perSecond = best.perSecond
  const restCpu = best.restCpu
  const consistent = runs.every(r => r.consistent)
  const how =
    ctx.engine === 'sqlite'
      ? 'better-sqlite3, 6 statements prepared once (key, stock, count, coupon, event, funnel), one BEGIN IMMEDIATE transaction per claim, the project pragmas, one synchronous loop'
      : `one plpgsql function call per claim (one round trip), pg.Pool of ${RAW_PG.poolSize}, ${RAW_PG.concurrency} callers in flight`
  const row = (label: string, r: RawRun) => {
    const rh = Histogram.from(r.histogram)
    const others = Object.entries(r.outcomes).filter(([k]) => k !== 'ok')
    return [
      label,
      int(r.perSecond),
      ms(rh.percentile(0.5)),
      ms(rh.percentile(0.99)),
      others.length ? others.map(([k, v]) => `${v} ${k}`).join(', ') : '0',
      pct(r.cpu),
      pct(r.restCpu),
    ]
  }
  const text = [
    `BASELINE (b, ${ctx.engine})  the raw claim transaction in a process of its own: ${how}`,
    table(
      ['phase', 'claims/s', 'p50 ms', 'p99 ms', 'refused', 'process CPU', 'rest CPU'],
      [row('raw claim, run 1', runs[0]!), row('raw claim, run 2', runs[1]!)],
    ),
    `   baseline (b) = the better run: ${int(perSecond)} claims/s`,
    ...runs.map(
      (r, i) =>
        `   rows check, run ${i + 1}: ${r.allOutcomes.ok ?? 0} claims -> ${r.rows.coupons} coupons, ${r.rows.events} events, ${r.rows.keys} keys, stock down by ${r.rows.taken}: ${r.consistent ? 'consistent' : 'INCONSISTENT'}${r.wrapped ? '; users were reused (more claims than users)' : ''}`,
    ),
  ].join('\n')
  if (!consistent) throw new Error(`the raw claim baseline did not write what it reported:\n${text}`)
  return {
    raw: { perSecond, p50: h.percentile(0.5), p99: h.percentile(0.99), cpu: best.cpu, restCpu },
    result: {
      name: 'raw',
      engine: ctx.engine,
      text,
      targets: [
        info(
          { section: 'raw', engine: ctx.engine, measure: 'raw claim transaction (baseline b)' },
          perSecond,
          'claims/s',
        ),
      ],
      data: {
        perSecond,
        p50Ms: h.percentile(0.5),
        p99Ms: h.percentile(0.99),
        runs: runs.map(r => ({
          offerId: r.offerId,
          perSecond: r.perSecond,
          outcomes: r.outcomes,
          cpu: r.cpu,
          restCpu: r.restCpu,
          windowMs: r.windowMs,
          rows: r.rows,
          usersReused: r.wrapped,
        })),
        ...(ctx.engine === 'postgres' ? RAW_PG : {}),
      },
    },
  }
}
