import type { FastifyInstance } from 'fastify'
import { requireSession, requireUser } from '../auth/users.ts'
import { maskName, requireClerkOf } from '../clerks/service.ts'
import { couponDtos } from '../coupons/service.ts'
import type { Deps } from '../deps.ts'
import { parse } from '../http/errors.ts'
import {
  redeemBody,
  redemptionsQuery,
  type RedeemResponse,
  type RedemptionsResponse,
} from '../../shared/api/redemption.ts'
import { perUserLimit } from '../http/rate-limit.ts'
import { isoOf } from '../../shared/time.ts'
import { withGuessBudget } from './guesses.ts'
import { couponByCode, redeem, refusalConsumedInWeChat, todaysRedemptions } from './service.ts'
import { checkWallet } from './wallet-check.ts'

export function redemptionRoutes(app: FastifyInstance, deps: Deps): void {
  const { db, clock } = deps

  app.post('/api/redeem', { config: { rateLimit: perUserLimit(deps, 300) } }, async request => {
    const body = parse(redeemBody, request.body, 'body')
    // The clerk from the signed session and the clerks table: no user lookup at a busy counter.
    const user = { id: requireSession(deps, request, '/clerk').uid }
    const clerk = await requireClerkOf(db, user.id, body.storeId)
    const now = clock.now()
    const { coupon, wallet, consumer } = await withGuessBudget(db, user.id, now, async () => {
      const found = await couponByCode(db, body.code)
      // Only a coupon this counter could redeem is worth asking WeChat about.
      const ask = found && found.merchant_id === clerk.merchant_id && found.redeemed_at === null
      const wallet = ask ? await checkWallet(deps, found) : 'not_in_wallet'
      if (found && wallet === 'consumed') throw await refusalConsumedInWeChat(db, found, now)
      const input = {
        code: body.code,
        storeId: body.storeId,
        clerkUserId: user.id,
        merchantId: clerk.merchant_id,
        wallet,
      }
      const consumer = found ? maskName(found.holder_nickname, found.holder_openid) : ''
      return { coupon: await redeem(db, input, now, found), wallet, consumer }
    })
    const [dto] = await couponDtos(deps.catalog, [coupon], coupon.user_id, now)
    return {
      coupon: dto!,
      redeemedAt: isoOf(now),
      storeId: body.storeId,
      consumer,
      // queued: WeChat holds the wallet copy and will be told; unconfirmed: WeChat did not answer in time.
      walletSync: wallet === 'usable' ? 'queued' : wallet === 'unconfirmed' ? 'unconfirmed' : null,
    } satisfies RedeemResponse
  })

  app.get('/api/clerk/redemptions', async request => {
    const { store } = parse(redemptionsQuery, request.query, 'query')
    const user = await requireUser(deps, request, '/clerk')
    await requireClerkOf(db, user.id, store)
    const rows = await todaysRedemptions(db, store, clock.now())
    return {
      redemptions: rows.map(r => ({
        couponId: r.id,
        code: `${r.code.slice(0, 4)} **** **** ${r.code.slice(-4)}`,
        title: r.title,
        redeemedAt: isoOf(r.redeemed_at!),
        consumer: maskName(r.nickname, r.openid),
      })),
    } satisfies RedemptionsResponse
  })
}
