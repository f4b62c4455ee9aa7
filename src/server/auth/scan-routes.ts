/** Scan-to-log-in's routes: the desktop asks and polls (bound by its cookie), the phone scans, confirms or cancels. */
import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import {
  type LoginTicketResponse,
  type LoginTicketStatus,
  type LoginTicketStatusResponse,
  loginTicketParams,
  type ScanResponse,
  scanTokenBody,
} from '../../shared/api/console.ts'
import { isoOf } from '../../shared/time.ts'
import type { Deps } from '../deps.ts'
import { AppError, notFound, parse } from '../http/errors.ts'
import { membershipsOf } from '../merchants/members.ts'
import { describeBrowser } from './browser.ts'
import {
  createTicket,
  moveTicket,
  TICKET_COOKIE,
  TICKET_COOKIE_PATH,
  TICKET_TTL,
  type TicketRow,
  ticketByToken,
  ticketOfDesktop,
  ticketStatus,
  useTicket,
} from './scan-login.ts'
import { requireUser, setSessionCookie } from './users.ts'

const noBody = z.object({}).strict()

const refusals: Partial<Record<LoginTicketStatus, string>> = {
  expired: '二维码已过期，请在电脑上刷新后重新扫码',
  used: '这个二维码已经登录过了',
  cancelled: '已取消登录，请在电脑上刷新后重新扫码',
  confirmed: '已确认登录',
  pending: '请重新扫码',
  scanned: '二维码已被其他微信扫描，请重新扫码',
}

export function scanLoginRoutes(app: FastifyInstance, deps: Deps): void {
  const { config, db, clock } = deps
  const tickets = '/api/console/login-tickets'
  const view = (t: TicketRow, status = ticketStatus(t, clock.now())) => ({
    id: t.id,
    status,
    expiresAt: isoOf(t.expires_at),
  })
  const clearBinding = (reply: FastifyReply) => reply.clearCookie(TICKET_COOKIE, { path: TICKET_COOKIE_PATH })

  /** The phone's token names a ticket, or the answer is a 404 (never whose it is). */
  async function phoneTicket(token: string) {
    const t = await ticketByToken(db, token)
    if (!t) throw notFound('login ticket')
    return t
  }

  async function refuse(token: string, to: LoginTicketStatus): Promise<never> {
    const status = ticketStatus(await phoneTicket(token), clock.now())
    throw new AppError('invalid_status', refusals[status] ?? '无法完成', { from: status, to })
  }

  app.post(tickets, async (request, reply) => {
    // Each ticket is a row: a flood from one address is turned away before it writes.
    if (!deps.limits.logins.allow(`scan:${request.ip}`)) throw new AppError('rate_limited', '请求过于频繁，请稍后再试')
    parse(noBody, request.body, 'body')
    const now = clock.now()
    const ticket = await createTicket(db, describeBrowser(request.headers['user-agent']), now)
    reply.setCookie(TICKET_COOKIE, ticket.binding, {
      path: TICKET_COOKIE_PATH,
      httpOnly: true,
      sameSite: 'strict',
      secure: config.publicUrl.startsWith('https:'),
      maxAge: TICKET_TTL,
    })
    return reply.status(201).send({
      ticket: {
        id: ticket.id,
        status: 'pending',
        qrUrl: `${config.publicUrl}/console/scan?t=${ticket.token}`,
        expiresAt: isoOf(ticket.expiresAt),
      },
    } satisfies LoginTicketResponse)
  })

  app.get(`${tickets}/:ticketId`, async (request, reply) => {
    const { ticketId } = parse(loginTicketParams, request.params, 'params')
    reply.header('cache-control', 'no-store')
    const t = await ticketOfDesktop(db, ticketId, request.cookies[TICKET_COOKIE])
    // Another browser polling with the id learns nothing, not even that the ticket exists.
    if (!t) throw notFound('login ticket')
    const now = clock.now()
    const user = ticketStatus(t, now) === 'confirmed' ? await useTicket(db, t, now) : null
    if (user) {
      setSessionCookie(deps, reply, user)
      clearBinding(reply)
      return { ticket: view(t, 'used') } satisfies LoginTicketStatusResponse
    }
    const latest = (await ticketOfDesktop(db, ticketId, request.cookies[TICKET_COOKIE])) ?? t
    return { ticket: view(latest) } satisfies LoginTicketStatusResponse
  })

  app.post(`${tickets}/scan`, async request => {
    const { token } = parse(scanTokenBody, request.body, 'body')
    const user = await requireUser(deps, request, `/console/scan?t=${encodeURIComponent(token)}`)
    await phoneTicket(token)
    // The latest phone to open the link is the one asked to confirm.
    await moveTicket(db, token, { from: ['pending', 'scanned'], to: 'scanned', userId: user.id }, clock.now())
    const t = await phoneTicket(token)
    const merchants = (await membershipsOf(db, user.id)).map(m => m.merchant)
    return { ticket: view(t), merchants, browser: t.browser } satisfies ScanResponse
  })

  app.post(`${tickets}/confirm`, async request => {
    const { token } = parse(scanTokenBody, request.body, 'body')
    const user = await requireUser(deps, request, `/console/scan?t=${encodeURIComponent(token)}`)
    await phoneTicket(token)
    if ((await membershipsOf(db, user.id)).length === 0)
      throw new AppError('forbidden', '你还不是任何商户的成员，请向店主索取邀请链接')
    const move = { from: ['scanned' as const], to: 'confirmed' as const, userId: user.id, mine: true }
    if (!(await moveTicket(db, token, move, clock.now()))) await refuse(token, 'confirmed')
    return { ticket: view(await phoneTicket(token)) }
  })

  app.post(`${tickets}/cancel`, async request => {
    const { token } = parse(scanTokenBody, request.body, 'body')
    const user = await requireUser(deps, request, `/console/scan?t=${encodeURIComponent(token)}`)
    await phoneTicket(token)
    const move = { from: ['pending' as const, 'scanned' as const], to: 'cancelled' as const, userId: user.id }
    if (!(await moveTicket(db, token, move, clock.now()))) await refuse(token, 'cancelled')
    return { ticket: view(await phoneTicket(token)) }
  })
}
