import type { FastifyInstance } from 'fastify'
import { attributionSchema } from '../../shared/api/common.ts'
import { couponParams, idempotencyKeySchema } from '../../shared/api/coupons.ts'
import { offerParams } from '../../shared/api/offers.ts'
import { requireSession, requireUser } from '../auth/users.ts'
import type { Deps } from '../deps.ts'
import { AppError, notFound, parse } from '../http/errors.ts'
import { perUserLimit } from '../http/rate-limit.ts'
import { claimCoupon, couponDtos, getCoupon, listCoupons } from './service.ts'

export function couponRoutes(app: FastifyInstance, deps: Deps): void {
  const { clock } = deps

  app.post('/api/offers/:offerId/claim', { config: { rateLimit: perUserLimit(deps, 30) } }, async (request, reply) => {
    const { offerId } = parse(offerParams, request.params, 'params')
    // Who is claiming comes from the signed session alone: no user lookup on the hottest write path.
    const session = requireSession(deps, request, `/o/${offerId}?claim=1`)
    if (session.snap === 1) throw new AppError('forbidden', '请点击屏幕下方“使用完整服务”后再领取')
    const key = parse(idempotencyKeySchema, request.headers['idempotency-key'], 'header Idempotency-Key')
    const attribution = parse(attributionSchema, request.body, 'body')
    const now = clock.now()
    const channelOf = (merchantId: string, ch?: string) => deps.channels.known(merchantId, ch)
    const input = { offerId, userId: session.uid, key, attribution, channelOf }
    const { coupon, created, claimed } = await claimCoupon(deps.catalog, input, now)
    const known = claimed === undefined ? undefined : new Map([[offerId, claimed]])
    const [dto] = await couponDtos(deps.catalog, [coupon], session.uid, now, known)
    return reply.status(created ? 201 : 200).send({ coupon: dto })
  })

  app.get('/api/coupons', async request => {
    const user = await requireUser(deps, request, '/me/coupons')
    return { coupons: await listCoupons(deps.catalog, user.id, clock.now()) }
  })

  app.get('/api/coupons/:couponId', async request => {
    const { couponId } = parse(couponParams, request.params, 'params')
    const user = await requireUser(deps, request, `/me/coupons/${couponId}`)
    const coupon = await getCoupon(deps.catalog, user.id, couponId, clock.now())
    if (!coupon) throw notFound('coupon')
    return { coupon }
  })
}
