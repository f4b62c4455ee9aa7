/**
 * The raw claim baseline in a process of its own (forked by sections/raw.ts): SQLite driven by one
 * synchronous loop as fast as it goes; PostgreSQL by `concurrency` callers over a pool the size of
 * the server's. Warm-up first, then a measured window; only claims finished inside it count.
 */
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import { Histogram, type HistogramData } from '../load/histogram.ts'
import type { Outcome, RawClaim } from './claim.ts'
import { CLAIM_FUNCTION, pgClaimer } from './postgres.ts'
import { projectPragmas, sqliteClaimer } from './sqlite.ts'

export interface RawJob {
  engine: 'sqlite' | 'postgres'
  /** A SQLite file path, or a postgres:// URL. */
  target: string
  offerId: string
  /** A JSON file of user ids; claim i is made by user i (modulo their number). */
  usersFile: string
  warmupMs: number
  durationMs: number
  /** PostgreSQL: callers in flight, and the pool's size. */
  concurrency: number
  poolSize: number
}

export interface RawResult {
  outcomes: Record<string, number>
  allOutcomes: Record<string, number>
  histogram: HistogramData
  windowMs: number
  /** This process's CPU in the window, as a fraction of one core. */
  cpu: number
  wrapped: boolean
}

async function run(job: RawJob): Promise<RawResult> {
  const users = JSON.parse(readFileSync(job.usersFile, 'utf8')) as string[]
  const tag = Math.random().toString(36).slice(2, 10)
  const outcomes: Record<string, number> = {}
  const allOutcomes: Record<string, number> = {}
  const histogram = new Histogram()
  const claimOf = (i: number): RawClaim => ({
    userId: users[i % users.length]!,
    key: `raw-${tag}-${i}`,
    offerId: job.offerId,
    now: Math.floor(Date.now() / 1000),
    channel: 'share',
  })
  // The orchestrator samples the machine's CPU over the window from this moment; let the message go first.
  process.send?.({ type: 'clock-start' })
  await new Promise(r => setTimeout(r, 20))
  const t0 = performance.now()
  const from = t0 + job.warmupMs
  const to = from + job.durationMs
  let cpu0 = process.cpuUsage()
  let started = false
  const note = (o: Outcome, began: number, ended: number) => {
    allOutcomes[o] = (allOutcomes[o] ?? 0) + 1
    if (ended < from || ended > to) return
    outcomes[o] = (outcomes[o] ?? 0) + 1
    histogram.record(ended - began)
  }
  const edge = (now: number) => {
    if (!started && now >= from) {
      started = true
      cpu0 = process.cpuUsage()
    }
  }
  let i = 0
  let cpuMs = 0
  if (job.engine === 'sqlite') {
    const db = new SQLite(job.target)
    projectPragmas(db)
    const claim = sqliteClaimer(db)
    for (let now = performance.now(); now < to; ) {
      edge(now)
      const o = claim(claimOf(i++))
      const end = performance.now()
      note(o, now, end)
      now = end
    }
    const used = process.cpuUsage(cpu0)
    cpuMs = (used.user + used.system) / 1000
    db.close()
  } else {
    const pool = new pg.Pool({ connectionString: job.target, max: job.poolSize })
    await pool.query(CLAIM_FUNCTION)
    const claim = pgClaimer(pool)
    // Open the pool's connections before the clock starts.
    await Promise.all(Array.from({ length: job.poolSize }, () => pool.query('select 1')))
    const caller = async () => {
      for (let now = performance.now(); now < to; now = performance.now()) {
        edge(now)
        const o = await claim(claimOf(i++))
        note(o, now, performance.now())
      }
    }
    await Promise.all(Array.from({ length: job.concurrency }, caller))
    const used = process.cpuUsage(cpu0)
    cpuMs = (used.user + used.system) / 1000
    await pool.end()
  }
  return {
    outcomes,
    allOutcomes,
    histogram: histogram.toJSON(),
    windowMs: job.durationMs,
    cpu: cpuMs / (performance.now() - from),
    wrapped: i > users.length,
  }
}

process.once('message', (job: RawJob) => {
  run(job).then(
    result => {
      process.send?.({ type: 'result', result })
      process.disconnect?.()
    },
    (err: unknown) => {
      process.send?.({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) })
      process.disconnect?.()
    },
  )
})
