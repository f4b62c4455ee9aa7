/** Web OAuth (网页授权, developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html). */
import { wxRequest } from './http.ts'

export interface WxOAuthConfig {
  appId: string
  appSecret: string
  apiBase: string
  oauthBase: string
}

export type OAuthScope = 'snsapi_base' | 'snsapi_userinfo'

/** WeChat matches this link with a strict pattern: the parameters must come in exactly this order. */
export function authorizeUrl(c: WxOAuthConfig, redirectUri: string, scope: OAuthScope, state: string): string {
  return (
    `${c.oauthBase}/connect/oauth2/authorize?appid=${c.appId}&redirect_uri=${encodeURIComponent(redirectUri)}` +
    `&response_type=code&scope=${scope}&state=${state}#wechat_redirect`
  )
}

export interface CodeExchange {
  openid: string
  scope: string
  accessToken: string
  unionid: string | null
  isSnapshot: boolean
}

export async function exchangeCode(c: WxOAuthConfig, code: string): Promise<CodeExchange> {
  const r = await wxRequest<{
    access_token: string
    openid: string
    scope: string
    unionid?: string
    is_snapshotuser?: number
  }>({ base: c.apiBase }, '/sns/oauth2/access_token', {
    appid: c.appId,
    secret: c.appSecret,
    code,
    grant_type: 'authorization_code',
  })
  return {
    openid: r.openid,
    scope: r.scope,
    accessToken: r.access_token,
    unionid: r.unionid ?? null,
    isSnapshot: r.is_snapshotuser === 1,
  }
}

export interface WxUserInfo {
  nickname: string
  headimgurl: string
}

export async function fetchUserInfo(c: WxOAuthConfig, accessToken: string, openid: string): Promise<WxUserInfo> {
  return wxRequest<WxUserInfo>({ base: c.apiBase }, '/sns/userinfo', {
    access_token: accessToken,
    openid,
    lang: 'zh_CN',
  })
}
