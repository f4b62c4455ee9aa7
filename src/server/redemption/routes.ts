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
import { guessWindow, withGuessBudget } from './guesses.ts'
import {
  type CounterCoupon,
  couponAtCounter,
  redeem,
  redeemedCoupon,
  refusalConsumedInWeChat,
  todaysRedemptions,
  unknownCode,
} from './service.ts'
import { checkWallet, type WalletVerdict } from './wallet-check.ts'
import type { CouponsTable } from '../db/schema.ts'

export function redemptionRoutes(app: FastifyInstance, deps: Deps): void {
  const { db, clock } = deps

  app.post('/api/redeem', { config: { rateLimit: perUserLimit(deps, 300) } }, async request => {
    const body = parse(redeemBody, request.body, 'body')
    // The clerk from the signed session; the clerk's standing, the misses so far and the coupon in
    // one read (couponAtCounter): a busy counter's time goes to round trips.
    const clerkUserId = requireSession(deps, request, '/clerk').uid
    const now = clock.now()
    const misses = guessWindow(clerkUserId)
    const at = await couponAtCounter(db, body.code, { clerkUserId, storeId: body.storeId, misses, now })
    const merchantId = at?.clerkMerchantId ?? (await requireClerkOf(db, clerkUserId, body.storeId)).merchant_id
    if (at?.taken) {
      // Redeemed by the read itself (PostgreSQL, a coupon only on the H5 page that passed every check).
      const input = { storeId: body.storeId, clerkUserId }
      return answer(redeemedCoupon(at.coupon, input, now, 0), 'not_in_wallet', at.coupon, now)
    }
    const { coupon, wallet, holder } = await withGuessBudget(
      db,
      clerkUserId,
      now,
      async () => {
        if (!at) throw unknownCode()
        const found = at.coupon
        // Only a coupon this counter could redeem is worth asking WeChat about.
        const ask = found.merchant_id === merchantId && found.redeemed_at === null
        const wallet = ask ? await checkWallet(deps, found) : 'not_in_wallet'
        if (wallet === 'consumed') throw await refusalConsumedInWeChat(db, found, now)
        const input = { storeId: body.storeId, clerkUserId, merchantId, wallet }
        return { coupon: await redeem(db, input, now, at), wallet, holder: found }
      },
      at?.misses,
    )
    return answer(coupon, wallet, holder, now)
  })

  async function answer(coupon: CouponsTable, wallet: WalletVerdict, holder: CounterCoupon, now: number) {
    const [dto] = await couponDtos(deps.catalog, [coupon], coupon.user_id, now)
    return {
      coupon: dto!,
      redeemedAt: isoOf(now),
      storeId: coupon.redeemed_store_id!,
      consumer: maskName(holder.holder_nickname, holder.openid),
      // queued: WeChat holds the wallet copy and will be told; unconfirmed: WeChat did not answer in time.
      walletSync: wallet === 'usable' ? 'queued' : wallet === 'unconfirmed' ? 'unconfirmed' : null,
    } satisfies RedeemResponse
  }

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
