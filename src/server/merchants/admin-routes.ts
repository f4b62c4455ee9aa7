/** The operator's merchant routes (bearer ADMIN_TOKEN): make a merchant with its owner's invite, list them all. */
import type { FastifyInstance } from 'fastify'
import { type AdminMerchantsResponse, type CreateMerchantResponse, createMerchantBody } from '../../shared/api/admin.ts'
import { isoOf } from '../../shared/time.ts'
import { requireAdmin } from '../auth/admin.ts'
import type { Deps } from '../deps.ts'
import { parse } from '../http/errors.ts'
import { memberInviteUrl } from './invites.ts'
import { createMerchant, listMerchants } from './service.ts'

export function adminMerchantRoutes(app: FastifyInstance, deps: Deps): void {
  const { config, db, clock } = deps

  app.post('/api/admin/merchants', async (request, reply) => {
    requireAdmin(deps, request)
    const { name } = parse(createMerchantBody, request.body, 'body')
    const { merchant, invite } = await createMerchant(db, name, clock.now())
    return reply.status(201).send({
      merchant,
      ownerInvite: { url: memberInviteUrl(config.publicUrl, invite.token), expiresAt: isoOf(invite.expiresAt) },
    } satisfies CreateMerchantResponse)
  })

  app.get('/api/admin/merchants', async request => {
    requireAdmin(deps, request)
    return { merchants: await listMerchants(db) } satisfies AdminMerchantsResponse
  })
}
