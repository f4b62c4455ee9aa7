/** Sandbox web (sns) tokens carry their own claims under an HMAC, as opaque to the client as WeChat's. */
import { createHmac } from 'node:crypto'
import type { Deps } from '../deps.ts'

interface TokenClaims {
  k: 'access' | 'refresh'
  o: string
  s: string
  e: number
  snap?: 1
}

export function issueToken(deps: Deps, claims: TokenClaims): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url')
  const mac = createHmac('sha256', deps.config.wx.appSecret).update(body).digest('base64url')
  return `${body}.${mac}`
}

export function readToken(deps: Deps, token: string | undefined, kind: TokenClaims['k']): TokenClaims | null {
  const [body, mac] = (token ?? '').split('.')
  if (!body || !mac) return null
  if (createHmac('sha256', deps.config.wx.appSecret).update(body).digest('base64url') !== mac) return null
  try {
    const c = JSON.parse(Buffer.from(body, 'base64url').toString()) as TokenClaims
    return c.k === kind && c.e > deps.clock.now() ? c : null
  } catch {
    return null
  }
}
