/**
 * Delivers WeChat calls that follow a committed write: today, card/code/consume after a
 * wallet coupon is redeemed at the counter. Rows live in the database, so delivery survives
 * restarts; a row is claimed with a lease before calling, so two processes never send it
 * at once; WeChat's "already consumed" counts as done, so a retry after a lost answer is safe.
 */
import type { Deps } from '../deps.ts'
import { WxClient } from '../wechat/client.ts'
import { consumeCode } from '../wechat/card.ts'
import { WeChatError } from '../wechat/errors.ts'

const LEASE = 30
const BATCH = 20

export class Outbox {
  private timer: ReturnType<typeof setInterval> | null = null
  private running: Promise<number> | null = null
  private readonly wx: WxClient

  constructor(private readonly deps: Deps) {
    // A short deadline per attempt: the worker's own schedule does the patient retrying.
    this.wx = new WxClient(deps.wx.credentials, { apiBase: deps.config.wx.apiBase, timeoutMs: 2000, deadlineMs: 2500 })
  }

  start(intervalMs: number): void {
    this.timer ??= setInterval(() => {
      void this.runOnce().catch(() => {})
    }, intervalMs)
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running?.catch(() => {})
  }

  /** One pass over due rows; returns how many were delivered. Overlapping calls share the pass. */
  runOnce(): Promise<number> {
    this.running ??= this.pass().finally(() => {
      this.running = null
    })
    return this.running
  }

  private async pass(): Promise<number> {
    const { db, clock } = this.deps
    const now = clock.now()
    const due = await db
      .selectFrom('wx_outbox')
      .selectAll()
      .where('done_at', 'is', null)
      .where('next_at', '<=', now)
      .where(eb => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .orderBy('next_at')
      .limit(BATCH)
      .execute()
    let delivered = 0
    for (const row of due) {
      const leased = await db
        .updateTable('wx_outbox')
        .set({ locked_until: clock.now() + LEASE })
        .where('id', '=', row.id)
        .where('done_at', 'is', null)
        .where(eb => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', clock.now())]))
        .executeTakeFirst()
      if (Number(leased.numUpdatedRows) === 0) continue
      try {
        const { code, card_id: cardId } = JSON.parse(row.payload) as { code: string; card_id: string }
        // The counter asked WeChat before redeeming, so "already consumed" now is either our own
        // earlier call whose answer was lost, or a use in WeChat in the moment between: either way
        // nothing is left to deliver, and the second case is kept on the row for the merchant.
        const outcome = await consumeCode(this.wx, cardId, code)
        await this.done(
          row.id,
          outcome === 'already_consumed' && row.attempts === 0 ? 'already consumed in WeChat' : null,
        )
        delivered++
      } catch (err) {
        const attempts = row.attempts + 1
        await db
          .updateTable('wx_outbox')
          .set({
            attempts,
            next_at: clock.now() + Math.min(2 ** attempts, 300),
            locked_until: null,
            last_error: err instanceof WeChatError ? `${err.errcode} ${err.errmsg}` : String(err),
          })
          .where('id', '=', row.id)
          .execute()
      }
    }
    return delivered
  }

  private async done(id: string, note: string | null) {
    await this.deps.db
      .updateTable('wx_outbox')
      .set({ done_at: this.deps.clock.now(), locked_until: null, ...(note ? { last_error: note } : {}) })
      .where('id', '=', id)
      .execute()
  }
}
