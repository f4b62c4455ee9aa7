/** The one door to WeChat's HTTP APIs: JSON in and out, a deadline, errcode -> WeChatError. */
import { WeChatError } from './errors.ts'

export interface WxHttpOptions {
  base: string
  timeoutMs?: number
}

export async function wxRequest<T>(
  opts: WxHttpOptions,
  api: string,
  query: Record<string, string>,
  body?: unknown,
): Promise<T> {
  const url = `${opts.base}${api}?${new URLSearchParams(query)}`
  let res: Response
  try {
    res = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
    })
  } catch (err) {
    throw new WeChatError(
      api,
      WeChatError.NETWORK,
      (err as Error).name === 'TimeoutError' ? 'timed out' : 'network error',
    )
  }
  let data: any
  try {
    data = await res.json()
  } catch {
    throw new WeChatError(api, WeChatError.NETWORK, `unreadable answer (HTTP ${res.status})`)
  }
  if (typeof data?.errcode === 'number' && data.errcode !== 0)
    throw new WeChatError(api, data.errcode, String(data.errmsg ?? ''))
  return data as T
}
