/** What the orchestrator asks of a load generator process, and what it answers. */
import type { HistogramData } from './histogram.ts'

/** One request's varying parts; request i uses items[i % items.length]. */
export interface Item {
  path?: string
  cookie?: string
  body?: string
}

export interface Job {
  host: string
  port: number
  /** Sockets, each with one request in flight at a time (no pipelining). */
  connections: number
  /**
   * `time`: a closed loop for warmupMs + durationMs; only answers completed in the measured window
   * count. `count`: exactly `total` requests, the first `warmup` of them answered before the window.
   */
  mode: { kind: 'time'; warmupMs: number; durationMs: number } | { kind: 'count'; total: number; warmup: number }
  method: 'GET' | 'POST'
  path: string
  headers: Record<string, string>
  /** A JSON file of Item[]; without it every request is the same bytes, built once. */
  itemsFile?: string
  body?: string
  /** A fresh Idempotency-Key on every request. */
  idempotencyKeys?: boolean
  /** Tells keys apart when several generators drive one server. */
  name: string
}

export interface GeneratorResult {
  name: string
  /** Answers completed inside the measured window, by status (and error code: "409 sold_out"). */
  statuses: Record<string, number>
  /** Every answer, warm-up included. */
  allStatuses: Record<string, number>
  /** Socket errors and closes with a request in flight; the request counts as failed. */
  socketErrors: number
  histogram: HistogramData
  /** The measured window, in ms. */
  windowMs: number
  /** This process's CPU time in the window, as a fraction of one core. */
  cpu: number
  /** Requests sent, warm-up included. */
  sent: number
  /** Items were used more than once (more requests than items). */
  wrapped: boolean
}

export type GeneratorMessage =
  | { type: 'window-start' }
  | { type: 'window-end' }
  | { type: 'result'; result: GeneratorResult }
  | { type: 'error'; message: string }
