/**
 * Where a console page sends someone who is not logged in. Inside WeChat, the silent OAuth
 * that consumers use; on a computer, WeChat's web OAuth only says "请在微信客户端打开链接",
 * so the desktop gets the scan-to-log-in page instead, and comes back afterwards.
 */
import { loginPath, pagePaths } from '../../../shared/routes.ts'
import { ApiError } from '../../api/client.ts'
import { currentEnv } from '../../wechat/env.ts'

export function consoleLoginUrl(returnPath: string): string {
  if (currentEnv().inWeChat) return loginPath(returnPath)
  return `${pagePaths.consoleLogin}?next=${encodeURIComponent(returnPath)}`
}

/** Only a console path may be the place to come back to after logging in. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/console(\/|$)/.test(next) && !next.startsWith('//') ? next : pagePaths.console
}

/**
 * A page's fetch that sends a 401 to the right login (and never settles its page on an error
 * for it: the browser is leaving). Other failures reach the page as they are.
 */
export function withConsoleLogin(fetch: () => Promise<unknown>): () => Promise<unknown> {
  return async () => {
    try {
      await fetch()
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'unauthenticated')) throw e
      window.location.href = consoleLoginUrl(location.pathname + location.search)
    }
  }
}
