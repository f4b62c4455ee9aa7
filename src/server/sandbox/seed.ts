/**
 * The demo merchant's wallet homes as the sandbox's WeChat and WeChat Pay know them: a custom-code
 * coupon card, and a MERCHANT_API 商家券 stock made through the sandbox's own stock service.
 */
import type { Config } from '../config.ts'
import type { Db } from '../db/index.ts'
import { demoBusifavorOffer } from '../db/seed.ts'
import { stockRequestFor } from '../wallet/busifavor-stock.ts'
import { sandboxDb } from './schema.ts'
import { PayRefusal } from './wxpay/http.ts'
import { SANDBOX_MCHID } from './wxpay/keys.ts'
import { createStock, stockRequest } from './wxpay/stocks.ts'

export const DEMO_CARD_ID = 'pKQsandboxDemoLatte10off0001'
/** The demo café's owner as a sandbox persona: a fixed openid (28 characters, as WeChat's), listed first when scanning. */
export const DEMO_OWNER = { openid: 'oKQdemoOwnerLaoWang000000001', nickname: '老王（店长）' }
const DEMO_STOCK_REQUEST_NO = 'KQdemoAmericano5off'

export async function createSandboxCard(db: Db, now: number): Promise<string> {
  await sandboxDb(db)
    .insertInto('sandbox_cards')
    .values({ card_id: DEMO_CARD_ID, title: '拿铁满50减10', brand_name: '山川咖啡', color: '#c0392b', created_at: now })
    .onConflict(oc => oc.column('card_id').doNothing())
    .execute()
  return DEMO_CARD_ID
}

/** The demo 商家券 offer's stock; the same out_request_no again (a second process, a restart) finds the first. */
export async function createSandboxStock(db: Db, config: Config, now: number): Promise<string> {
  const request = stockRequest.parse({
    ...stockRequestFor(demoBusifavorOffer(now), SANDBOX_MCHID, DEMO_STOCK_REQUEST_NO),
    notify_config: { notify_appid: config.wx.appId },
    display_pattern_info: { description: '美式咖啡满30元减5元', background_color: 'Color020' },
  })
  try {
    return (await createStock(db, { mchid: SANDBOX_MCHID, appId: config.wx.appId }, request, now)).stock_id
  } catch (err) {
    if (!(err instanceof PayRefusal) || err.code !== 'RESOURCE_ALREADY_EXISTS') throw err
    const row = await sandboxDb(db)
      .selectFrom('sandbox_wxpay_stocks')
      .select('stock_id')
      .where('creator_mchid', '=', SANDBOX_MCHID)
      .where('out_request_no', '=', DEMO_STOCK_REQUEST_NO)
      .executeTakeFirstOrThrow()
    return row.stock_id
  }
}

/** The owner's phone in the sandbox; the owner's Kaquan user and membership are db/seed.ts's seedDemoOwner. */
export async function createSandboxOwner(db: Db, now: number): Promise<typeof DEMO_OWNER> {
  await sandboxDb(db)
    .insertInto('sandbox_users')
    .values({ ...DEMO_OWNER, avatar_color: '#576b95', snapshot: 0, created_at: now })
    .onConflict(oc => oc.column('openid').doNothing())
    .execute()
  return DEMO_OWNER
}
