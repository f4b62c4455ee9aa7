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
import { recordAudit } from '../merchants/audit.ts'
import { requireMember } from '../merchants/guard.ts'
import { storeRowOf } from '../stores/console-service.ts'
import { createInvite, listStoreClerks, maskName, revokeClerkOfMerchant } from './service.ts'

export function consoleClerkRoutes(app: FastifyInstance, deps: Deps): void {
  const { config, db, clock } = deps
  const base = '/api/console/merchants/:mid'

  app.post(`${base}/stores/:sid/clerk-invites`, async (request, reply) => {
    const { mid, sid } = parse(consoleStoreParams, request.params, 'params')
    const { user } = await requireMember(deps, request, mid)
    const { ttlMinutes } = parse(clerkInviteBody, request.body, 'body')
    const now = clock.now()
    const invite = await db.transaction().execute(async trx => {
      const store = await storeRowOf(trx, mid, sid)
      const made = await createInvite(trx, store.id, ttlMinutes * 60, now)
      await recordAudit(
        trx,
        {
          merchantId: mid,
          actorId: user.id,
          action: 'clerk.invite',
          target: { type: 'store', id: store.id, label: store.name },
          changes: [{ field: 'expiresAt', before: null, after: isoOf(made.expiresAt) }],
        },
        now,
      )
      return made
    })
    return reply.status(201).send({
      url: `${config.publicUrl}/clerk/join?invite=${invite.token}`,
      expiresAt: isoOf(invite.expiresAt),
    } satisfies InviteResponse)
  })

  app.get(`${base}/stores/:sid/clerks`, async request => {
    const { mid, sid } = parse(consoleStoreParams, request.params, 'params')
    await requireMember(deps, request, mid)
    const store = await storeRowOf(db, mid, sid)
    const rows = await listStoreClerks(db, store.id)
    return {
      clerks: rows.map(c => ({
        id: c.id,
        storeId: c.store_id,
        name: maskName(c.nickname, c.openid),
        joinedAt: isoOf(c.created_at),
        lastRedemptionAt: c.last_redemption_at === null ? null : isoOf(Number(c.last_redemption_at)),
        revokedAt: c.revoked_at === null ? null : isoOf(c.revoked_at),
      })),
    } satisfies ConsoleClerksResponse
  })

  app.delete(`${base}/clerks/:cid`, async (request, reply) => {
    const { mid, cid } = parse(consoleClerkParams, request.params, 'params')
    const { user } = await requireMember(deps, request, mid)
    const now = clock.now()
    const clerk = await db.transaction().execute(async trx => {
      const c = await revokeClerkOfMerchant(trx, mid, cid, now)
      if (c.revoked)
        await recordAudit(
          trx,
          {
            merchantId: mid,
            actorId: user.id,
            action: 'clerk.revoke',
            target: { type: 'clerk', id: c.id, label: maskName(c.nickname, c.openid) },
            changes: [{ field: 'revokedAt', before: null, after: isoOf(now) }],
          },
          now,
        )
      return c
    })
    // After the commit: the revocation is a write of its own, and it must not wait on this transaction.
    if (clerk.revoked) await deps.sessions.revokeAll(clerk.user_id)
    return reply.status(204).send()
  })
}
