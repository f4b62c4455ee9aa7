/**
 * API throughput: a bounded closed loop (a worker thread, keep-alive sockets, loopback only)
 * against the running test server, one phase per endpoint. GET /healthz (one `select 1`) is
 * the baseline every other phase is divided by.
 */
import { Worker } from 'node:worker_threads'
import type { TestApp } from '../tests/helpers/app.ts'
import { sessionCookies } from '../tests/helpers/users.ts'

export interface Phase {
  key: string
  label: string
  method: string
  path: string
  ok: number
  failed: number
  statuses: Record<string, number>
  rps: number
  p50: number
  p99: number
}

interface Job {
  origin: string
  method: string
  path: string
  concurrency: number
  warmupMs: number
  durationMs: number
  body?: string
  cookies?: string[]
  idempotencyKeys?: boolean
  okStatus: number[]
}

interface WorkerResult {
  ok: number
  failed: number
  statuses: Record<string, number>
  seconds: number
  p50: number
  p99: number
  sent: number
}

function runJob(job: Job): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load-worker.mjs', import.meta.url), { workerData: job })
    let result: WorkerResult | null = null
    worker.once('message', (m: WorkerResult) => {
      result = m
    })
    worker.once('error', reject)
    worker.once('exit', code =>
      result ? resolve(result) : reject(new Error(`load worker exited with ${code} and no result`)),
    )
  })
}

export interface ApiOptions {
  concurrency: number
  warmupMs: number
  durationMs: number
  log: (s: string) => void
}

export async function measureApi(t: TestApp, offerId: string, opts: ApiOptions): Promise<Phase[]> {
  const { concurrency, warmupMs, durationMs, log } = opts
  const phases: Phase[] = []
  async function phase(
    key: string,
    label: string,
    method: string,
    path: string,
    extra: Partial<Job> = {},
  ): Promise<Phase> {
    const r = await runJob({
      origin: t.url,
      method,
      path,
      concurrency,
      warmupMs,
      durationMs,
      okStatus: [200],
      ...extra,
    })
    const p: Phase = {
      key,
      label,
      method,
      path,
      ok: r.ok,
      failed: r.failed,
      statuses: r.statuses,
      rps: r.ok / r.seconds,
      p50: r.p50,
      p99: r.p99,
    }
    phases.push(p)
    log(
      `  ${method} ${path}: ${Math.round(p.rps)} req/s, p50 ${p.p50.toFixed(1)} ms${p.failed ? `, ${p.failed} failed ${JSON.stringify(p.statuses)}` : ''}`,
    )
    return p
  }

  const health = await phase('healthz', 'GET /healthz', 'GET', '/healthz')
  await phase('offers', 'GET /api/offers', 'GET', '/api/offers')
  await phase('offer', `GET /api/offers/${offerId}`, 'GET', `/api/offers/${offerId}`)

  // Claims: a fresh offer with stock and a per-user limit no run can reach, and enough users
  // that none meets the claim rate limit (30 a minute each). Healthz is the upper bound on
  // how many claims a phase can make.
  const perUserPerPhase = 25
  const seconds = (warmupMs + durationMs) / 1000
  const users = Math.max(concurrency, Math.ceil((health.rps * seconds * 1.2) / perUserPerPhase))
  const claimOffer = 'bench-claims'
  const now = t.clock.now()
  await t.database.db
    .insertInto('offers')
    .values({
      id: claimOffer,
      merchant_id: 'shanchuan',
      title: '压测专用券',
      kind: 'cash',
      value_fen: 100,
      threshold_fen: 0,
      discount_percent: null,
      gift_name: null,
      description: '',
      rules: '',
      image_url: null,
      stock_total: 100_000_000,
      stock_left: 100_000_000,
      per_user_limit: 1_000_000,
      starts_at: now - 60,
      ends_at: now + 86_400,
      validity_type: 'relative',
      valid_from: null,
      valid_to: null,
      valid_days: 7,
      all_stores: 1,
      wx_card_id: null,
      created_at: now,
    })
    .execute()
  const t0 = performance.now()
  const cookies = await sessionCookies(t, users, 'bench')
  log(`  ${users} users with sealed sessions in ${Math.round(performance.now() - t0)} ms`)
  await phase('claim', `POST /api/offers/${claimOffer}/claim`, 'POST', `/api/offers/${claimOffer}/claim`, {
    body: JSON.stringify({ ch: 'share' }),
    cookies,
    idempotencyKeys: true,
    okStatus: [201],
  })
  return phases
}
