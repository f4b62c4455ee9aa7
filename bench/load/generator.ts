/**
 * The load generator, a process of its own (forked by drive.ts with an IPC channel): raw keep-alive
 * sockets from node:net, one request in flight per socket (no pipelining), a closed loop over a
 * fixed number of sockets. Raw sockets rather than node:http because http's client costs several
 * times the CPU per request of a bare Fastify server's reply, and the generator must outrun it.
 */
import { readFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import { Histogram } from './histogram.ts'
import { ResponseParser, type Response } from './http.ts'
import type { GeneratorMessage, GeneratorResult, Item, Job } from './job.ts'

const STALL_MS = 30_000

function tell(m: GeneratorMessage): void {
  process.send?.(m)
}

/** The bytes of request `i`; the same Buffer every time when nothing varies. */
function requestBuilder(job: Job, items: Item[] | null): (i: number) => Buffer {
  let fixedHeaders = `host: ${job.host}:${job.port}\r\n`
  for (const [k, v] of Object.entries(job.headers)) fixedHeaders += `${k}: ${v}\r\n`
  const build = (path: string, cookie: string | undefined, key: string | undefined, body: string | undefined) => {
    let head = `${job.method} ${path} HTTP/1.1\r\n${fixedHeaders}`
    if (cookie) head += `cookie: ${cookie}\r\n`
    if (key) head += `idempotency-key: ${key}\r\n`
    if (body !== undefined) head += `content-length: ${Buffer.byteLength(body)}\r\n`
    return Buffer.from(`${head}\r\n${body ?? ''}`)
  }
  if (!items && !job.idempotencyKeys) {
    const fixed = build(job.path, undefined, undefined, job.body)
    return () => fixed
  }
  const run = Math.random().toString(36).slice(2, 10)
  return i => {
    const item = items ? items[i % items.length]! : undefined
    const key = job.idempotencyKeys ? `bench-${job.name}-${run}-${i}` : undefined
    return build(item?.path ?? job.path, item?.cookie, key, item?.body ?? job.body)
  }
}

function open(job: Job): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: job.host, port: job.port, noDelay: true })
    s.once('connect', () => resolve(s))
    s.once('error', reject)
  })
}

