import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { idSchema } from '../../shared/api/common.ts'
import { requireUser } from '../auth/users.ts'
import { maskName, requireClerkOf } from '../clerks/service.ts'
import { couponDtos } from '../coupons/service.ts'
import type { Deps } from '../deps.ts'
import { parse } from '../http/errors.ts'
import { perUserLimit } from '../http/rate-limit.ts'
import { iso } from '../offers/service.ts'
import { withGuessBudget } from './guesses.ts'
import { alreadyRedeemed, couponByCode, markConsumedInWeChat, redeem, todaysRedemptions } from './service.ts'
import { checkWallet } from './wallet-check.ts'

const redeemBody = z.object({ code: z.string().min(1).max(64), storeId: idSchema }).strict()
const storeQuery = z.object({ store: idSchema }).strict()

export function redemptionRoutes(app: FastifyInstance, deps: Deps): void {
  const { db, clock } = deps

  app.post('/api/redeem', { config: { rateLimit: perUserLimit(deps, 300) } }, async request => {
    const body = parse(redeemBody, request.body, 'body')
    const user = await requireUser(deps, request, '/clerk')
    const clerk = await requireClerkOf(db, user.id, body.storeId)
    const now = clock.now()
    const { coupon, wallet } = await withGuessBudget(db, user.id, now, async () => {
      const found = await couponByCode(db, body.code)
      // Only a coupon this counter could redeem is worth asking WeChat about.
      const ask = found && found.merchant_id === clerk.merchant_id && found.redeemed_at === null
      const wallet = ask ? await checkWallet(deps, found) : 'not_in_wallet'
      if (found && wallet === 'consumed') {
        await db.transaction().execute(trx => markConsumedInWeChat(trx, found, now))
        const settled = await db.selectFrom('coupons').selectAll().where('id', '=', found.id).executeTakeFirstOrThrow()
        throw await alreadyRedeemed(db, settled)
      }
      const input = {
        code: body.code,
        storeId: body.storeId,
        clerkUserId: user.id,
        merchantId: clerk.merchant_id,
        wallet,
      }
      return { coupon: await redeem(db, input, now), wallet }
    })
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
      // queued: WeChat holds the wallet copy and will be told; unconfirmed: WeChat did not answer in time.
      walletSync: wallet === 'usable' ? 'queued' : wallet === 'unconfirmed' ? 'unconfirmed' : null,
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
