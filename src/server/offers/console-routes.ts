/** The console's offers, under /api/console/merchants/:mid/offers: list, create, read, edit (If-Match), stock top-up. */
import type { FastifyInstance } from 'fastify'
import { merchantParams } from '../../shared/api/console.ts'
import {
  type ConsoleOfferResponse,
  type ConsoleOffersResponse,
  consoleOfferParams,
  ifMatchSchema,
  offerInput,
  offerPatch,
  stockTopUpBody,
} from '../../shared/api/offers.ts'
import type { Deps } from '../deps.ts'
import { parse } from '../http/errors.ts'
import { requireMember } from '../merchants/guard.ts'
import { getConsoleOffer, listConsoleOffers } from './console-read.ts'
import { createOffer, topUpStock, updateOffer } from './console-service.ts'

/** `If-Match: 3`, also as an entity tag (`"3"`, `W/"3"`) since that is the header's usual form. */
const versionOf = (header: string | string[] | undefined) =>
  typeof header === 'string'
    ? header
        .trim()
        .replace(/^W\//, '')
        .replace(/^"(.*)"$/, '$1')
    : header

export function consoleOfferRoutes(app: FastifyInstance, deps: Deps): void {
  const { db, clock } = deps
  const base = '/api/console/merchants/:mid/offers'

  app.get(base, async request => {
    const { mid } = parse(merchantParams, request.params, 'params')
    await requireMember(deps, request, mid)
    return { offers: await listConsoleOffers(db, mid) } satisfies ConsoleOffersResponse
  })

  app.post(base, async (request, reply) => {
    const { mid } = parse(merchantParams, request.params, 'params')
    const { user } = await requireMember(deps, request, mid)
    const input = parse(offerInput, request.body, 'body')
    const offer = await createOffer(deps, { merchantId: mid, actorId: user.id }, input, clock.now())
    return reply.status(201).send({ offer } satisfies ConsoleOfferResponse)
  })

  app.get(`${base}/:id`, async request => {
    const { mid, id } = parse(consoleOfferParams, request.params, 'params')
    await requireMember(deps, request, mid)
    return { offer: await getConsoleOffer(db, mid, id) } satisfies ConsoleOfferResponse
  })

  app.patch(`${base}/:id`, async request => {
    const { mid, id } = parse(consoleOfferParams, request.params, 'params')
    const { user } = await requireMember(deps, request, mid)
    const version = parse(ifMatchSchema, versionOf(request.headers['if-match']), 'header If-Match')
    const patch = parse(offerPatch, request.body, 'body')
    const who = { merchantId: mid, actorId: user.id, offerId: id, version, patch }
    return { offer: await updateOffer(deps, who, clock.now()) } satisfies ConsoleOfferResponse
  })

  app.post(`${base}/:id/stock`, async request => {
    const { mid, id } = parse(consoleOfferParams, request.params, 'params')
    const { user } = await requireMember(deps, request, mid)
    const { add } = parse(stockTopUpBody, request.body, 'body')
    const who = { merchantId: mid, actorId: user.id, offerId: id, add }
    return { offer: await topUpStock(deps, who, clock.now()) } satisfies ConsoleOfferResponse
  })
}
