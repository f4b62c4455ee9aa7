/**
 * Member invites: single-use links (invite-tokens.ts) that make the WeChat user who opens them an
 * owner or a manager of a merchant.
 */
import type { MemberRole } from '../../shared/api/console.ts'
import type { Db } from '../db/index.ts'
import { newId } from '../random.ts'
import { recordAudit } from './audit.ts'
import { type InviteRefusal, newInviteToken, useInviteToken } from './invite-tokens.ts'
import { lockMerchantForMembers, personName } from './members.ts'

export const MEMBER_INVITE_TTL = 7 * 86_400

export function memberInviteUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/console/join?invite=${token}`
}

export async function createMemberInvite(
  db: Db,
  input: { merchantId: string; role: MemberRole; createdBy: string | null },
  now: number,
): Promise<{ token: string; expiresAt: number }> {
  const { token, expiresAt, columns } = newInviteToken(MEMBER_INVITE_TTL, now)
  await db
    .insertInto('member_invites')
    .values({ ...columns, merchant_id: input.merchantId, role: input.role, created_by: input.createdBy })
    .execute()
  return { token, expiresAt }
}

/** An owner's invite for a new manager, with its audit entry, in one transaction. */
export async function inviteManager(db: Db, who: { merchantId: string; actorId: string }, now: number) {
  return db.transaction().execute(async trx => {
    const made = await createMemberInvite(
      trx,
      { merchantId: who.merchantId, role: 'manager', createdBy: who.actorId },
      now,
    )
    await recordAudit(
      trx,
      {
        ...who,
        action: 'member.invite',
        target: { type: 'member', id: 'invite', label: '店长邀请' },
        changes: [{ field: 'role', before: null, after: 'manager' }],
      },
      now,
    )
    return made
  })
}

export type JoinOutcome = { ok: true; merchantId: string; role: MemberRole } | InviteRefusal

/**
 * Makes the user a member by the invite's role. Someone already a member keeps an owner's role
 * (a manager's invite never demotes); an owner's invite promotes a manager.
 */
export async function acceptMemberInvite(db: Db, token: string, userId: string, now: number): Promise<JoinOutcome> {
  return useInviteToken(db, 'member_invites', token, userId, now, async (trx, invite, first) => {
    if (!first) return { ok: true, merchantId: invite.merchant_id, role: invite.role } as const
    await lockMerchantForMembers(trx, invite.merchant_id)
    const user = await trx
      .selectFrom('users')
      .select(['nickname', 'openid'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow()
    const existing = await trx
      .selectFrom('merchant_members')
      .selectAll()
      .where('merchant_id', '=', invite.merchant_id)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    const target = { type: 'member' as const, id: existing?.id ?? newId(), label: personName(user) }
    const audit = { merchantId: invite.merchant_id, actorId: userId, target }
    if (!existing) {
      await trx
        .insertInto('merchant_members')
        .values({ id: target.id, merchant_id: invite.merchant_id, user_id: userId, role: invite.role, created_at: now })
        .execute()
      await recordAudit(
        trx,
        { ...audit, action: 'member.join', changes: [{ field: 'role', before: null, after: invite.role }] },
        now,
      )
    } else if (existing.role === 'manager' && invite.role === 'owner') {
      await trx.updateTable('merchant_members').set({ role: 'owner' }).where('id', '=', existing.id).execute()
      await recordAudit(
        trx,
        { ...audit, action: 'member.role', changes: [{ field: 'role', before: 'manager', after: 'owner' }] },
        now,
      )
    }
    return {
      ok: true,
      merchantId: invite.merchant_id,
      role: existing?.role === 'owner' ? 'owner' : invite.role,
    } as const
  })
}
