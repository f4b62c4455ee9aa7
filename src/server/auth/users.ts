import type { FastifyReply, FastifyRequest } from 'fastify'
import type { UserDto } from '../../shared/api/auth.ts'
import { loginPath } from '../../shared/routes.ts'
import type { Db } from '../db/index.ts'
import type { UsersTable } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../http/errors.ts'
import { newId } from '../random.ts'
import { openSession, type SessionPayload, sealSession, SESSION_COOKIE, SESSION_TTL } from './session.ts'

export type UserRow = UsersTable

export async function upsertUser(
  db: Db,
  input: { openid: string; isSnapshot: boolean },
  now: number,
): Promise<UserRow> {
  await db
    .insertInto('users')
    .values({
      id: newId(),
      openid: input.openid,
      nickname: null,
      avatar_url: null,
      is_snapshot: input.isSnapshot ? 1 : 0,
      created_at: now,
      last_login_at: now,
    })
    .onConflict(oc => oc.column('openid').doUpdateSet({ last_login_at: now, is_snapshot: input.isSnapshot ? 1 : 0 }))
    .execute()
  return db.selectFrom('users').selectAll().where('openid', '=', input.openid).executeTakeFirstOrThrow()
}

/** The nickname and avatar WeChat gave with snsapi_userinfo. */
export async function setProfile(
  db: Db,
  userId: string,
  p: { nickname: string; avatarUrl: string | null },
): Promise<void> {
  await db
    .updateTable('users')
    .set({ nickname: p.nickname, avatar_url: p.avatarUrl })
    .where('id', '=', userId)
    .execute()
}

export function userDto(u: UserRow): UserDto {
  return { id: u.id, openid: u.openid, nickname: u.nickname, avatarUrl: u.avatar_url, isSnapshot: u.is_snapshot === 1 }
}

const cache = new WeakMap<FastifyRequest, Promise<UserRow | null>>()

/** This request's session, checked against its signature, expiry and revocations: no database round trip. */
export function sessionOf(deps: Deps, request: FastifyRequest): SessionPayload | null {
  const session = openSession(request.cookies[SESSION_COOKIE], deps.config.sessionSecret, deps.clock.now())
  return session && !deps.sessions.isRevoked(session) ? session : null
}

/** What a landing page shows of the user, from the session alone (the profile comes with /api/me). */
export function sessionUserDto(deps: Deps, request: FastifyRequest): UserDto | null {
  const s = sessionOf(deps, request)
  return s ? { id: s.uid, openid: s.oid, nickname: null, avatarUrl: null, isSnapshot: s.snap === 1 } : null
}

/** The logged-in user of this request, or null. Looked up once per request. */
export function sessionUser(deps: Deps, request: FastifyRequest): Promise<UserRow | null> {
  let found = cache.get(request)
  if (!found) {
    const session = sessionOf(deps, request)
    found = session
      ? deps.db
          .selectFrom('users')
          .selectAll()
          .where('id', '=', session.uid)
          .executeTakeFirst()
          .then(u => u ?? null)
      : Promise.resolve(null)
    cache.set(request, found)
  }
  return found
}

/** The session, or a 401 that tells the page where to log in: for hot paths that need only who it is. */
export function requireSession(deps: Deps, request: FastifyRequest, returnPath = '/'): SessionPayload {
  const s = sessionOf(deps, request)
  if (!s) throw new AppError('unauthenticated', '请先登录', { loginUrl: loginPath(returnPath) })
  return s
}

/** The user, or a 401 that tells the page where to send the person to log in. */
export async function requireUser(deps: Deps, request: FastifyRequest, returnPath = '/'): Promise<UserRow> {
  const user = await sessionUser(deps, request)
  if (!user) throw new AppError('unauthenticated', '请先登录', { loginUrl: loginPath(returnPath) })
  return user
}

export function setSessionCookie(
  deps: Deps,
  reply: FastifyReply,
  user: Pick<UserRow, 'id' | 'openid' | 'is_snapshot'>,
): void {
  const now = deps.clock.now()
  const payload: SessionPayload = {
    uid: user.id,
    sid: newId(),
    iat: now,
    exp: now + SESSION_TTL,
    oid: user.openid,
    snap: user.is_snapshot === 1 ? 1 : 0,
  }
  reply.setCookie(SESSION_COOKIE, sealSession(payload, deps.config.sessionSecret), {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: deps.config.publicUrl.startsWith('https:'),
    maxAge: SESSION_TTL,
  })
}
