/**
 * The audit log: every console write records who did what to which thing, and the before/after of
 * each field it changed, in the transaction of the write itself, so a write is never without its
 * entry nor an entry without its write. Read newest first, a page at a time.
 */
import type { AuditEntryDto } from '../../shared/api/console.ts'
import { isoOf } from '../../shared/time.ts'
import type { Db } from '../db/index.ts'
import type { AuditLogTable } from '../db/schema.ts'
import { randomToken } from '../random.ts'
import { personName } from './members.ts'

export type Change = AuditEntryDto['changes'][number]

export interface AuditInput {
  merchantId: string
  /** The member's user id; null for the operator. */
  actorId: string | null
  action: string
  target: { type: AuditLogTable['target_type']; id: string; label: string }
  changes: Change[]
}

let lastMs = 0

/**
 * Entry ids sort in the order entries were written: the app clock counts whole seconds, and a save
 * and its follow-up often share one. Fixed-width digits of the wall clock in milliseconds (strictly
 * increasing in this process), then a random tail that only breaks ties between processes.
 */
function entryId(): string {
  lastMs = Math.max(Date.now(), lastMs + 1)
  return `${String(lastMs).padStart(15, '0')}${randomToken(8)}`
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** The fields whose values differ, each with both values; `before` null records a creation. */
export function diff<T extends Record<string, unknown>>(before: T | null, after: T, fields: (keyof T & string)[]) {
  return fields
    .filter(f => !before || !same(before[f], after[f]))
    .map(f => ({ field: f, before: before ? (before[f] ?? null) : null, after: after[f] ?? null }))
}

export async function recordAudit(trx: Db, e: AuditInput, now: number): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      id: entryId(),
      merchant_id: e.merchantId,
      actor_id: e.actorId,
      action: e.action,
      target_type: e.target.type,
      target_id: e.target.id,
      target_label: e.target.label,
      changes: JSON.stringify(e.changes),
      created_at: now,
    })
    .execute()
}

/** A page of entries, newest first; `before` is the last entry of the previous page (by id). */
export async function listAudit(
  db: Db,
  merchantId: string,
  page: { before?: string; limit: number },
): Promise<{ entries: AuditEntryDto[]; next: string | null }> {
  let q = db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_id')
    .selectAll('audit_log')
    .select(['users.nickname', 'users.openid'])
    .where('audit_log.merchant_id', '=', merchantId)
  if (page.before) {
    const cursor = await db
      .selectFrom('audit_log')
      .select(['created_at', 'id'])
      .where('id', '=', page.before)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst()
    if (!cursor) return { entries: [], next: null }
    // Entries of one second are ordered by id (entryId): the pair is a total order, so no page repeats or skips one.
    q = q.where(eb =>
      eb.or([
        eb('audit_log.created_at', '<', cursor.created_at),
        eb.and([eb('audit_log.created_at', '=', cursor.created_at), eb('audit_log.id', '<', cursor.id)]),
      ]),
    )
  }
  const rows = await q
    .orderBy('audit_log.created_at', 'desc')
    .orderBy('audit_log.id', 'desc')
    .limit(page.limit + 1)
    .execute()
  const more = rows.length > page.limit
  const entries = rows.slice(0, page.limit).map(r => ({
    id: r.id,
    at: isoOf(r.created_at),
    actor:
      r.actor_id && r.openid
        ? { id: r.actor_id, name: personName({ nickname: r.nickname, openid: r.openid }) }
        : { id: 'operator', name: '平台运营' },
    action: r.action,
    target: { type: r.target_type, id: r.target_id, label: r.target_label },
    changes: JSON.parse(r.changes) as Change[],
  }))
  return { entries, next: more ? entries.at(-1)!.id : null }
}
