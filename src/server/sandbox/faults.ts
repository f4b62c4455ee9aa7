/**
 * Faults on demand: "make the next N calls of this API answer -1 / 40001 / 45009, or hang",
 * and "make the bridge's next addCard fail or be cancelled". Stored in the database so a
 * test, the server and the bridge all see the same plan. Calls are counted for the same reason.
 */
import type { SandboxDb } from './schema.ts'

export const faultModes = [
  '-1',
  '40001',
  '45009',
  '40097',
  'hang',
  'fail',
  'cancel',
  // WeChat Pay (wxpay:<path> or wxpay:*): a 500, a 429, no answer at all, the change made but a 500
  // answered, a badly signed answer; and for wxpay:notify, a callback lost, sent twice, badly signed,
  // a signature probe, or stale.
  'SYSTEM_ERROR',
  '429',
  'drop',
  'afterEffect',
  'badsig',
  'lost',
  'twice',
  'probe',
  'stale',
] as const
export type FaultMode = (typeof faultModes)[number]

export async function planFault(db: SandboxDb, target: string, mode: FaultMode, count: number): Promise<void> {
  await db
    .insertInto('sandbox_faults')
    .values({ target, mode, remaining: count })
    .onConflict(oc => oc.column('target').doUpdateSet({ mode, remaining: count }))
    .execute()
}

export async function clearFaults(db: SandboxDb): Promise<void> {
  await db.deleteFrom('sandbox_faults').execute()
}

/** The fault planned for this call, if any, used up in one conditional update. */
export async function takeFault(db: SandboxDb, target: string): Promise<FaultMode | null> {
  const taken = await db
    .updateTable('sandbox_faults')
    .set(eb => ({ remaining: eb('remaining', '-', 1) }))
    .where('target', '=', target)
    .where('remaining', '>', 0)
    .executeTakeFirst()
  if (Number(taken.numUpdatedRows) === 0) return null
  const row = await db.selectFrom('sandbox_faults').select('mode').where('target', '=', target).executeTakeFirst()
  return (row?.mode as FaultMode) ?? null
}

export async function countCall(db: SandboxDb, api: string): Promise<void> {
  await db
    .insertInto('sandbox_calls')
    .values({ api, count: 1 })
    .onConflict(oc => oc.column('api').doUpdateSet(eb => ({ count: eb('sandbox_calls.count', '+', 1) })))
    .execute()
}

export async function callCounts(db: SandboxDb): Promise<Record<string, number>> {
  const rows = await db.selectFrom('sandbox_calls').selectAll().execute()
  return Object.fromEntries(rows.map(r => [r.api, Number(r.count)]))
}
