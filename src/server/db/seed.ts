/**
 * The demo merchant: a café chain with two stores and offers that show every rule —
 * a cash coupon with a threshold (a legacy wallet card), a 商家券 one (a WeChat Pay stock),
 * a discount, a gift limited to one store, one nearly sold out, one not yet started and one
 * ended. Times are relative to the seeding moment.
 */
import { newId } from '../random.ts'
import type { Db } from './index.ts'
import type { OfferLifecycle, OffersTable } from './schema.ts'
import { bumpCatalog } from '../offers/catalog.ts'

const DAY = 86_400

export const demo = {
  merchantId: 'shanchuan',
  stores: { nanjing: 'nanjingxilu', jingan: 'jingansi' },
  offers: {
    cash: 'latte-10off',
    busifavor: 'americano-5off',
    discount: 'all-88',
    gift: 'cookie-gift',
    scarce: 'opening-30off',
    upcoming: 'xmas-2026',
    ended: 'national-day',
  },
}

export async function seedIsNeeded(db: Db): Promise<boolean> {
  const row = await db.selectFrom('merchants').select('id').limit(1).executeTakeFirst()
  return !row
}

/**
 * The 商家券 offer, on its own so its stock can be created before the offer is seeded: the stock
 * (sandbox/seed.ts) is made from these very fields.
 */
export function demoBusifavorOffer(now: number) {
  return {
    id: demo.offers.busifavor,
    title: '美式咖啡满30减5',
    description: '美式咖啡单笔满30元立减5元，可放入微信卡包',
    kind: 'cash',
    value_fen: 500,
    threshold_fen: 3000,
    discount_percent: null,
    stock_total: 1000,
    stock_left: 1000,
    per_user_limit: 2,
    starts_at: now - DAY + 4,
    ends_at: now + 90 * DAY,
    validity_type: 'fixed',
    valid_from: now - DAY,
    valid_to: now + 60 * DAY,
    valid_days: null,
  } satisfies Partial<OffersTable>
}

/**
 * `wxCardId` links the first offer to a WeChat card, `wxStockId` the 商家券 offer to a WeChat Pay
 * stock (the sandbox's, in sandbox mode); without them they, like the others, stay H5-only.
 */
