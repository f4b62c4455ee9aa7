import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { idSchema } from '../../shared/contract.ts'
import { requireUser } from '../auth/users.ts'
import { maskName, requireClerkOf } from '../clerks/service.ts'
import { couponDtos } from '../coupons/service.ts'
import type { Deps } from '../deps.ts'
import { AppError, parse } from '../http/errors.ts'
import { perUserLimit } from '../http/rate-limit.ts'
import { iso } from '../offers/service.ts'
import { redeem, todaysRedemptions } from './service.ts'

const redeemBody = z.object({ code: z.string().min(1).max(64), storeId: idSchema }).strict()
const storeQuery = z.object({ store: idSchema }).strict()

/** Wrong codes a clerk may try in a window before being slowed down: guessing 16-digit codes needs many. */
const GUESS_LIMIT = 10
const GUESS_WINDOW = 10 * 60

export function redemptionRoutes(app: FastifyInstance, deps: Deps): void {
  const { db, clock } = deps
  const misses = new Map<string, number[]>()

  app.post('/api/redeem', { config: { rateLimit: perUserLimit(deps, 300) } }, async request => {
    const body = parse(redeemBody, request.body, 'body')
    const user = await requireUser(deps, request, '/clerk')
    const clerk = await requireClerkOf(db, user.id, body.storeId)
    const now = clock.now()
    const recent = (misses.get(user.id) ?? []).filter(t => t > now - GUESS_WINDOW)
    if (recent.length >= GUESS_LIMIT) throw new AppError('rate_limited', '错误券码过多，请稍后再试')
    let coupon: Awaited<ReturnType<typeof redeem>>
    try {
      coupon = await redeem(
        db,
        { code: body.code, storeId: body.storeId, clerkUserId: user.id, merchantId: clerk.merchant_id },
        now,
      )
    } catch (err) {
      if (err instanceof AppError && err.code === 'unknown_code') misses.set(user.id, [...recent, now])
      throw err
    }
    const consumer = await db
      .selectFrom('users')
      .select(['nickname', 'openid'])
      .where('id', '=', coupon.user_id)
      .executeTakeFirstOrThrow()
    const [dto] = await couponDtos(db, [coupon], coupon.user_id, now)
    return {
      coupon: dto,
      redeemedAt: iso(now),
      storeId: body.storeId,
      consumer: maskName(consumer.nickname, consumer.openid),
    }
  })

  app.get('/api/clerk/redemptions', async request => {
    const { store } = parse(storeQuery, request.query, 'query')
    const user = await requireUser(deps, request, '/clerk')
    await requireClerkOf(db, user.id, store)
    const rows = await todaysRedemptions(db, store, clock.now())
    return {
      redemptions: rows.map(r => ({
        couponId: r.id,
        code: `${r.code.slice(0, 4)} **** **** ${r.code.slice(-4)}`,
        title: r.title,
        redeemedAt: iso(r.redeemed_at!),
        consumer: maskName(r.nickname, r.openid),
      })),
    }
  })
}
