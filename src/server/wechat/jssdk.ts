/**
 * wx.config parameters for one page URL (JS-SDK说明文档 附录1-JS-SDK使用权限签名算法): the URL the page sent
 * (on iOS in a history-mode SPA, its landing URL), never one rebuilt here.
 */
import { randomToken } from '../random.ts'
import type { Credentials } from './credentials.ts'
import { jssdkSignature } from './sign.ts'

export interface JssdkConfig {
  appId: string
  timestamp: number
  nonceStr: string
  signature: string
}

/**
 * The URL the browser is on, without its fragment, exactly as sent: rebuilding it on the
 * server (http vs https behind a proxy, re-encoded query) is how signatures stop matching.
 * Null when it is not a page of this site.
 */
export function signableUrl(url: string, publicUrl: string): string | null {
  const bare = url.split('#')[0]!
  try {
    return new URL(bare).origin === new URL(publicUrl).origin ? bare : null
  } catch {
    return null
  }
}

export async function jssdkConfig(
  credentials: Credentials,
  appId: string,
  url: string,
  now: number,
): Promise<JssdkConfig> {
  const jsapiTicket = await credentials.get('jsapi')
  const nonceStr = randomToken(16)
  return {
    appId,
    timestamp: now,
    nonceStr,
    signature: jssdkSignature({ jsapiTicket, nonceStr, timestamp: String(now), url }),
  }
}
