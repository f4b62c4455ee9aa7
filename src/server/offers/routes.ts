import type { FastifyInstance } from 'fastify'
import { attributionSchema } from '../../shared/api/common.ts'
import { offerListQuery, offerParams, storeParams } from '../../shared/api/offers.ts'
import { recordView } from '../analytics/views.ts'
import { visitorOf } from '../analytics/visitors.ts'
import { sessionOf, sessionUser } from '../auth/users.ts'
import type { Deps } from '../deps.ts'
import { notFound, parse } from '../http/errors.ts'
import { getOffer, getStore, listLiveOffers, offerMerchant } from './service.ts'

export function offerRoutes(app: FastifyInstance, deps: Deps): void {
  const { clock } = deps

  app.get('/api/offers', async request => {
    const q = parse(offerListQuery, request.query, 'query')
    const user = await sessionUser(deps, request)
    return { offers: await listLiveOffers(deps.catalog, { storeId: q.store, userId: user?.id ?? null }, clock.now()) }
  })

  app.get('/api/offers/:offerId', async request => {
    const { offerId } = parse(offerParams, request.params, 'params')
    const user = await sessionUser(deps, request)
    const offer = await getOffer(deps.catalog, offerId, user?.id ?? null, clock.now())
    if (!offer) throw notFound('offer')
    return { offer }
  })

  app.get('/api/stores/:storeId', async request => {
    const { storeId } = parse(storeParams, request.params, 'params')
    const user = await sessionUser(deps, request)
    const store = await getStore(deps.catalog, storeId)
    if (!store) throw notFound('store')
    const { merchantId: _, ...dto } = store
    return {
      store: dto,
      offers: await listLiveOffers(deps.catalog, { storeId, userId: user?.id ?? null }, clock.now()),
    }
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
