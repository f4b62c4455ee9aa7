/**
 * Starts Kaquan's WeChat integration in the browser: only inside WeChat, and only then is
 * the SDK downloaded. On Android, each route change signs the new URL.
 */
import type { Router } from 'vue-router'
import { ready, reconfigureForRoute } from './config.ts'
import { currentEnv } from './env.ts'

export function installWeChat(router: Router): void {
  if (!currentEnv().inWeChat) return
  let first = true
  router.afterEach((to, from) => {
    if (first) {
      first = false
      void ready().catch(() => {})
      return
    }
    if (to.path !== from.path || to.fullPath !== from.fullPath) void reconfigureForRoute()?.catch(() => {})
  })
}
