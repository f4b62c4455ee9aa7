/** Pushes WeChat already delivered: it retries one it thinks was missed, and each is handled once. */
import type { Db } from '../db/index.ts'
import { dedupKey, type PushEvent } from './push.ts'

/** Records the push; false when it was recorded before (a retry), in which case nothing is to be done. */
export async function recordPushOnce(db: Db, event: PushEvent, now: number): Promise<boolean> {
  const fresh = await db
    .insertInto('wx_push_events')
    .values({
      dedup_key: dedupKey(event),
      event: event.Event ?? event.MsgType!,
      from_user: event.FromUserName!,
      payload: JSON.stringify(event),
      received_at: now,
    })
    .onConflict(oc => oc.column('dedup_key').doNothing())
    .executeTakeFirst()
  return Number(fresh.numInsertedOrUpdatedRows ?? 0n) === 1
}
