import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { attributionSchema } from '../../shared/api/common.ts'
import { offerListQuery, offerParams, storeParams } from '../../shared/api/offers.ts'
import { recordView } from '../analytics/views.ts'
import { visitorOf } from '../analytics/visitors.ts'
import { sessionOf } from '../auth/users.ts'
import type { Deps } from '../deps.ts'
import { notFound, parse } from '../http/errors.ts'
import { MomentCache } from './moment-cache.ts'
import { getOffer, getStore, listLiveOffers, offerMerchant } from './service.ts'

export function offerRoutes(app: FastifyInstance, deps: Deps): void {
  const { clock } = deps
  // Capped: `?store=` takes any well-formed id, and a probe's made-up ones must not fill memory.
  const ready = new MomentCache<string>(deps.catalog, 1000)

  /**
   * Answers `make()` as JSON: for a logged-out reader from the ready answers, for a logged-in one
   * (whose claim counts are theirs) made afresh. Who reads comes from the signed session alone.
   */
  async function answer(
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    make: (userId: string | null, now: number) => Promise<object | null>,
    missing: () => Error,
  ) {
    const userId = sessionOf(deps, request)?.uid ?? null
    const now = clock.now()
    if (userId) {
      const value = await make(userId, now)
      if (!value) throw missing()
      return value
    }
    const body = await ready.get(key, now, async () => {
      const value = await make(null, now)
      return value === null ? null : JSON.stringify(value)
    })
    if (body === null) throw missing()
    return reply.type('application/json; charset=utf-8').send(body)
  }

  app.get('/api/offers', async (request, reply) => {
    const q = parse(offerListQuery, request.query, 'query')
    return answer(
      request,
      reply,
      `list:${q.store ?? ''}`,
      async (userId, now) => ({ offers: await listLiveOffers(deps.catalog, { storeId: q.store, userId }, now) }),
      () => notFound('offer'),
    )
  })

  app.get('/api/offers/:offerId', async (request, reply) => {
    const { offerId } = parse(offerParams, request.params, 'params')
    return answer(
      request,
      reply,
      `offer:${offerId}`,
      async (userId, now) => {
        const offer = await getOffer(deps.catalog, offerId, userId, now)
        return offer ? { offer } : null
      },
      () => notFound('offer'),
    )
  })

  app.get('/api/stores/:storeId', async (request, reply) => {
    const { storeId } = parse(storeParams, request.params, 'params')
    return answer(
      request,
      reply,
      `store:${storeId}`,
      async (userId, now) => {
        const store = await getStore(deps.catalog, storeId)
        if (!store) return null
        const { merchantId: _, ...dto } = store
        return { store: dto, offers: await listLiveOffers(deps.catalog, { storeId, userId }, now) }
      },
      () => notFound('store'),
    )
  })

  /** A view of an offer reached inside the app; landing pages record theirs while rendering. */
  app.post('/api/offers/:offerId/views', async (request, reply) => {
    const { offerId } = parse(offerParams, request.params, 'params')
    const a = parse(attributionSchema, request.body, 'body')
    const merchantId = await offerMerchant(deps.catalog, offerId)
    if (!merchantId) throw notFound('offer')
    const viewer = {
      userId: sessionOf(deps, request)?.uid ?? null,
      ip: request.ip,
      visitor: visitorOf(deps, request, reply),
    }
    await recordView(deps, { merchantId, offerId }, a, viewer)
    return reply.status(204).send()
  })
}
