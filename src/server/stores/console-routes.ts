/** The console's stores, under /api/console/merchants/:mid/stores. */
import type { FastifyInstance } from 'fastify'
import { merchantParams } from '../../shared/api/console.ts'
import {
  type ConsoleStoreResponse,
  type ConsoleStoresResponse,
  consoleStoreParams,
  storeInput,
  storePatch,
} from '../../shared/api/stores.ts'
import type { Deps } from '../deps.ts'
import { parse } from '../http/errors.ts'
import { requireMember } from '../merchants/guard.ts'
import { createStore, listConsoleStores, updateStore } from './console-service.ts'

export function consoleStoreRoutes(app: FastifyInstance, deps: Deps): void {
  const { db, clock } = deps
  const base = '/api/console/merchants/:mid/stores'

  app.get(base, async request => {
    const { mid } = parse(merchantParams, request.params, 'params')
    await requireMember(deps, request, mid)
    return { stores: await listConsoleStores(db, mid) } satisfies ConsoleStoresResponse
  })

  app.post(base, async (request, reply) => {
    const { mid } = parse(merchantParams, request.params, 'params')
    const { user } = await requireMember(deps, request, mid)
    const input = parse(storeInput, request.body, 'body')
    const store = await createStore(db, { merchantId: mid, actorId: user.id }, input, clock.now())
    return reply.status(201).send({ store } satisfies ConsoleStoreResponse)
  })

  app.patch(`${base}/:sid`, async request => {
    const { mid, sid } = parse(consoleStoreParams, request.params, 'params')
    const { user } = await requireMember(deps, request, mid)
    const patch = parse(storePatch, request.body, 'body')
    const store = await updateStore(db, { merchantId: mid, actorId: user.id, storeId: sid }, patch, clock.now())
    return { store } satisfies ConsoleStoreResponse
  })
}
