/**
 * Delivers WeChat calls that follow a committed write: card/code/consume after a legacy wallet
 * card is redeemed at the counter, WeChat Pay's coupons/use after a 商家券 is. Rows live in the
 * database, so delivery survives restarts; a row is claimed with a lease before calling, so two
 * processes never send it at once; WeChat's "already consumed" counts as done, and a 商家券 carries
 * the use_request_no fixed when it was queued, so a retry after a lost answer is safe.
 */
import type { WxOutboxTable } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { wxPayClientOf } from '../wallet/busifavor.ts'
import { WxClient } from '../wechat/client.ts'
import { consumeCode } from '../wechat/card.ts'
import { WeChatError } from '../wechat/errors.ts'
import { WxPayError, wxPayCodes } from '../wechatpay/errors.ts'

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
        const note = row.kind === 'busifavor_use' ? await this.useBusifavor(row) : await this.consumeCard(row)
        await this.done(row.id, note)
        delivered++
      } catch (err) {
        const attempts = row.attempts + 1
        await db
          .updateTable('wx_outbox')
          .set({
            attempts,
            next_at: clock.now() + Math.min(2 ** attempts, 300),
            locked_until: null,
            last_error:
              err instanceof WeChatError
                ? `${err.errcode} ${err.errmsg}`
                : err instanceof WxPayError
                  ? `${err.status} ${err.code} ${err.message}`
                  : String(err),
          })
          .where('id', '=', row.id)
          .execute()
      }
    }
    return delivered
  }

  /** card/code/consume; returns a note for the merchant, or null. */
  private async consumeCard(row: WxOutboxTable): Promise<string | null> {
    const { code, card_id: cardId } = JSON.parse(row.payload) as { code: string; card_id: string }
    // The counter asked WeChat before redeeming, so "already consumed" now is either our own
    // earlier call whose answer was lost, or a use in WeChat in the moment between: either way
    // nothing is left to deliver, and the second case is kept on the row for the merchant.
    const outcome = await consumeCode(this.wx, cardId, code)
    // Deleted from the wallet (or being given away) since the counter asked: nothing is there to
    // consume. A gift that times out returns the card, but Kaquan's counter refuses its code anyway,
    // so the row is finished and noted rather than retried for ever.
    if (outcome === 'left_wallet') return 'nothing to consume in WeChat: the card left the wallet (40127)'
    return outcome === 'already_consumed' && row.attempts === 0 ? 'already consumed in WeChat' : null
  }

  /**
   * WeChat Pay's coupons/use with the row's own use_request_no: the client tells our earlier lost
   * success from another redemption. A refusal no retry can change (the coupon deleted, expired or
   * unknown there) leaves nothing to deliver and is noted; anything else is retried later.
   */
  private async useBusifavor(row: WxOutboxTable): Promise<string | null> {
    const p = JSON.parse(row.payload) as {
      code: string
      stock_id: string
      openid: string
      use_request_no: string
      use_time: number
    }
    const pay = wxPayClientOf(this.deps, { timeoutMs: 2000, deadlineMs: 2500 })
    if (!pay) throw new Error('WeChat Pay is not configured (WXPAY_MCHID)')
    const input = { stockId: p.stock_id, code: p.code, useRequestNo: p.use_request_no, openid: p.openid }
    try {
      const r = await pay.useCoupon({ ...input, useTime: p.use_time, appid: pay.config.appId })
      if (r.kind === 'alreadyUsed')
        return `already used in WeChat Pay (${r.coupon?.use_request_no ?? 'another redemption'})`
      return r.confirmedBy === 'query' ? 'used in WeChat Pay by an earlier try, confirmed by the coupon query' : null
    } catch (err) {
      if (!(err instanceof WxPayError) || err.transient || err.status >= 500) throw err
      const state = await pay.getUserCoupon(p.openid, p.code, pay.config.appId).then(
        c => c.coupon_state,
        (e: unknown) =>
          e instanceof WxPayError && (e.status === 404 || e.is(wxPayCodes.notExists)) ? 'NOT_EXISTS' : null,
      )
      if (state === 'DELETED' || state === 'EXPIRED' || state === 'DEACTIVATED' || state === 'NOT_EXISTS')
        return `nothing to use in WeChat Pay: the coupon is ${state} there (${err.code})`
      throw err
    }
  }

  private async done(id: string, note: string | null) {
    await this.deps.db
      .updateTable('wx_outbox')
      .set({ done_at: this.deps.clock.now(), locked_until: null, ...(note ? { last_error: note } : {}) })
      .where('id', '=', id)
      .execute()
  }
}
