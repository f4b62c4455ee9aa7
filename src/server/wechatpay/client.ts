/**
 * The 商家券 calls Kaquan makes, named and typed. A transient failure (5xx, 429, no answer, an
 * answer that fails its signature) is retried with the same body until a deadline, because WeChat
 * Pay says a 5xx has an unknown effect and is to be retried with the same parameters, never with
 * new request numbers (HTTP 状态码及错误码). Everything else is final and typed as WxPayError.
 */
import type { z } from 'zod'
import { type Clock, systemClock } from '../clock.ts'
import { WxPayError, wxPayCodes } from './errors.ts'
import { type WxPayRequest, wxPayRequest } from './http.ts'
import type { WxPayConfig } from './keys.ts'
import { epochOf, rfc3339China } from './time.ts'
import {
  type Callbacks,
  type CreateStockRequest,
  callbacks,
  createdStock,
  type Stock,
  stock,
  type UserCoupon,
  usedCoupon,
  userCoupon,
} from './types.ts'

export interface WxPayClientOptions {
  clock?: Clock
  /** One attempt. */
  timeoutMs?: number
  /** All attempts of one call. */
  deadlineMs?: number
  /** The first wait before a retry; it doubles up to 2 s. */
  backoffMs?: number
  fetch?: typeof fetch
}

export interface UseCouponInput {
  stockId: string
  code: string
  /** ≤ 32 characters, and the same on every retry of one redemption. */
  useRequestNo: string
  /** Epoch seconds. */
  useTime: number
  appid: string
  /** The wallet holder. WeChat Pay checks it; Kaquan needs it to tell its own earlier success from another's. */
  openid?: string
}

export type UseCouponResult =
  | { kind: 'used'; stockId: string; openid: string | null; usedAt: number | null; confirmedBy: 'answer' | 'query' }
  /** Redeemed by someone else (or no longer usable): the counter refuses. coupon is null without an openid to look it up. */
  | { kind: 'alreadyUsed'; coupon: UserCoupon | null }

const BUSIFAVOR = '/v3/marketing/busifavor'
const seg = encodeURIComponent
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

export class WxPayClient {
  private readonly clock: Clock

  constructor(
    readonly config: WxPayConfig,
    private readonly o: WxPayClientOptions = {},
  ) {
    this.clock = o.clock ?? systemClock
  }

  createStock(req: CreateStockRequest): Promise<z.infer<typeof createdStock>> {
    const body: CreateStockRequest = {
      ...req,
      belong_merchant: req.belong_merchant ?? this.config.mchid,
      // Without notify_appid, COUPON.SEND carries an empty openid (设置商家券事件通知地址).
      notify_config: { ...req.notify_config, notify_appid: req.notify_config?.notify_appid ?? this.config.appId },
    }
    return this.call(
      { api: 'stocks', method: 'POST', path: `${BUSIFAVOR}/stocks`, body: JSON.stringify(body) },
      createdStock,
    )
  }

  getStock(stockId: string): Promise<Stock> {
    return this.call({ api: 'stocks/{stock_id}', method: 'GET', path: `${BUSIFAVOR}/stocks/${seg(stockId)}` }, stock)
  }

  getUserCoupon(openid: string, code: string, appid: string): Promise<UserCoupon> {
    return this.call(
      {
        api: 'users/{openid}/coupons/{coupon_code}/appids/{appid}',
        method: 'GET',
        path: `${BUSIFAVOR}/users/${seg(openid)}/coupons/${seg(code)}/appids/${seg(appid)}`,
      },
      userCoupon,
    )
  }

  /**
   * Redeems once. A replay after a lost success may answer RESOURCE_ALREADY_EXISTS (what WeChat Pay
   * answers a replay is not documented), so that answer is checked against the coupon itself: USED
   * with our use_request_no is our own success; anything else is someone else's redemption.
   */
  async useCoupon(u: UseCouponInput): Promise<UseCouponResult> {
    if (!/^[0-9A-Za-z_\-|*]{1,32}$/.test(u.useRequestNo))
      throw new Error('use_request_no must be 1–32 letters, digits or _-|*')
    const body = JSON.stringify({
      coupon_code: u.code,
      stock_id: u.stockId,
      appid: u.appid,
      use_time: rfc3339China(u.useTime),
      use_request_no: u.useRequestNo,
      ...(u.openid ? { openid: u.openid } : {}),
    })
    try {
      const used = await this.call(
        { api: 'coupons/use', method: 'POST', path: `${BUSIFAVOR}/coupons/use`, body },
        usedCoupon,
      )
      return {
        kind: 'used',
        stockId: used.stock_id,
        openid: used.openid ?? u.openid ?? null,
        usedAt: epochOf(used.wechatpay_use_time),
        confirmedBy: 'answer',
      }
    } catch (err) {
      if (!(err instanceof WxPayError) || !err.is(wxPayCodes.alreadyExists)) throw err
    }
    if (!u.openid) return { kind: 'alreadyUsed', coupon: null }
    const coupon = await this.getUserCoupon(u.openid, u.code, u.appid)
    if (coupon.coupon_state === 'USED' && coupon.use_request_no === u.useRequestNo)
      return {
        kind: 'used',
        stockId: coupon.stock_id,
        openid: u.openid,
        usedAt: coupon.use_time ? epochOf(coupon.use_time) : null,
        confirmedBy: 'query',
      }
    return { kind: 'alreadyUsed', coupon }
  }

  /** WeChat Pay wants an https URL without a query; the merchant must also enable 营销事件推送. */
  setCallbacks(notifyUrl: string = this.config.notifyUrl): Promise<Callbacks> {
    const body = JSON.stringify({ mchid: this.config.mchid, notify_url: notifyUrl })
    return this.call({ api: 'callbacks', method: 'POST', path: `${BUSIFAVOR}/callbacks`, body }, callbacks)
  }

  getCallbacks(): Promise<Callbacks> {
    return this.call(
      { api: 'callbacks', method: 'GET', path: `${BUSIFAVOR}/callbacks?mchid=${seg(this.config.mchid)}` },
      callbacks,
    )
  }

  private async call<S extends z.ZodType>(req: WxPayRequest, schema: S): Promise<z.infer<S>> {
    const deadline = Date.now() + (this.o.deadlineMs ?? 10_000)
    const timeoutMs = this.o.timeoutMs ?? 5000
    for (let attempt = 0; ; attempt++) {
      // No attempt outlives the deadline: a counter that can wait 1.5 s gets its answer in 1.5 s.
      const http = {
        config: this.config,
        clock: this.clock,
        timeoutMs: Math.max(100, Math.min(timeoutMs, deadline - Date.now())),
        fetch: this.o.fetch,
      }
      try {
        const { status, data } = await wxPayRequest(http, req)
        const parsed = schema.safeParse(data ?? {})
        if (!parsed.success) {
          const where = parsed.error.issues[0]?.path.join('.') || 'body'
          throw new WxPayError(req.api, status, wxPayCodes.malformed, `unexpected answer at ${where}`)
        }
        return parsed.data
      } catch (err) {
        if (!(err instanceof WxPayError)) throw err
        const wait = Math.min((this.o.backoffMs ?? 200) * 2 ** attempt, 2000)
        if (!err.transient || Date.now() + wait >= deadline) throw err
        await sleep(wait)
      }
    }
  }
}
