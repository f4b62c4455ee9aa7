/**
 * Where the page is open: WeChat, WeCom, a mini-program web-view, or a plain browser.
 * A pure function of the user agent, so it can be tested as a table and run during SSR.
 */
export interface WeChatEnv {
  /** WeChat's own in-app browser (not WeCom): the card wallet and JS-SDK are here. */
  inWeChat: boolean
  inWeCom: boolean
  inMiniProgram: boolean
  os: 'ios' | 'android' | 'other'
  /** The client's version, e.g. "8.0.47", or null outside WeChat. */
  version: string | null
}

export function detectEnv(userAgent: string, wxjsEnvironment?: string): WeChatEnv {
  const ua = userAgent.toLowerCase()
  // WeCom's agent also says MicroMessenger: check wxwork first.
  const inWeCom = ua.includes('wxwork/')
  const hasMm = ua.includes('micromessenger')
  const version = hasMm
    ? ((ua.match(/micromessenger\/(\d+\.\d+\.\d+)/) ?? ua.match(/micromessenger\/(\d+\.\d+)/))?.[1] ?? null)
    : null
  return {
    inWeChat: hasMm && !inWeCom,
    inWeCom,
    inMiniProgram: hasMm && (ua.includes('miniprogram') || wxjsEnvironment === 'miniprogram'),
    os: /iphone|ipad|ipod/.test(ua) ? 'ios' : ua.includes('android') ? 'android' : 'other',
    version,
  }
}

export function currentEnv(): WeChatEnv {
  if (typeof navigator === 'undefined') return detectEnv('')
  return detectEnv(navigator.userAgent, (window as { __wxjs_environment?: string }).__wxjs_environment)
}