async function run(job: Job): Promise<GeneratorResult> {
  const items = job.itemsFile ? (JSON.parse(readFileSync(job.itemsFile, 'utf8')) as Item[]) : null
  const requestBytes = requestBuilder(job, items)
  const histogram = new Histogram()
  const statuses: Record<string, number> = {}
  const allStatuses: Record<string, number> = {}
  const bump = (m: Record<string, number>, k: string) => {
    m[k] = (m[k] ?? 0) + 1
  }
  let seq = 0
  let answered = 0
  let socketErrors = 0
  let windowStart = Number.POSITIVE_INFINITY
  let windowEnd = Number.POSITIVE_INFINITY
  let cpuAtStart = process.cpuUsage()
  let cpuInWindow = 0
  let lastAnswerAt = performance.now()
  const mode = job.mode

  let finish: () => void = () => {}
  const finished = new Promise<void>(resolve => {
    finish = resolve
  })

  const startWindow = (at: number) => {
    windowStart = at
    cpuAtStart = process.cpuUsage()
    tell({ type: 'window-start' })
  }
  let ended = false
  const endWindow = (at: number) => {
    if (ended) return
    ended = true
    windowEnd = at
    const used = process.cpuUsage(cpuAtStart)
    cpuInWindow = (used.user + used.system) / 1000
    tell({ type: 'window-end' })
  }

  /** Parked sockets wait for the warm-up's answers (count mode) before the measured requests go. */
  const parked: Conn[] = []
  let warmupAnswered = 0

  /** The next request index, -1 when this socket is done, -2 when it must wait. */
  const next = (): number => {
    if (mode.kind === 'time') return performance.now() < windowEnd ? seq++ : -1
    if (seq >= mode.total) return -1
    if (seq >= mode.warmup && warmupAnswered < mode.warmup) return -2
    return seq++
  }
  const counts = (index: number, at: number) =>
    mode.kind === 'time' ? at >= windowStart && at <= windowEnd : index >= mode.warmup

  const inFlight = new Set<Conn>()
  const maybeDone = () => {
    if (mode.kind === 'count' && answered >= mode.total) endWindow(performance.now())
    if (ended && inFlight.size === 0) finish()
  }

  class Conn {
    private parser = new ResponseParser()
    private index = -1
    private sentAt = 0
    constructor(private socket: Socket | null) {
      if (socket) this.wire(socket)
    }

    private wire(s: Socket): void {
      s.on('data', chunk => {
        try {
          this.parser.feed(chunk, r => this.answer(r))
        } catch {
          this.lost(s)
        }
      })
      s.on('error', () => this.lost(s))
      s.on('close', () => this.lost(s))
    }

    send(): void {
      const i = next()
      if (i === -2) {
        parked.push(this)
        return
      }
      if (i < 0) {
        maybeDone()
        return
      }
      if (!this.socket) {
        this.socket = connect({ host: job.host, port: job.port, noDelay: true })
        this.wire(this.socket)
      }
      this.index = i
      inFlight.add(this)
      this.sentAt = performance.now()
      this.socket.write(requestBytes(i))
    }

    private settle(key: string): void {
      const at = performance.now()
      lastAnswerAt = at
      const index = this.index
      this.index = -1
      inFlight.delete(this)
      answered++
      bump(allStatuses, key)
      if (counts(index, at)) {
        bump(statuses, key)
        histogram.record(at - this.sentAt)
      }
      if (mode.kind === 'count' && index < mode.warmup && ++warmupAnswered === mode.warmup) {
        startWindow(at)
        for (const c of parked.splice(0)) c.send()
      }
    }

    private answer(r: Response): void {
      if (this.index < 0) return
      this.settle(r.code ? `${r.status} ${r.code}` : String(r.status))
      if (r.close) this.drop()
      this.send()
    }

    private lost(s: Socket): void {
      if (s !== this.socket) return
      this.drop()
      if (this.index < 0) return
      socketErrors++
      this.settle('socket error')
      this.send()
    }

    private drop(): void {
      const s = this.socket
      this.socket = null
      this.parser = new ResponseParser()
      s?.destroy()
    }

    close(): void {
      this.drop()
    }
  }

  const sockets = await Promise.all(Array.from({ length: job.connections }, () => open(job)))
  const conns = sockets.map(s => new Conn(s))
  const t0 = performance.now()
  if (mode.kind === 'time') {
    // Sockets stop sending at the planned end; the window closes when the timer fires.
    windowEnd = t0 + mode.warmupMs + mode.durationMs
    setTimeout(() => startWindow(performance.now()), mode.warmupMs)
    setTimeout(() => {
      endWindow(performance.now())
      maybeDone()
    }, mode.warmupMs + mode.durationMs)
  } else if (mode.warmup === 0) startWindow(t0)
  const stall = setInterval(() => {
    if (performance.now() - lastAnswerAt > STALL_MS) {
      socketErrors += inFlight.size
      endWindow(performance.now())
      finish()
    }
  }, 1000)
  for (const c of conns) c.send()
  await finished
  clearInterval(stall)
  for (const c of conns) c.close()
  const windowMs = windowEnd - windowStart
  return {
    name: job.name,
    statuses,
    allStatuses,
    socketErrors,
    histogram: histogram.toJSON(),
    windowMs,
    cpu: cpuInWindow / windowMs,
    sent: seq,
    wrapped: items !== null && seq > items.length,
  }
}

process.once('message', (job: Job) => {
  run(job).then(
    result => {
      tell({ type: 'result', result })
      process.disconnect?.()
    },
    (err: unknown) => {
      tell({ type: 'error', message: err instanceof Error ? err.message : String(err) })
      process.disconnect?.()
    },
  )
})
