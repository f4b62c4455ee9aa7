/**
 * Many logged-in users at once, for concurrency tests: users are inserted and their
 * session cookies sealed with the server's own secret, skipping 500 OAuth round trips.
 * The OAuth path itself is covered in tests/server/oauth.test.ts.
 */
import { sealSession, SESSION_COOKIE } from '../../src/server/auth/session.ts'
import type { UserRow } from '../../src/server/auth/users.ts'
import { upsertUser } from '../../src/server/auth/users.ts'
import { newId } from '../../src/server/random.ts'
import type { TestApp } from './app.ts'

/** A session cookie for `user`, as the login callback would set it. */
export function sessionCookie(user: Pick<UserRow, 'id' | 'openid'>, secret: string, now: number): string {
  const payload = { uid: user.id, sid: newId(), iat: now, exp: now + 3600, oid: user.openid, snap: 0 as const }
  return `${SESSION_COOKIE}=${sealSession(payload, secret)}`
}

export async function sessionCookies(t: TestApp, n: number, prefix = 'user'): Promise<string[]> {
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    const u = await upsertUser(
      t.database.db,
      { openid: `o${prefix}${i}`.padEnd(28, 'x'), isSnapshot: false },
      t.clock.now(),
    )
    out.push(sessionCookie(u, t.config.sessionSecret, t.clock.now()))
  }
  return out
}
