/**
 * Many logged-in users at once, for concurrency tests: users are inserted and their
 * session cookies sealed with the server's own secret, skipping 500 OAuth round trips.
 * The OAuth path itself is covered in tests/server/oauth.test.ts.
 */
import { sealSession, SESSION_COOKIE } from '../../src/server/auth/session.ts'
import { upsertUser } from '../../src/server/auth/users.ts'
import type { TestApp } from './app.ts'

export async function sessionCookies(t: TestApp, n: number, prefix = 'user'): Promise<string[]> {
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    const u = await upsertUser(
      t.database.db,
      { openid: `o${prefix}${i}`.padEnd(28, 'x'), isSnapshot: false },
      t.clock.now(),
    )
    out.push(`${SESSION_COOKIE}=${sealSession({ uid: u.id, exp: t.clock.now() + 3600 }, t.config.sessionSecret)}`)
  }
  return out
}