export async function seedDemo(
  db: Db,
  now: number,
  opts: { wxCardId?: string | null; wxStockId?: string | null } = {},
): Promise<void> {
  await db.transaction().execute(async trx => {
    // Two processes starting on one empty database both see it empty: the merchant row decides who seeds.
    const first = await trx
      .insertInto('merchants')
      .values({ id: demo.merchantId, name: '山川咖啡', logo_url: null, created_at: now })
      .onConflict(oc => oc.column('id').doNothing())
      .executeTakeFirst()
    if (Number(first.numInsertedOrUpdatedRows ?? 0n) === 0) return
    await trx
      .insertInto('stores')
      .values([
        {
          id: demo.stores.nanjing,
          merchant_id: demo.merchantId,
          name: '南京西路店',
          address: '上海市静安区南京西路1266号1层',
          created_at: now,
        },
        {
          id: demo.stores.jingan,
          merchant_id: demo.merchantId,
          name: '静安寺店',
          address: '上海市静安区愚园路68号',
          created_at: now + 1,
        },
      ])
      .execute()
    const base = {
      merchant_id: demo.merchantId,
      value_fen: 0,
      threshold_fen: 0,
      discount_percent: null,
      gift_name: null,
      image_url: null,
      per_user_limit: 1,
      starts_at: now - DAY,
      ends_at: now + 90 * DAY,
      validity_type: 'relative',
      valid_from: null,
      valid_to: null,
      valid_days: 30,
      all_stores: 1,
      wx_card_id: null,
      wx_stock_id: null,
      created_at: now,
      updated_at: now,
    } satisfies Partial<OffersTable & OfferLifecycle>
    const offers: (OffersTable & Partial<OfferLifecycle>)[] = [
      {
        ...base,
        id: demo.offers.cash,
        title: '拿铁满50减10',
        kind: 'cash',
        value_fen: 1000,
        threshold_fen: 5000,
        description: '任意饮品与烘焙满50元立减10元',
        rules: '单笔消费满50元可用\n每单限用1张，不与其他优惠同享\n全部门店通用',
        stock_total: 1000,
        stock_left: 1000,
        per_user_limit: 2,
        validity_type: 'fixed',
        valid_from: now - DAY,
        valid_to: now + 60 * DAY,
        valid_days: null,
        wx_card_id: opts.wxCardId ?? null,
      },
      {
        ...base,
        ...demoBusifavorOffer(now),
        rules: '单笔消费满30元可用\n可添加到微信卡包，到店出示卡包或本页券码均可\n全部门店通用',
        wx_stock_id: opts.wxStockId ?? null,
      },
      {
        ...base,
        id: demo.offers.discount,
        title: '全场饮品8.8折',
        kind: 'discount',
        discount_percent: 88,
        starts_at: now - DAY + 1,
        description: '全场现制饮品享8.8折',
        rules: '仅限现制饮品，烘焙与周边除外\n领取后30天内有效',
        stock_total: 500,
        stock_left: 500,
      },
      {
        ...base,
        id: demo.offers.gift,
        title: '满30赠手工曲奇',
        kind: 'gift',
        gift_name: '手工曲奇一份',
        threshold_fen: 3000,
        all_stores: 0,
        starts_at: now - DAY + 2,
        description: '单笔满30元，赠送当日手工曲奇一份',
        rules: '仅限南京西路店使用\n赠品数量有限，送完即止',
        stock_total: 300,
        stock_left: 300,
        valid_days: 14,
      },
      {
        ...base,
        id: demo.offers.scarce,
        title: '新店开业满100减30',
        kind: 'cash',
        value_fen: 3000,
        threshold_fen: 10000,
        starts_at: now - DAY + 3,
        description: '静安寺店开业庆典，满100元立减30元',
        rules: '单笔消费满100元可用\n数量有限，先到先得',
        stock_total: 200,
        stock_left: 3,
        valid_days: 7,
      },
      {
        ...base,
        id: demo.offers.upcoming,
        title: '圣诞限定 第二杯半价',
        kind: 'discount',
        discount_percent: 75,
        starts_at: now + 10 * DAY,
        ends_at: now + 40 * DAY,
        description: '圣诞季第二杯饮品半价（折合7.5折）',
        rules: '活动开始后可领取\n限圣诞季饮品',
        stock_total: 800,
        stock_left: 800,
      },
      {
        ...base,
        id: demo.offers.ended,
        title: '国庆特惠 满40减8',
        kind: 'cash',
        value_fen: 800,
        threshold_fen: 4000,
        starts_at: now - 60 * DAY,
        ends_at: now - 30 * DAY,
        description: '国庆假期专享',
        rules: '活动已结束',
        stock_total: 500,
        stock_left: 112,
      },
    ]
    await trx.insertInto('offers').values(offers).execute()
    await trx.insertInto('offer_stores').values({ offer_id: demo.offers.gift, store_id: demo.stores.nanjing }).execute()
    await bumpCatalog(trx)
  })
}

/**
 * The demo café's owner, a person with a WeChat identity like any other (in the sandbox, one of its
 * personas), so a newcomer can sign in to the console and find the demo's offers. Only while the café
 * has no members at all: an owner removed or replaced since stays so. Every write is an insert that
 * yields to a row already there, so processes starting together agree.
 */
export async function seedDemoOwner(db: Db, owner: { openid: string; nickname: string }, now: number): Promise<void> {
  await db.transaction().execute(async trx => {
    const merchant = await trx.selectFrom('merchants').select('id').where('id', '=', demo.merchantId).executeTakeFirst()
    if (!merchant) return
    const member = await trx
      .selectFrom('merchant_members')
      .select('id')
      .where('merchant_id', '=', demo.merchantId)
      .limit(1)
      .executeTakeFirst()
    if (member) return
    await trx
      .insertInto('users')
      .values({
        id: newId(),
        openid: owner.openid,
        nickname: owner.nickname,
        avatar_url: null,
        is_snapshot: 0,
        created_at: now,
        last_login_at: now,
      })
      .onConflict(oc => oc.column('openid').doNothing())
      .execute()
    const user = await trx.selectFrom('users').select('id').where('openid', '=', owner.openid).executeTakeFirstOrThrow()
    await trx
      .insertInto('merchant_members')
      .values({ id: newId(), merchant_id: demo.merchantId, user_id: user.id, role: 'owner', created_at: now })
      .onConflict(oc => oc.columns(['merchant_id', 'user_id']).doNothing())
      .execute()
  })
}
