/**
 * wx.config that works on both platforms (iOS signs the landing URL in a history-mode SPA,
 * vuejs/vue-router#481; share settings made outside ready are lost on the first iOS entry): the
 * landing URL is recorded before the router starts; iOS signs it, Android signs the current URL
 * and re-configures after every route change. ready() is a promise that rejects on wx.error or a
 * timeout, because the SDK fires ready even when the config failed.
 */
import { fetchJssdkConfig } from '../api/wechat.ts'
import { currentEnv } from './env.ts'
import { jsApiList, loadWx, type Wx } from './sdk.ts'

const READY_TIMEOUT_MS = 8000

let landingUrl = ''
let configuredOnce = false
let current: Promise<Wx> | null = null
let onError: ((errMsg: string) => void) | null = null
const afterReady: ((wx: Wx) => void)[] = []

/** Call once, before the router takes over the URL. */
export function recordLandingUrl(href: string): void {
  landingUrl = href.split('#')[0]!
}

export function signingUrl(os: 'ios' | 'android' | 'other', landing: string, currentHref: string): string {
  return os === 'ios' ? landing : currentHref.split('#')[0]!
}

export class WxConfigError extends Error {
  constructor(readonly errMsg: string) {
    super(errMsg)
  }
}

async function configure(): Promise<Wx> {
  const wx = await loadWx()
  const url = signingUrl(currentEnv().os, landingUrl || location.href, location.href)
  const c = await fetchJssdkConfig(url)
  return new Promise<Wx>((resolve, reject) => {
    let settled = false
    const timer = setTimeout(() => settle(new WxConfigError('config:timeout')), READY_TIMEOUT_MS)
    function settle(err: WxConfigError | null) {
      if (settled) return
      settled = true
      clearTimeout(timer)
      // Visible to support and tests as <html data-wx="ready|config:…">.
      document.documentElement.dataset.wx = err ? err.errMsg : 'ready'
      if (err) return reject(err)
      for (const fn of afterReady) fn(wx)
      resolve(wx)
    }
    // The SDK keeps the first error handler for every later config: route it to the pending one.
    onError = errMsg => settle(new WxConfigError(errMsg))
    if (!configuredOnce) wx.error(r => onError?.(r.errMsg))
    const first = !configuredOnce
    configuredOnce = true
    wx.config({
      debug: false,
      appId: c.appId,
      timestamp: c.timestamp,
      nonceStr: c.nonceStr,
      signature: c.signature,
      jsApiList,
    })
    // ready() runs at once after the first config, so later configs wait for a call that
    // the client answers only after it has verified the new signature.
    if (first) wx.ready(() => setTimeout(() => settle(null), 0))
    else wx.checkJsApi({ jsApiList: ['addCard'], complete: () => setTimeout(() => settle(null), 0) })
  })
}

/** The configured SDK; configures on first use. Rejects with WxConfigError. */
export function ready(): Promise<Wx> {
  current ??= configure().catch(err => {
    current = null
    throw err
  })
  return current
}

/** After a route change: Android verifies the current URL, so sign it again. */
export function reconfigureForRoute(): Promise<Wx> | null {
  if (currentEnv().os !== 'android' || !configuredOnce) return null
  current = configure().catch(err => {
    current = null
    throw err
  })
  return current
}

/** Runs after every successful (re)configuration, e.g. to set share data again. */
export function onEveryReady(fn: (wx: Wx) => void): void {
  afterReady.push(fn)
}
