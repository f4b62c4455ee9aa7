/**
 * Sessions are signed cookies, so any number of server processes can serve a user
 * without shared memory: base64url(JSON payload) + "." + HMAC-SHA256 over it. Each carries
 * its own id (`sid`) and issue time, so it can be ended before it expires (revocations.ts),
 * and the little a landing page needs of the user (`oid`, `snap`), so rendering one costs no
 * database round trip.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

export interface SessionPayload {
  uid: string
  /** This session's id: logout ends this one only. */
  sid: string
  /** Issued at (epoch seconds): "log out everywhere" ends every session issued before a moment. */
  iat: number
  exp: number
  /** The user's openid and snapshot-page flag, as they were at login. */
  oid: string
  snap: 0 | 1
}

export const SESSION_COOKIE = 'kq_sid'
export const SESSION_TTL = 30 * 86_400

function mac(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url')
}

export function sealSession(payload: SessionPayload, secret: string): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url')
  return `${body}.${mac(body, secret)}`
}

/** The payload when the token is intact and not expired; otherwise null. */
export function openSession(token: string | undefined, secret: string, now: number): SessionPayload | null {
  if (!token || token.length > 512) return null
  const dot = token.indexOf('.')
  if (dot < 1) return null
  const body = token.slice(0, dot)
  const given = Buffer.from(token.slice(dot + 1))
  const expected = Buffer.from(mac(body, secret))
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
  try {
    const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as SessionPayload
    if (typeof p?.uid !== 'string' || typeof p.sid !== 'string' || typeof p.oid !== 'string') return null
    if (typeof p.iat !== 'number' || typeof p.exp !== 'number' || p.exp <= now || (p.snap !== 0 && p.snap !== 1))
      return null
    return p
  } catch {
    return null
  }
}
