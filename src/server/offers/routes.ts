import type { FastifyInstance } from 'fastify'
import { attributionSchema, offerListQuery, offerParams, storeParams } from '../../shared/contract.ts'
import { recordEvent } from '../analytics/events.ts'
import { sessionUser } from '../auth/users.ts'
import type { Deps } from '../deps.ts'
import { notFound, parse } from '../http/errors.ts'
import { getOffer, getStore, listLiveOffers } from './service.ts'

export function offerRoutes(app: FastifyInstance, deps: Deps): void {
  const { db, clock } = deps

  app.get('/api/offers', async request => {
    const q = parse(offerListQuery, request.query, 'query')
    const user = await sessionUser(deps, request)
    return { offers: await listLiveOffers(db, { storeId: q.store, userId: user?.id ?? null }, clock.now()) }
  })

  app.get('/api/offers/:offerId', async request => {
    const { offerId } = parse(offerParams, request.params, 'params')
    const user = await sessionUser(deps, request)
    const offer = await getOffer(db, offerId, user?.id ?? null, clock.now())
    if (!offer) throw notFound('offer')
    return { offer }
  })

  app.get('/api/stores/:storeId', async request => {
    const { storeId } = parse(storeParams, request.params, 'params')
    const user = await sessionUser(deps, request)
    const store = await getStore(db, storeId)
    if (!store) throw notFound('store')
    const { merchantId: _, ...dto } = store
    return { store: dto, offers: await listLiveOffers(db, { storeId, userId: user?.id ?? null }, clock.now()) }
  })

  /** A view of an offer reached inside the app; landing pages record theirs while rendering. */
  app.post('/api/offers/:offerId/views', async (request, reply) => {
    const { offerId } = parse(offerParams, request.params, 'params')
    const a = parse(attributionSchema, request.body, 'body')
    const offer = await db
      .selectFrom('offers')
      .select(['id', 'merchant_id'])
      .where('id', '=', offerId)
      .executeTakeFirst()
    if (!offer) throw notFound('offer')
    const user = await sessionUser(deps, request)
    await recordView(deps, offer, a, user?.id ?? null)
    return reply.status(204).send()
  })
}

export async function recordView(
  deps: Deps,
  offer: { id: string; merchant_id: string },
  a: { ch?: string; ref?: string; store?: string },
  userId: string | null,
) {
  const store = a.store
    ? await deps.db
        .selectFrom('stores')
        .select('id')
        .where('id', '=', a.store)
        .where('merchant_id', '=', offer.merchant_id)
        .executeTakeFirst()
    : undefined
  await recordEvent(
    deps.db,
    {
      type: 'view',
      merchant_id: offer.merchant_id,
      offer_id: offer.id,
      user_id: userId,
      store_id: store?.id ?? null,
      channel: a.ch ?? 'direct',
      ref: a.ref ?? null,
    },
    deps.clock.now(),
  )
}
