/**
 * WeChat Pay retries a notification until it hears 2xx, and may send one twice: each is recorded
 * by its id, and its handler runs in the transaction that records it, the first time only.
 */
import type { Transaction } from 'kysely'
import type { Db } from '../db/index.ts'
import type { Database } from '../db/schema.ts'
import type { WxPayNotification } from './notify.ts'

export async function handleOnce(
  db: Db,
  n: WxPayNotification,
  now: number,
  handle: (trx: Transaction<Database>) => Promise<void>,
): Promise<void> {
  await db.transaction().execute(async trx => {
    const fresh = await trx
      .insertInto('wxpay_notifications')
      .values({ id: n.id, event_type: n.eventType, resource: JSON.stringify(n.resource), received_at: now })
      .onConflict(oc => oc.column('id').doNothing())
      .executeTakeFirst()
    if (Number(fresh.numInsertedOrUpdatedRows ?? 0n) > 0) await handle(trx)
  })
}
