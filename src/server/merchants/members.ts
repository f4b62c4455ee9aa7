/**
 * Who works for a merchant, and as what. A merchant always keeps an owner: changes that could
 * leave none first lock the merchant's row (an update that changes nothing, the same on both
 * engines), so two owners demoting each other at once can't both succeed.
 */
import type { MemberDto, MemberRole, MembershipDto } from '../../shared/api/console.ts'
import { isoOf } from '../../shared/time.ts'
import { maskName } from '../clerks/service.ts'
import type { Db } from '../db/index.ts'
import type { MerchantMembersTable } from '../db/schema.ts'
import { AppError, notFound } from '../http/errors.ts'

export type MemberRow = MerchantMembersTable

/** How colleagues see a member: the WeChat nickname, else a masked stand-in. */
export function personName(u: { nickname: string | null; openid: string }): string {
  return u.nickname ?? maskName(null, u.openid)
}

export async function memberOf(db: Db, merchantId: string, userId: string): Promise<MemberRow | null> {
  const row = await db
    .selectFrom('merchant_members')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return row ?? null
}

export async function membershipsOf(db: Db, userId: string): Promise<MembershipDto[]> {
  const rows = await db
    .selectFrom('merchant_members')
    .innerJoin('merchants', 'merchants.id', 'merchant_members.merchant_id')
    .select(['merchants.id', 'merchants.name', 'merchant_members.role'])
    .where('merchant_members.user_id', '=', userId)
    // In the order the person joined them; joins within the same second by name, so the order never flips.
    .orderBy('merchant_members.created_at')
    .orderBy('merchants.name')
    .orderBy('merchants.id')
    .execute()
  return rows.map(r => ({ merchant: { id: r.id, name: r.name }, role: r.role }))
}

export async function listMembers(db: Db, merchantId: string, myUserId: string): Promise<MemberDto[]> {
  const rows = await db
    .selectFrom('merchant_members')
    .innerJoin('users', 'users.id', 'merchant_members.user_id')
    .select([
      'merchant_members.id',
      'merchant_members.user_id',
      'merchant_members.role',
      'merchant_members.created_at',
      'users.nickname',
      'users.openid',
    ])
    .where('merchant_members.merchant_id', '=', merchantId)
    .orderBy('merchant_members.created_at')
    .orderBy('merchant_members.id')
    .execute()
  return rows.map(r => ({
    id: r.id,
    name: personName(r),
    role: r.role,
    joinedAt: isoOf(r.created_at),
    isMe: r.user_id === myUserId,
  }))
}

/** Holds the merchant's row until the transaction ends: member changes of one merchant go one at a time. */
export async function lockMerchantForMembers(trx: Db, merchantId: string): Promise<void> {
  await trx
    .updateTable('merchants')
    .set(eb => ({ name: eb.ref('name') }))
    .where('id', '=', merchantId)
    .execute()
}

async function ownerCount(trx: Db, merchantId: string): Promise<number> {
  const r = await trx
    .selectFrom('merchant_members')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('merchant_id', '=', merchantId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

/** The member (of this merchant) and the name colleagues know them by; another merchant's member is a 404. */
export async function memberForChange(trx: Db, merchantId: string, memberId: string) {
  const m = await trx
    .selectFrom('merchant_members')
    .innerJoin('users', 'users.id', 'merchant_members.user_id')
    .selectAll('merchant_members')
    .select(['users.nickname', 'users.openid'])
    .where('merchant_members.id', '=', memberId)
    .where('merchant_members.merchant_id', '=', merchantId)
    .executeTakeFirst()
  if (!m) throw notFound('member')
  return m
}

/** Never leaves the merchant without an owner. Call inside a transaction, after lockMerchantForMembers. */
export async function refuseLastOwner(trx: Db, m: MemberRow, next: MemberRole | null): Promise<void> {
  if (m.role !== 'owner' || next === 'owner') return
  if ((await ownerCount(trx, m.merchant_id)) <= 1)
    throw new AppError(
      'last_owner',
      next ? '商户至少要有一位店主，不能把唯一的店主改为店长' : '商户至少要有一位店主，不能移除唯一的店主',
    )
}
