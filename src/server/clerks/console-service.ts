/** The console's clerks: a store's list, and the writes, each with its audit entry in the same transaction. */
import type { ConsoleClerkDto } from '../../shared/api/clerks.ts'
import { isoOf } from '../../shared/time.ts'
import type { Db } from '../db/index.ts'
import { recordAudit } from '../merchants/audit.ts'
import { storeRowOf } from '../stores/service.ts'
import { createStoreInvite, listStoreClerks, maskName, revokeClerkOfMerchant } from './service.ts'

interface Who {
  merchantId: string
  actorId: string
}

/** The clerks of one of the merchant's stores, masked (another merchant's store is a 404). */
export async function listConsoleClerks(db: Db, merchantId: string, storeId: string): Promise<ConsoleClerkDto[]> {
  const store = await storeRowOf(db, merchantId, storeId)
  const rows = await listStoreClerks(db, store.id)
  return rows.map(c => ({
    id: c.id,
    storeId: c.store_id,
    name: maskName(c.nickname, c.openid),
    joinedAt: isoOf(c.created_at),
    lastRedemptionAt: c.last_redemption_at === null ? null : isoOf(Number(c.last_redemption_at)),
    revokedAt: c.revoked_at === null ? null : isoOf(c.revoked_at),
  }))
}

/** A single-use clerk invite for one of the merchant's stores (another merchant's store is a 404). */
export async function inviteClerk(db: Db, who: Who & { storeId: string; ttlSeconds: number }, now: number) {
  return db.transaction().execute(async trx => {
    const store = await storeRowOf(trx, who.merchantId, who.storeId)
    const made = await createStoreInvite(trx, store, who.ttlSeconds, now)
    await recordAudit(
      trx,
      {
        merchantId: who.merchantId,
        actorId: who.actorId,
        action: 'clerk.invite',
        target: { type: 'store', id: store.id, label: store.name },
        changes: [{ field: 'expiresAt', before: null, after: isoOf(made.expiresAt) }],
      },
      now,
    )
    return made
  })
}

/** Revokes the merchant's clerk; the clerk's user id when this call revoked it (null when it was already). */
export async function revokeClerkOf(db: Db, who: Who & { clerkId: string }, now: number): Promise<string | null> {
  return db.transaction().execute(async trx => {
    const c = await revokeClerkOfMerchant(trx, who.merchantId, who.clerkId, now)
    if (!c.revoked) return null
    await recordAudit(
      trx,
      {
        merchantId: who.merchantId,
        actorId: who.actorId,
        action: 'clerk.revoke',
        target: { type: 'clerk', id: c.id, label: maskName(c.nickname, c.openid) },
        changes: [{ field: 'revokedAt', before: null, after: isoOf(now) }],
      },
      now,
    )
    return c.user_id
  })
}
