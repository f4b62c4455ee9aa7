/**
 * The console's own routes: who is signed in and for which merchants, members and their invites,
 * the invite link itself, and the audit log. Offers, stores and clerks have theirs with their domain.
 */
import type { FastifyInstance } from 'fastify'
import type { InviteResponse } from '../../shared/api/admin.ts'
import {
  type AuditResponse,
  auditQuery,
  type ConsoleMeResponse,
  type ConsoleWechatPayResponse,
  memberInviteBody,
  memberJoinQuery,
  memberParams,
  memberPatchBody,
  type MemberResponse,
  type MembersResponse,
  merchantParams,
} from '../../shared/api/console.ts'
import { isoOf } from '../../shared/time.ts'
import { requireUser, sessionUser, userDto } from '../auth/users.ts'
import type { Deps } from '../deps.ts'
import { parse } from '../http/errors.ts'
import { messagePage } from '../http/page.ts'
import { listAudit } from './audit.ts'
import { requireMember } from './guard.ts'
import { acceptMemberInvite, inviteManager, memberInviteUrl } from './invites.ts'
import { changeMemberRole, removeMember } from './member-changes.ts'
import { listMembers, membershipsOf } from './members.ts'
import { wechatPayStatus } from './wechat-pay.ts'

/** The console's login asks for the WeChat profile: colleagues know each other by nickname. */
const consoleLogin = (returnPath: string) =>
  `/auth/wechat/login?scope=snsapi_userinfo&return=${encodeURIComponent(returnPath)}`

export function merchantRoutes(app: FastifyInstance, deps: Deps): void {
  const { config, db, clock } = deps
  const base = '/api/console/merchants/:mid'

  app.get('/api/console/me', async request => {
    const user = await requireUser(deps, request, '/console')
    return { user: userDto(user), memberships: await membershipsOf(db, user.id) } satisfies ConsoleMeResponse
  })

  app.post(`${base}/invites`, async (request, reply) => {
    const { mid } = parse(merchantParams, request.params, 'params')
    const { user } = await requireMember(deps, request, mid, { owner: true })
    parse(memberInviteBody, request.body, 'body')
    const invite = await inviteManager(db, { merchantId: mid, actorId: user.id }, clock.now())
    return reply.status(201).send({
      url: memberInviteUrl(config.publicUrl, invite.token),
      expiresAt: isoOf(invite.expiresAt),
    } satisfies InviteResponse)
  })

  app.get(`${base}/members`, async request => {
    const { mid } = parse(merchantParams, request.params, 'params')
    const { user } = await requireMember(deps, request, mid)
    return { members: await listMembers(db, mid, user.id) } satisfies MembersResponse
  })

  app.patch(`${base}/members/:memberId`, async request => {
    const { mid, memberId } = parse(memberParams, request.params, 'params')
    const { user } = await requireMember(deps, request, mid, { owner: true })
    const { role } = parse(memberPatchBody, request.body, 'body')
    const member = await changeMemberRole(db, { merchantId: mid, memberId, actorId: user.id, role }, clock.now())
    return { member } satisfies MemberResponse
  })

  app.delete(`${base}/members/:memberId`, async (request, reply) => {
    const { mid, memberId } = parse(memberParams, request.params, 'params')
    const { user } = await requireMember(deps, request, mid, { owner: true })
    await removeMember(db, { merchantId: mid, memberId, actorId: user.id }, clock.now())
    return reply.status(204).send()
  })

  app.get(`${base}/audit`, async request => {
    const { mid } = parse(merchantParams, request.params, 'params')
    await requireMember(deps, request, mid)
    const page = parse(auditQuery, request.query, 'query')
    return (await listAudit(db, mid, page)) satisfies AuditResponse
  })

  /** The console's 微信支付 panel: the notify URL, whether WeChat Pay has it, and what to set where. */
  app.get(`${base}/wechat-pay`, async (request, reply) => {
    const { mid } = parse(merchantParams, request.params, 'params')
    await requireMember(deps, request, mid)
    // Read live from WeChat Pay each time: a stale answer would hide a fix just made on its platform.
    reply.header('cache-control', 'no-store')
    return { wechatPay: await wechatPayStatus(deps) } satisfies ConsoleWechatPayResponse
  })

  /** The member invite link, opened in WeChat or a browser: log in, join, go to the console. */
  app.get('/console/join', async (request, reply) => {
    const page = (status: number, title: string, message: string) =>
      reply
        .status(status)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(messagePage({ title, message, actions: [{ label: '打开管理后台', href: '/console', primary: false }] }))
    const q = memberJoinQuery.safeParse(request.query)
    if (!q.success) return page(400, '邀请链接无效', '请向店主重新索取邀请链接。')
    const user = await sessionUser(deps, request)
    if (!user) return reply.redirect(consoleLogin(`/console/join?invite=${encodeURIComponent(q.data.invite)}`), 302)
    // A snapshot-page (快照页) user is a stand-in WeChat makes up, not the person: they can't join as themselves.
    if (user.is_snapshot === 1) return page(403, '请使用完整服务', '请点击屏幕下方“使用完整服务”后，再打开邀请链接。')
    const outcome = await acceptMemberInvite(db, q.data.invite, user.id, clock.now())
    if (outcome.ok) return reply.redirect('/console', 302)
    if (outcome.reason === 'used')
      return page(409, '邀请链接已被使用', '每个邀请链接只能使用一次，请向店主索取新的链接。')
    if (outcome.reason === 'expired') return page(409, '邀请链接已过期', '请向店主索取新的邀请链接。')
    return page(400, '邀请链接无效', '请向店主重新索取邀请链接。')
  })
}
