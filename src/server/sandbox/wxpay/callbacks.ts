/** The notify URL each merchant id set through busifavor/callbacks, as WeChat Pay keeps it. */
import type { Db } from '../../db/index.ts'
import { sandboxDb } from '../schema.ts'

export async function setNotifyUrl(db: Db, mchid: string, notifyUrl: string, now: number): Promise<void> {
  await sandboxDb(db)
    .insertInto('sandbox_wxpay_callbacks')
    .values({ mchid, notify_url: notifyUrl, update_time: now })
    .onConflict(oc => oc.column('mchid').doUpdateSet({ notify_url: notifyUrl, update_time: now }))
    .execute()
}

export async function notifyUrlOf(db: Db, mchid: string): Promise<string | null> {
  const row = await sandboxDb(db)
    .selectFrom('sandbox_wxpay_callbacks')
    .select('notify_url')
    .where('mchid', '=', mchid)
    .executeTakeFirst()
  return row?.notify_url ?? null
}
