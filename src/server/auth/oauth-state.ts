/**
 * OAuth `state`: a short random token (letters and digits, WeChat caps it at 128 bytes)
 * naming a stored, single-use record of where to go after login. WeChat's browser often
 * drops cookies between the authorize hop and the callback, so the record alone must be
 * enough to finish; when the login-start cookie did survive it must match.
 */
import { createHash } from 'node:crypto'
import type { Db } from '../db/index.ts'
import { randomToken } from '../random.ts'

/** As long as WeChat's code lives: a login that takes longer restarts once (routes.ts). */
export const STATE_TTL = 5 * 60
export const STATE_COOKIE = 'kq_oauth_state'

export function isStateToken(value: string): boolean {
  return /^[A-Za-z0-9]{16,128}$/.test(value)
}

/** Same-origin paths only: "/x", never "//host", "/\\host" or an absolute URL. */
export function safeReturnPath(value: string, origin: string): string | null {
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return null
  try {
    const url = new URL(value, origin)
    // Dot segments and backslashes are resolved by the parser: "/..//evil.com" becomes "//evil.com",
    // which a browser reads as another host. Judge the path as it will be sent, not as it came.
    if (url.origin !== origin || url.pathname.startsWith('//') || url.pathname.includes('\\')) return null
    return url.pathname + url.search
  } catch {
    return null
  }
}

export async function createState(
  db: Db,
  input: { returnPath: string; scope: string; attempt: number; browser: string },
  now: number,
): Promise<string> {
  const token = randomToken(24)
  await db
    .insertInto('oauth_states')
    .values({
      token,
      return_path: input.returnPath,
      scope: input.scope,
      attempt: input.attempt,
      created_at: now,
      expires_at: now + STATE_TTL,
      used_at: null,
      browser: input.browser,
    })
    .execute()
  // An expired record only serves to tell a late callback apart from a forged one, for an hour.
  await db
    .deleteFrom('oauth_states')
    .where('expires_at', '<', now - 3600)
    .execute()
  return token
}

export interface StateRecord {
  returnPath: string
  scope: string
  attempt: number
  /** browserProof() of the browser that started the login (null for records made before it existed). */
  browser: string | null
}

export type StateLookup = ({ kind: 'fresh' | 'used' | 'expired' } & StateRecord) | { kind: 'unknown' }

/**
 * What the browser that started a login looks like to the server: its user agent and address.
 * An attacker can't plant it in a victim's browser the way a link plants a state; it only stands
 * in for the login-start cookie when WeChat's browser lost that.
 */
export function browserProof(userAgent: string | undefined, ip: string): string {
  return createHash('sha256')
    .update(`${userAgent ?? ''}|${ip}`)
    .digest('base64url')
    .slice(0, 22)
}

/** Marks the record used in one conditional update, so a replayed callback can't use it twice. */
export async function consumeState(db: Db, token: string, now: number): Promise<StateLookup> {
  if (!isStateToken(token)) return { kind: 'unknown' }
  const claimed = await db
    .updateTable('oauth_states')
    .set({ used_at: now })
    .where('token', '=', token)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  const row = await db.selectFrom('oauth_states').selectAll().where('token', '=', token).executeTakeFirst()
  if (!row) return { kind: 'unknown' }
  const base = { returnPath: row.return_path, scope: row.scope, attempt: row.attempt, browser: row.browser }
  if (Number(claimed.numUpdatedRows) === 1) return { kind: 'fresh', ...base }
  return { kind: row.used_at !== null ? 'used' : 'expired', ...base }
}
