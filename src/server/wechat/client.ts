/**
 * Calls to WeChat's token-bearing APIs: a stale token (40001/42001) forces one refresh and
 * one retry, never a loop; WeChat being busy (-1) or unreachable is retried with backoff
 * until a deadline; everything else is final and typed.
 */
import type { Credentials } from './credentials.ts'
import { WeChatError } from './errors.ts'
import { wxRequest } from './http.ts'

export interface WxClientOptions {
  apiBase: string
  timeoutMs?: number
  deadlineMs?: number
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

export class WxClient {
  constructor(
    readonly credentials: Credentials,
    private readonly o: WxClientOptions,
  ) {}

  /** The same client with its own patience: the counter can't wait as long as a background worker. */
  withTimeouts(o: { timeoutMs: number; deadlineMs: number }): WxClient {
    return new WxClient(this.credentials, { ...this.o, ...o })
  }

  async call<T>(api: string, body?: unknown, query: Record<string, string> = {}): Promise<T> {
    const deadline = Date.now() + (this.o.deadlineMs ?? 8000)
    let refreshed = false
    for (let attempt = 0; ; attempt++) {
      const token = await this.credentials.get('access_token')
      // No attempt outlives the deadline: a caller that can wait 1.5 s gets its answer in 1.5 s.
      const timeoutMs = Math.max(100, Math.min(this.o.timeoutMs ?? 3000, deadline - Date.now()))
      try {
        return await wxRequest<T>({ base: this.o.apiBase, timeoutMs }, api, { ...query, access_token: token }, body)
      } catch (err) {
        if (!(err instanceof WeChatError)) throw err
        if ((err.errcode === 40001 || err.errcode === 42001) && !refreshed) {
          refreshed = true
          await this.credentials.invalidate('access_token', token)
          continue
        }
        const wait = Math.min(200 * 2 ** attempt, 2000)
        if (err.transient && Date.now() + wait + 100 < deadline) {
          await sleep(wait)
          continue
        }
        throw err
      }
    }
  }
}
