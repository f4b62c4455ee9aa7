import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { clerkInviteBody, clerkParams } from '../../shared/api/admin.ts'
import { storeParams } from '../../shared/api/offers.ts'
import { loginPath } from '../../shared/routes.ts'
import { requireAdmin } from '../auth/admin.ts'
import { sessionUser } from '../auth/users.ts'
import type { Deps } from '../deps.ts'
import { AppError, notFound, parse } from '../http/errors.ts'
import { messagePage } from '../http/page.ts'
import { isoOf } from '../../shared/time.ts'
import {
  acceptInvite,
  clerkInviteUrl,
  clerkStores,
  createInvite,
  listClerks,
  maskName,
  revokeClerk,
} from './service.ts'

const joinQuery = z.object({ invite: z.string().max(64) }).strict()

export function clerkRoutes(app: FastifyInstance, deps: Deps): void {
  const { config, db, clock } = deps

  app.post('/api/admin/stores/:storeId/clerk-invites', async (request, reply) => {
    requireAdmin(deps, request)
    const { storeId } = parse(storeParams, request.params, 'params')
    const { ttlMinutes } = parse(clerkInviteBody, request.body, 'body')
    const invite = await createInvite(db, storeId, ttlMinutes * 60, clock.now())
    return reply
      .status(201)
      .send({ url: clerkInviteUrl(config.publicUrl, invite.token), expiresAt: isoOf(invite.expiresAt) })
  })

  app.get('/api/admin/stores/:storeId/clerks', async request => {
    requireAdmin(deps, request)
    const { storeId } = parse(storeParams, request.params, 'params')
    const clerks = await listClerks(db, storeId)
    return {
      clerks: clerks.map(c => ({
        id: c.id,
        storeId: c.store_id,
        name: maskName(c.nickname, c.openid),
        createdAt: isoOf(c.created_at),
        revokedAt: c.revoked_at === null ? null : isoOf(c.revoked_at),
      })),
    }
  })

  app.delete('/api/admin/clerks/:clerkId', async (request, reply) => {
    requireAdmin(deps, request)
    const { clerkId } = parse(clerkParams, request.params, 'params')
    const userId = await revokeClerk(db, clerkId, clock.now())
    if (!userId) throw notFound('clerk')
    // A phone left logged in at the counter stops working at once, on every process.
    await deps.sessions.revokeAll(userId)
    return reply.status(204).send()
  })

  /** The invite link, opened in WeChat: log in, become a clerk of the store, go to the counter page. */
  app.get('/clerk/join', async (request, reply) => {
    const page = (status: number, title: string, message: string) =>
      reply
        .status(status)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(messagePage({ title, message, actions: [{ label: '返回首页', href: '/', primary: false }] }))
    const q = joinQuery.safeParse(request.query)
    if (!q.success) return page(400, '邀请链接无效', '请向商户重新索取店员邀请链接。')
    const user = await sessionUser(deps, request)
    if (!user) return reply.redirect(loginPath(`/clerk/join?invite=${encodeURIComponent(q.data.invite)}`), 302)
    const outcome = await acceptInvite(db, q.data.invite, user.id, clock.now())
    if (outcome.ok) return reply.redirect(`/clerk?store=${outcome.storeId}`, 302)
    if (outcome.reason === 'used')
      return page(409, '邀请链接已被使用', '每个邀请链接只能使用一次，请向商户索取新的链接。')
    if (outcome.reason === 'expired') return page(409, '邀请链接已过期', '请向商户索取新的店员邀请链接。')
    return page(400, '邀请链接无效', '请向商户重新索取店员邀请链接。')
  })

  app.get('/api/clerk/me', async request => {
    const user = await sessionUser(deps, request)
    if (!user) throw new AppError('unauthenticated', '请先登录', { loginUrl: loginPath('/clerk') })
    const stores = await clerkStores(db, user.id)
    if (stores.length === 0) throw new AppError('forbidden', '你还不是店员，请向商户索取店员邀请链接')
    return {
      stores: stores.map(s => ({
        id: s.id,
        name: s.name,
        address: s.address,
        merchant: { id: s.merchant_id, name: s.merchant_name },
      })),
    }
  })
}
