/**
 * A closed-loop HTTP load generator, run in a worker thread so it does not share an event
 * loop with the server under test. `concurrency` loops each send one request, wait for the
 * whole answer, and send the next, for warmupMs + durationMs; only answers completed inside
 * the measured window count. Plain JS so it runs in a bare worker without a TS loader.
 */
import { Agent, request } from 'node:http'
import { performance } from 'node:perf_hooks'
import { parentPort, threadId, workerData } from 'node:worker_threads'

/** @type {{ origin: string, method: string, path: string, concurrency: number, warmupMs: number, durationMs: number, body?: string, cookies?: string[], idempotencyKeys?: boolean, okStatus: number[] }} */
const job = workerData
const url = new URL(job.origin)
const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency })

let seq = 0
function send() {
  const n = seq++
  const headers = { accept: 'application/json', 'user-agent': 'kaquan-bench' }
  if (job.body !== undefined) {
    headers['content-type'] = 'application/json'
    headers['content-length'] = String(Buffer.byteLength(job.body))
  }
  if (job.cookies?.length) headers.cookie = job.cookies[n % job.cookies.length]
  if (job.idempotencyKeys)
    headers['idempotency-key'] = `bench-${threadId}-${n}-${Math.random().toString(36).slice(2, 10)}`
  return new Promise(resolve => {
    const req = request(
      { host: url.hostname, port: url.port, method: job.method, path: job.path, agent, headers },
      res => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
        res.on('error', () => resolve(0))
      },
    )
    req.on('error', () => resolve(0))
    req.end(job.body)
  })
}

const start = performance.now()
const measureFrom = start + job.warmupMs
const end = measureFrom + job.durationMs
let ok = 0
let failed = 0
/** @type {Record<string, number>} */
const statuses = {}
/** @type {number[]} */
const latencies = []

async function loop() {
  while (performance.now() < end) {
    const t0 = performance.now()
    const status = await send()
    const t1 = performance.now()
    if (t1 < measureFrom || t1 > end) continue
    statuses[status] = (statuses[status] ?? 0) + 1
    if (job.okStatus.includes(status)) {
      ok++
      latencies.push(t1 - t0)
    } else failed++
  }
}

await Promise.all(Array.from({ length: job.concurrency }, loop))
agent.destroy()
latencies.sort((a, b) => a - b)
const pct = p =>
  latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : Number.NaN
parentPort.postMessage({
  ok,
  failed,
  statuses,
  seconds: job.durationMs / 1000,
  p50: pct(0.5),
  p99: pct(0.99),
  sent: seq,
})
