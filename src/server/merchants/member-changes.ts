/** An owner changing a member's role or removing them, each with its audit entry, in one transaction. */
import type { MemberDto, MemberRole } from '../../shared/api/console.ts'
import { isoOf } from '../../shared/time.ts'
import type { Db } from '../db/index.ts'
import { recordAudit } from './audit.ts'
import { lockMerchantForMembers, memberForChange, personName, refuseLastOwner } from './members.ts'

interface Change {
  merchantId: string
  memberId: string
  actorId: string
}

/** Who changed which member: what every entry of this file's audit shares. */
const about = (c: Change, m: { id: string; nickname: string | null; openid: string }) => ({
  merchantId: c.merchantId,
  actorId: c.actorId,
  target: { type: 'member' as const, id: m.id, label: personName(m) },
})

export async function changeMemberRole(db: Db, c: Change & { role: MemberRole }, now: number): Promise<MemberDto> {
  return db.transaction().execute(async trx => {
    await lockMerchantForMembers(trx, c.merchantId)
    const m = await memberForChange(trx, c.merchantId, c.memberId)
    if (m.role !== c.role) {
      await refuseLastOwner(trx, m, c.role)
      await trx.updateTable('merchant_members').set({ role: c.role }).where('id', '=', m.id).execute()
      await recordAudit(
        trx,
        { ...about(c, m), action: 'member.role', changes: [{ field: 'role', before: m.role, after: c.role }] },
        now,
      )
    }
    return { id: m.id, name: personName(m), role: c.role, joinedAt: isoOf(m.created_at), isMe: m.user_id === c.actorId }
  })
}

export async function removeMember(db: Db, c: Change, now: number): Promise<void> {
  await db.transaction().execute(async trx => {
    await lockMerchantForMembers(trx, c.merchantId)
    const m = await memberForChange(trx, c.merchantId, c.memberId)
    await refuseLastOwner(trx, m, null)
    await trx.deleteFrom('merchant_members').where('id', '=', m.id).execute()
    await recordAudit(
      trx,
      { ...about(c, m), action: 'member.remove', changes: [{ field: 'role', before: m.role, after: null }] },
      now,
    )
  })
}
