/** What a WeChat error at start-up means for the person deploying, and how to fix it. */
import type { Credentials } from './credentials.ts'
import { WeChatError } from './errors.ts'

const hints: Record<number, string> = {
  40164:
    "this server's IP address is not in the account's API IP whitelist (公众号后台 → 设置与开发 → 基本配置 → IP白名单)",
  40013: 'WX_APPID is not a valid AppID for this account',
  40125: 'WX_APPSECRET is wrong (公众号后台 → 基本配置 → AppSecret; reset it there if unsure)',
  40001: "WX_APPSECRET is wrong, or another system keeps refreshing this account's token",
  45009: "the account has used today's API quota; reset it in the console or wait until tomorrow",
  48001: 'the account lacks this permission (JS-SDK and cards need a verified service account)',
  [-1]: 'WeChat is busy; this usually passes within minutes',
  [WeChatError.NETWORK]: 'WeChat could not be reached from this server (network, DNS or proxy)',
}

export function explain(err: unknown): string {
  if (!(err instanceof WeChatError)) return String(err)
  return `${err.api}: ${err.errcode} ${err.errmsg.split(' rid:')[0]} — ${hints[err.errcode] ?? "see WeChat's error code table"}`
}

/** Fetches the token and both tickets once, so a misconfigured deployment says so at start. */
export async function checkCredentials(credentials: Credentials): Promise<string[]> {
  const problems: string[] = []
  for (const kind of ['access_token', 'jsapi', 'wx_card'] as const) {
    try {
      await credentials.get(kind)
    } catch (err) {
      problems.push(`${kind}: ${explain(err)}`)
      if (kind === 'access_token') break
    }
  }
  return problems
}
