/**
 * Views arrive with every landing page, by the thousand when a link spreads through a group chat.
 * Writing each in its own transaction would cap a page at the database's write rate, so views are
 * queued in memory and written in batches (one transaction every `flushMs`, or sooner when the
 * queue is long), each counted exactly as recordEvent counts it. A crash loses at most the last
 * fraction of a second of views, never a claim, a wallet add or a redemption: those are written
 * in their own transactions. With `flushMs` 0 every view is written before the page is answered.
 */
import type { Db } from '../db/index.ts'
import { type EventInput, recordEvent } from './events.ts'

export interface QueuedView {
  event: EventInput
  at: number
  viewer: string
}

export class ViewBuffer {
  private queue: QueuedView[] = []
  private timer: ReturnType<typeof setTimeout> | null = null
  private writing: Promise<void> = Promise.resolve()
  private closed = false

  constructor(
    private readonly db: Db,
    private readonly flushMs: number,
    private readonly onError: (err: unknown) => void = () => {},
    private readonly max = 500,
  ) {}

  async add(v: QueuedView): Promise<void> {
    if (this.flushMs === 0 || this.closed) return this.write([v])
    this.queue.push(v)
    if (this.queue.length >= this.max) void this.flush()
    else this.timer ??= setTimeout(() => void this.flush(), this.flushMs)
  }

  /** Writes what is queued; resolves when everything queued before the call is written. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const batch = this.queue
    this.queue = []
    // One batch at a time, in order: a batch never races the one before it for the same rows.
    this.writing = this.writing.then(() => (batch.length ? this.write(batch) : undefined)).catch(this.onError)
    return this.writing
  }

  async close(): Promise<void> {
    this.closed = true
    await this.flush()
  }

  private async write(batch: QueuedView[]): Promise<void> {
    await this.db.transaction().execute(async trx => {
      for (const v of batch) await recordEvent(trx, v.event, v.at, v.viewer)
    })
  }
}
