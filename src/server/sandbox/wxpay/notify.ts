/**
 * COUPON.SEND as WeChat Pay sends it (领券事件回调通知, pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter9_2_15.shtml):
 * the coupon encrypted with the APIv3 key (AAD "coupon", a 12-character nonce), the envelope signed
 * with the platform key, to the URL set through callbacks, retried on anything but 200/204 or no
 * answer in 5 s. WeChat Pay retries every 60 s, 11 times in all; the sandbox keeps the 11 tries 60×
 * closer, one second apart. Deliveries live in a table and are scheduled on the app's Deferred:
 * closing the app cancels the timers, and the next app on the same database picks the pending ones up.
 */
import { randomUUID } from 'node:crypto'
import type { Deps } from '../../deps.ts'
import { randomToken } from '../../random.ts'
import { encryptResource } from '../../wechatpay/crypto.ts'
import { rfc3339China } from '../../wechatpay/time.ts'
import { PROBE_PREFIX, signResponse } from '../../wechatpay/verify.ts'
import type { Deferred } from '../deferred.ts'
import { notifyUrlOf } from './callbacks.ts'
import { takeFault } from '../faults.ts'
import { sandboxDb } from '../schema.ts'
import type { SandboxWxPay } from './keys.ts'

export const TRIES = 11
export const RETRY_MS = 1000
/** WeChat Pay calls back soon after the add, not before the page hears back. */
const FIRST_MS = 50
const ANSWER_MS = 5000
const LEASE_MS = ANSWER_MS + 2000

export interface CouponSent {
  stockId: string
  code: string
  openid: string
  /** Set when the stock was created with notify_config.notify_appid: only then does openid travel. */
  notifyAppid: string | null
  sendTime: number
}

export class CouponNotifier {
  constructor(
    private readonly deps: Deps,
    private readonly later: Deferred,
    private readonly keys: () => Promise<SandboxWxPay>,
  ) {}

  /** Queues COUPON.SEND for a coupon just added; nothing when no callback URL is set (WeChat Pay sends none). */
  async queue(c: CouponSent): Promise<void> {
    const k = await this.keys()
    const db = sandboxDb(this.deps.db)
    const url = await notifyUrlOf(this.deps.db, k.mchid)
    if (!url) return
    const fault = await takeFault(db, 'wxpay:notify')
    // lost: all eleven tries lost on the way.
    if (fault === 'lost') return
    const resource = JSON.stringify({
      event_type: 'EVENT_TYPE_BUSICOUPON_SEND',
      coupon_code: c.code,
      stock_id: c.stockId,
      send_time: rfc3339China(c.sendTime),
      openid: c.notifyAppid ? c.openid : '',
      unionid: '',
      send_channel: 'BUSICOUPON_SEND_CHANNEL_JSAPI',
      send_merchant: k.mchid,
    })
    const nonce = randomToken(12)
    const id = randomUUID()
    const body = JSON.stringify({
      id,
      create_time: rfc3339China(this.deps.clock.now()),
      resource_type: 'encrypt-resource',
      event_type: 'COUPON.SEND',
      summary: '商家券领券通知',
      resource: {
        original_type: 'coupon',
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext: encryptResource(k.apiV3Key, resource, nonce, 'coupon'),
        associated_data: 'coupon',
        nonce,
      },
    })
    await db
      .insertInto('sandbox_wxpay_deliveries')
      .values({
        id,
        url,
        body,
        fault,
        attempts: 0,
        delivered: 0,
        next_at_ms: Date.now() + FIRST_MS,
        locked_until_ms: null,
        done_at_ms: null,
        last_status: null,
        created_at: this.deps.clock.now(),
      })
      .execute()
    this.later.schedule(FIRST_MS, () => this.deliver(id))
  }

  /** Picks up deliveries an earlier app left pending. */
  async resume(): Promise<void> {
    const rows = await sandboxDb(this.deps.db)
      .selectFrom('sandbox_wxpay_deliveries')
      .select(['id', 'next_at_ms'])
      .where('done_at_ms', 'is', null)
      .execute()
    for (const r of rows) this.later.schedule(Math.max(0, Number(r.next_at_ms) - Date.now()), () => this.deliver(r.id))
  }

  private async deliver(id: string): Promise<void> {
    const db = sandboxDb(this.deps.db)
    const now = Date.now()
    const leased = await db
      .updateTable('sandbox_wxpay_deliveries')
      .set({ locked_until_ms: now + LEASE_MS })
      .where('id', '=', id)
      .where('done_at_ms', 'is', null)
      .where(eb => eb.or([eb('locked_until_ms', 'is', null), eb('locked_until_ms', '<', now)]))
      .executeTakeFirst()
    if (Number(leased.numUpdatedRows) === 0) return
    const row = await db
      .selectFrom('sandbox_wxpay_deliveries')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    const first = row.attempts === 0
    let status = await this.post(row.url, row.body, first ? row.fault : null)
    const ok = status === '200' || status === '204'
    // twice: WeChat Pay's duplicate, the same notification id again right after a success.
    if (ok && first && row.fault === 'twice') status = `${status}+${await this.post(row.url, row.body, null)}`
    const attempts = row.attempts + 1
    const done = ok || attempts >= TRIES
    await db
      .updateTable('sandbox_wxpay_deliveries')
      .set({
        attempts,
        delivered: row.delivered + (ok ? 1 : 0),
        last_status: status,
        locked_until_ms: null,
        next_at_ms: Date.now() + RETRY_MS,
        done_at_ms: done ? Date.now() : null,
      })
      .where('id', '=', id)
      .execute()
    if (!done) this.later.schedule(RETRY_MS, () => this.deliver(id))
  }

  /** One try; the answer's status, or why there was none. */
  private async post(url: string, body: string, fault: string | null): Promise<string> {
    const k = await this.keys()
    // stale: held up somewhere for ten minutes; badsig, probe: what a merchant that checks must refuse.
    const timestamp = String(this.deps.clock.now() - (fault === 'stale' ? 600 : 0))
    const headers = signResponse(k.platformPrivateKey, k.platformPublicKeyId, fault === 'badsig' ? `${body} ` : body, {
      timestamp,
      nonce: randomToken(32),
    })
    if (fault === 'probe') headers['Wechatpay-Signature'] = `${PROBE_PREFIX}${randomToken(40)}`
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          ...headers,
          'Content-Type': 'application/json',
          'Request-ID': randomUUID(),
          'User-Agent': 'Mozilla/4.0 (sandbox WeChat Pay)',
        },
        body,
        signal: AbortSignal.timeout(ANSWER_MS),
      })
      await res.arrayBuffer()
      return String(res.status)
    } catch (err) {
      return (err as Error).name === 'TimeoutError' ? 'timeout' : 'network'
    }
  }
}
