/**
 * The one door to WeChat Pay's APIv3: sign the exact bytes sent, send the headers WeChat Pay
 * insists on, and trust nothing in an answer until its signature checks out (APIv3 签名生成, 验证签名).
 */
import type { Clock } from '../clock.ts'
import { randomToken } from '../random.ts'
import { WxPayError, wxPayCodes } from './errors.ts'
import type { WxPayConfig } from './keys.ts'
import { authorization } from './sign.ts'
import { verifySignedBody } from './verify.ts'

export interface WxPayHttpOptions {
  config: WxPayConfig
  clock: Clock
  timeoutMs: number
  fetch?: typeof fetch
}

export interface WxPayRequest {
  /** Names the call in errors and logs, e.g. `coupons/use`. */
  api: string
  method: 'GET' | 'POST'
  /** Path and query below the API base, e.g. `/v3/marketing/busifavor/callbacks?mchid=…`. */
  path: string
  /** Already serialised, so every retry sends (and signs) the same bytes. */
  body?: string
}

// WeChat Pay answers 400 "Http头缺少Accept或User-Agent" to a request without them.
const USER_AGENT = `Kaquan/0.1 (wechatpay-apiv3; node/${process.versions.node})`

export async function wxPayRequest(o: WxPayHttpOptions, r: WxPayRequest): Promise<{ status: number; data: unknown }> {
  const c = o.config
  const url = new URL(`${c.apiBase}${r.path}`)
  const body = r.body ?? ''
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'User-Agent': USER_AGENT,
    // With it, WeChat Pay signs its answer with the public key rather than a platform certificate.
    'Wechatpay-Serial': c.platformPublicKeyId,
    Authorization: authorization(c, {
      method: r.method,
      url: url.pathname + url.search,
      body,
      timestamp: String(o.clock.now()),
      nonce: randomToken(32),
    }),
  }
  if (r.body !== undefined) headers['Content-Type'] = 'application/json'

  let res: Response
  let raw: Buffer
  try {
    res = await (o.fetch ?? fetch)(url, {
      method: r.method,
      headers,
      body: r.body,
      signal: AbortSignal.timeout(o.timeoutMs),
    })
    raw = Buffer.from(await res.arrayBuffer())
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError'
    throw new WxPayError(
      r.api,
      0,
      timedOut ? wxPayCodes.timeout : wxPayCodes.network,
      timedOut ? `no answer within ${o.timeoutMs} ms` : 'network error',
    )
  }

  const check = verifySignedBody(res.headers, raw, { [c.platformPublicKeyId]: c.platformPublicKey }, o.clock.now())
  if (!check.ok) throw new WxPayError(r.api, res.status, wxPayCodes.unverified, check.message)

  let data: any
  try {
    data = raw.length === 0 ? undefined : JSON.parse(raw.toString('utf8'))
  } catch {
    throw new WxPayError(r.api, res.status, wxPayCodes.malformed, 'the answer is not JSON')
  }
  if (res.ok) return { status: res.status, data }
  const code = typeof data?.code === 'string' ? data.code : `HTTP_${res.status}`
  throw new WxPayError(r.api, res.status, code, typeof data?.message === 'string' ? data.message : '', data?.detail)
}
