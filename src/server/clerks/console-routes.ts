/**
 * The console's clerks: an invite link per store, the store's clerks, and revoking one (which also
 * ends the clerk's sessions, as the operator's route does: a phone left at the counter stops at once).
 */
import type { FastifyInstance } from 'fastify'
import { clerkInviteBody, type InviteResponse } from '../../shared/api/admin.ts'
import { type ConsoleClerksResponse, consoleClerkParams } from '../../shared/api/clerks.ts'
import { consoleStoreParams } from '../../shared/api/stores.ts'
import { isoOf } from '../../shared/time.ts'
import type { Deps } from '../deps.ts'
import { parse } from '../http/errors.ts'
import { requireMember } from '../merchants/guard.ts'
import { inviteClerk, listConsoleClerks, revokeClerkOf } from './console-service.ts'
import { clerkInviteUrl } from './service.ts'

export function consoleClerkRoutes(app: FastifyInstance, deps: Deps): void {
  const { config, db, clock } = deps
  const base = '/api/console/merchants/:mid'

  app.post(`${base}/stores/:sid/clerk-invites`, async (request, reply) => {
    const { mid, sid } = parse(consoleStoreParams, request.params, 'params')
    const { user } = await requireMember(deps, request, mid)
    const { ttlMinutes } = parse(clerkInviteBody, request.body, 'body')
    const who = { merchantId: mid, actorId: user.id, storeId: sid, ttlSeconds: ttlMinutes * 60 }
    const invite = await inviteClerk(db, who, clock.now())
    return reply.status(201).send({
      url: clerkInviteUrl(config.publicUrl, invite.token),
      expiresAt: isoOf(invite.expiresAt),
    } satisfies InviteResponse)
  })

  app.get(`${base}/stores/:sid/clerks`, async request => {
    const { mid, sid } = parse(consoleStoreParams, request.params, 'params')
    await requireMember(deps, request, mid)
    return { clerks: await listConsoleClerks(db, mid, sid) } satisfies ConsoleClerksResponse
  })

  app.delete(`${base}/clerks/:cid`, async (request, reply) => {
    const { mid, cid } = parse(consoleClerkParams, request.params, 'params')
    const { user } = await requireMember(deps, request, mid)
    const revoked = await revokeClerkOf(db, { merchantId: mid, actorId: user.id, clerkId: cid }, clock.now())
    // After the commit: the revocation is a write of its own, and it must not wait on that transaction.
    if (revoked) await deps.sessions.revokeAll(revoked)
    return reply.status(204).send()
  })
}
