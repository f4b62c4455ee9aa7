/**
 * WeChat web login: /auth/wechat/login starts it, /auth/wechat/callback finishes it.
 * Every dead end a real phone hits (a refreshed callback, a dropped cookie, a stale code)
 * either continues or restarts the login once, never in a loop: WeChat's browser may lose the
 * cookie set when the login started, and refreshing the callback page replays its one-time code
 * (40163).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { callbackQuery, loginQuery } from '../../shared/api/auth.ts'
import { loginPath } from '../../shared/routes.ts'
import type { Deps } from '../deps.ts'
import { AppError, parse } from '../http/errors.ts'
import { messagePage } from '../http/page.ts'
import { WeChatError, errcodes } from '../wechat/errors.ts'
import { authorizeUrl, type CodeExchange, exchangeCode, fetchUserInfo, type OAuthScope } from '../wechat/oauth.ts'
import {
  browserProof,
  consumeState,
  createState,
  safeReturnPath,
  STATE_COOKIE,
  STATE_TTL,
  type StateLookup,
} from './oauth-state.ts'
import { SESSION_COOKIE } from './session.ts'
import { sessionOf, sessionUser, setProfile, setSessionCookie, upsertUser, userDto } from './users.ts'

/** Login starts one address may make per minute; generous, because many phones share a carrier's address. */
export const LOGIN_STARTS_PER_MINUTE = 120

export function authRoutes(app: FastifyInstance, deps: Deps): void {
  const { config, db, clock } = deps
  const redirectUri = `${config.publicUrl}/auth/wechat/callback`

  const proof = (request: FastifyRequest) => browserProof(request.headers['user-agent'], request.ip)

  async function startLogin(
    request: FastifyRequest,
    reply: FastifyReply,
    returnPath: string,
    scope: OAuthScope,
    attempt: number,
  ) {
    const state = await createState(db, { returnPath, scope, attempt, browser: proof(request) }, clock.now())
    reply.setCookie(STATE_COOKIE, state, {
      path: '/auth/wechat',
      httpOnly: true,
      sameSite: 'lax',
      secure: config.publicUrl.startsWith('https:'),
      maxAge: STATE_TTL,
    })
    return reply.redirect(authorizeUrl(config.wx, redirectUri, scope, state), 302)
  }

  function page(reply: FastifyReply, status: number, title: string, message: string, href = '/') {
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(messagePage({ title, message, actions: [{ label: '重新进入', href }] }))
  }

  /** A stale state or code: continue if already logged in, else one fresh login, else a clear page. */
  async function recover(request: FastifyRequest, reply: FastifyReply, s: Exclude<StateLookup, { kind: 'unknown' }>) {
    if (await sessionUser(deps, request)) return reply.redirect(s.returnPath, 302)
    if (s.attempt >= 1) return page(reply, 400, '登录没有完成', '微信登录未能完成，请返回重新进入页面。', s.returnPath)
    return startLogin(request, reply, s.returnPath, s.scope as OAuthScope, s.attempt + 1)
  }

  app.get('/auth/wechat/login', async (request, reply) => {
    // Each start stores a state row: a flood from one address is turned away before it writes.
    if (!deps.limits.logins.allow(request.ip))
      return page(reply, 429, '请稍后再试', '登录请求过于频繁，请稍等片刻再进入页面。')
    const q = parse(loginQuery, request.query, 'query')
    const returnPath = safeReturnPath(q.return, config.publicUrl)
    if (!returnPath) throw new AppError('invalid_request', 'query.return: must be a path on this site')
    return startLogin(request, reply, returnPath, q.scope, 0)
  })

  app.get('/auth/wechat/callback', async (request, reply) => {
    const q = parse(callbackQuery, request.query, 'query')
    const cookieState = request.cookies[STATE_COOKIE]
    reply.clearCookie(STATE_COOKIE, { path: '/auth/wechat' })
    if (!q.state) return page(reply, 400, '登录链接无效', '这个登录链接不完整，请返回重新进入页面。')
    // A cookie that survived must match: someone else's callback link can't log this browser in.
    if (cookieState && cookieState !== q.state)
      return page(reply, 403, '登录链接无效', '登录状态不一致，请重新进入页面。')
    const s = await consumeState(db, q.state, clock.now())
    if (s.kind === 'unknown') return page(reply, 400, '登录链接无效', '这个登录链接无效或已被篡改，请重新进入页面。')
    if (s.kind !== 'fresh') return recover(request, reply, s)
    // Login CSRF: a callback link made by someone else's login must not log this browser in. The
    // start cookie proves it is this browser's own login; when WeChat's browser lost the cookie,
    // the browser that started it must look the same (user agent and address). Otherwise start a
    // fresh login of whoever holds this phone: silent in WeChat, and the planted code goes unused.
    const ownStart = cookieState === q.state
    if (!ownStart && s.browser !== proof(request)) return recover(request, reply, { ...s, kind: 'used' })
    // Old clients answer a refusal of snsapi_userinfo with a redirect that has no code.
    if (!q.code) return page(reply, 200, '未授权', '你没有同意授权，仍可以浏览优惠；领取时需要登录。', s.returnPath)

    let login: CodeExchange
    try {
      login = await exchangeCode(config.wx, q.code)
    } catch (err) {
      if (
        err instanceof WeChatError &&
        [errcodes.invalidCode, errcodes.codeUsed, 42003].includes(err.errcode as never)
      ) {
        request.log.info({ errcode: err.errcode }, 'oauth code refused; recovering')
        return recover(request, reply, s)
      }
      request.log.error({ err }, 'oauth code exchange failed')
      return page(reply, 502, '暂时无法登录', '微信登录服务暂时不可用，请稍后再试。', s.returnPath)
    }
    // Without its own start cookie, a callback never switches a logged-in browser to someone else.
    const current = ownStart ? null : await sessionUser(deps, request)
    if (current && current.openid !== login.openid) return reply.redirect(s.returnPath, 302)
    const user = await upsertUser(db, { openid: login.openid, isSnapshot: login.isSnapshot }, clock.now())
    if (login.scope.includes('snsapi_userinfo') && !login.isSnapshot) {
      try {
        const info = await fetchUserInfo(config.wx, login.accessToken, login.openid)
        await setProfile(db, user.id, { nickname: info.nickname, avatarUrl: info.headimgurl || null })
      } catch (err) {
        // The profile is a nicety; the login stands without it.
        request.log.warn({ err }, 'userinfo fetch failed')
      }
    }
    setSessionCookie(deps, reply, user)
    return reply.redirect(s.returnPath, 302)
  })

  /** Ends this session: the cookie stops working on every process, not only in this browser. */
  app.post('/auth/logout', async (request, reply) => {
    const session = sessionOf(deps, request)
    if (session) await deps.sessions.revokeSession(session)
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return reply.status(204).send()
  })

  /** Ends every session of this user, on every phone and computer (a lost phone, a shared one). */
  app.post('/auth/logout-everywhere', async (request, reply) => {
    const session = sessionOf(deps, request)
    if (!session) throw new AppError('unauthenticated', '未登录', { loginUrl: loginPath('/') })
    await deps.sessions.revokeAll(session.uid)
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return reply.status(204).send()
  })

  app.get('/api/me', async request => {
    const user = await sessionUser(deps, request)
    if (!user) throw new AppError('unauthenticated', '未登录', { loginUrl: loginPath('/') })
    return { user: userDto(user) }
  })
}
