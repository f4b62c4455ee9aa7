/**
 * Runs load generator processes against a server and gathers what they saw, plus the server's own
 * CPU over the same window (from /proc), so every phase can show whether the server or the
 * generator was the busy one.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cpus } from 'node:os'
import { cpuSeconds, forkTs, machineTicks } from '../procs.ts'
import { Histogram } from './histogram.ts'
import type { GeneratorMessage, GeneratorResult, Item, Job } from './job.ts'

export interface Load {
  /** The statuses that count as answered as expected. */
  expected: string[]
  /** Answers in the measured window by status ("201", "409 sold_out", "socket error"). */
  statuses: Record<string, number>
  allStatuses: Record<string, number>
  /** Answers with one of the expected statuses, per second of the window. */
  rps: number
  ok: number
  failed: number
  histogram: Histogram
  p50: number
  p99: number
  windowMs: number
  /** Each generator's CPU in the window, as a fraction of one core. */
  generatorCpu: number[]
  /** The server process's CPU in the window, as a fraction of one core; NaN when not watched. */
  serverCpu: number
  /** Everything else the machine ran in the window (a database server, other people's work), in cores. */
  restCpu: number
  sent: number
  wrapped: boolean
  socketErrors: number
}

export interface LoadOptions {
  job: Omit<Job, 'name' | 'itemsFile'>
  /** Expected statuses: "201", or "409 sold_out" for a status with its error code. */
  ok: string[]
  items?: Item[]
  /** Split the connections over this many generator processes (no items then). */
  generators?: number
  /** The server's pid, to read its CPU over the window. */
  serverPid?: number
  tmpDir: string
}

let runs = 0

function runGenerator(job: Job, onWindow: (edge: 'start' | 'end') => void): Promise<GeneratorResult> {
  return new Promise((resolve, reject) => {
    const child = forkTs(new URL('./generator.ts', import.meta.url))
    let result: GeneratorResult | null = null
    child.on('message', (m: GeneratorMessage) => {
      if (m.type === 'window-start') onWindow('start')
      else if (m.type === 'window-end') onWindow('end')
      else if (m.type === 'result') result = m.result
      else reject(new Error(`load generator: ${m.message}`))
    })
    child.once('error', reject)
    child.once('exit', code =>
      result ? resolve(result) : reject(new Error(`load generator exited with ${code} and no result`)),
    )
    child.send(job)
  })
}

export async function drive(opts: LoadOptions): Promise<Load> {
  const n = opts.generators ?? 1
  if (n > 1 && opts.items) throw new Error('several generators take no items')
  const name = `g${++runs}`
  let itemsFile: string | undefined
  if (opts.items) {
    itemsFile = join(opts.tmpDir, `${name}-items.json`)
    writeFileSync(itemsFile, JSON.stringify(opts.items))
  }
  let cpuStart = Number.NaN
  let cpuEnd = Number.NaN
  let startedAt = 0
  let endedAt = 0
  let machineStart = { busy: 0, total: 0 }
  let machineEnd = { busy: 0, total: 0 }
  // The first generator's window edges stand for all: they start together and share the timing.
  const watch = (edge: 'start' | 'end') => {
    if (opts.serverPid === undefined) return
    if (edge === 'start' && !startedAt) {
      startedAt = performance.now()
      cpuStart = cpuSeconds(opts.serverPid)
      machineStart = machineTicks()
    } else if (edge === 'end' && !endedAt) {
      endedAt = performance.now()
      cpuEnd = cpuSeconds(opts.serverPid)
      machineEnd = machineTicks()
    }
  }
  const per = Math.floor(opts.job.connections / n)
  const results = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      runGenerator(
        {
          ...opts.job,
          connections: i === n - 1 ? opts.job.connections - per * (n - 1) : per,
          name: n > 1 ? `${name}x${i}` : name,
          itemsFile,
        },
        watch,
      ),
    ),
  )
  const sum = (pick: (r: GeneratorResult) => Record<string, number>) => {
    const out: Record<string, number> = {}
    for (const r of results) for (const [k, v] of Object.entries(pick(r))) out[k] = (out[k] ?? 0) + v
    return out
  }
  const statuses = sum(r => r.statuses)
  const histogram = Histogram.from(...results.map(r => r.histogram))
  const windowMs = Math.max(...results.map(r => r.windowMs))
  const ok = Object.entries(statuses).reduce((s, [k, v]) => (opts.ok.includes(k) ? s + v : s), 0)
  const total = Object.values(statuses).reduce((s, v) => s + v, 0)
  const serverCpu = (cpuEnd - cpuStart) / ((endedAt - startedAt) / 1000)
  const generatorCpu = results.map(r => r.cpu)
  const machineCores = ((machineEnd.busy - machineStart.busy) / (machineEnd.total - machineStart.total)) * cpus().length
  return {
    expected: opts.ok,
    statuses,
    allStatuses: sum(r => r.allStatuses),
    rps: ok / (windowMs / 1000),
    ok,
    failed: total - ok,
    histogram,
    p50: histogram.percentile(0.5),
    p99: histogram.percentile(0.99),
    windowMs,
    generatorCpu,
    serverCpu,
    restCpu: Math.max(0, machineCores - serverCpu - generatorCpu.reduce((a, b) => a + b, 0)),
    sent: results.reduce((s, r) => s + r.sent, 0),
    wrapped: results.some(r => r.wrapped),
    socketErrors: results.reduce((s, r) => s + r.socketErrors, 0),
  }
}
