/** The demo merchant's card as the sandbox's WeChat knows it: a custom-code coupon card. */
import type { Db } from '../db/index.ts'
import { sandboxDb } from './schema.ts'

export const DEMO_CARD_ID = 'pKQsandboxDemoLatte10off0001'

export async function createSandboxCard(db: Db, now: number): Promise<string> {
  await sandboxDb(db)
    .insertInto('sandbox_cards')
    .values({ card_id: DEMO_CARD_ID, title: '拿铁满50减10', brand_name: '山川咖啡', color: '#c0392b', created_at: now })
    .onConflict(oc => oc.column('card_id').doNothing())
    .execute()
  return DEMO_CARD_ID
}
