/** Merchants as the operator makes and sees them. */
import type { AdminMerchantDto } from '../../shared/api/admin.ts'
import { isoOf } from '../../shared/time.ts'
import type { Db } from '../db/index.ts'
import { newId } from '../random.ts'
import { recordAudit } from './audit.ts'
import { createMemberInvite } from './invites.ts'
import { bumpCatalog } from '../offers/catalog.ts'

/** A merchant and its owner's invite, in one transaction: a merchant never exists without a way in. */
export async function createMerchant(db: Db, name: string, now: number) {
  return db.transaction().execute(async trx => {
    const merchant = { id: newId(), name }
    await trx
      .insertInto('merchants')
      .values({ ...merchant, logo_url: null, created_at: now })
      .execute()
    await bumpCatalog(trx)
    const invite = await createMemberInvite(trx, { merchantId: merchant.id, role: 'owner', createdBy: null }, now)
    await recordAudit(
      trx,
      {
        merchantId: merchant.id,
        actorId: null,
        action: 'merchant.create',
        target: { type: 'merchant', id: merchant.id, label: name },
        changes: [{ field: 'name', before: null, after: name }],
      },
      now,
    )
    return { merchant, invite }
  })
}

export async function listMerchants(db: Db): Promise<AdminMerchantDto[]> {
  const rows = await db
    .selectFrom('merchants')
    .leftJoin('merchant_members', 'merchant_members.merchant_id', 'merchants.id')
    .select(['merchants.id', 'merchants.name', 'merchants.created_at'])
    .select(eb => eb.fn.count<number>('merchant_members.id').as('members'))
    .groupBy(['merchants.id', 'merchants.name', 'merchants.created_at'])
    .orderBy('merchants.created_at')
    .orderBy('merchants.id')
    .execute()
  return rows.map(r => ({ id: r.id, name: r.name, createdAt: isoOf(r.created_at), members: Number(r.members) }))
}
