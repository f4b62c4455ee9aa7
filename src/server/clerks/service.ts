/**
 * Clerks are WeChat users bound to one store by a single-use, expiring invite link
 * (merchants/invite-tokens.ts) that a merchant admin makes.
 */
import type { Db } from '../db/index.ts'
import type { StoresTable } from '../db/schema.ts'
import { AppError, notFound } from '../http/errors.ts'
import { type InviteRefusal, newInviteToken, useInviteToken } from '../merchants/invite-tokens.ts'
import { newId } from '../random.ts'

export function clerkInviteUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/clerk/join?invite=${token}`
}

/** An invite for any store, by id (the operator's and the demo's; a console has the store's row already). */
export async function createInvite(
  db: Db,
  storeId: string,
  ttlSeconds: number,
  now: number,
): Promise<{ token: string; expiresAt: number }> {
  const store = await db.selectFrom('stores').select(['id', 'merchant_id']).where('id', '=', storeId).executeTakeFirst()
  if (!store) throw notFound('store')
  return createStoreInvite(db, store, ttlSeconds, now)
}

export async function createStoreInvite(
  db: Db,
  store: Pick<StoresTable, 'id' | 'merchant_id'>,
  ttlSeconds: number,
  now: number,
): Promise<{ token: string; expiresAt: number }> {
  const { token, expiresAt, columns } = newInviteToken(ttlSeconds, now)
  await db
    .insertInto('clerk_invites')
    .values({ ...columns, store_id: store.id, merchant_id: store.merchant_id })
    .execute()
  return { token, expiresAt }
}

export type InviteOutcome = { ok: true; storeId: string } | InviteRefusal

/** Binds the user as a clerk of the invite's store; the invite's use is one conditional update. */
export async function acceptInvite(db: Db, token: string, userId: string, now: number): Promise<InviteOutcome> {
  return useInviteToken(db, 'clerk_invites', token, userId, now, async (trx, invite, first) => {
    // Opening the link again after joining binds nothing new.
    if (first)
      await trx
        .insertInto('clerks')
        .values({
          id: newId(),
          user_id: userId,
          store_id: invite.store_id,
          merchant_id: invite.merchant_id,
          created_at: now,
          revoked_at: null,
        })
        .onConflict(oc => oc.columns(['user_id', 'store_id']).doUpdateSet({ revoked_at: null }))
        .execute()
    return { ok: true, storeId: invite.store_id } as const
  })
}

export async function clerkStores(db: Db, userId: string) {
  return db
    .selectFrom('clerks')
    .innerJoin('stores', 'stores.id', 'clerks.store_id')
    .innerJoin('merchants', 'merchants.id', 'clerks.merchant_id')
    .select(['stores.id', 'stores.name', 'stores.address', 'clerks.merchant_id', 'merchants.name as merchant_name'])
    .where('clerks.user_id', '=', userId)
    .where('clerks.revoked_at', 'is', null)
    .orderBy('stores.name')
    .execute()
}

/** The clerk's binding to this store, or a 403. */
export async function requireClerkOf(db: Db, userId: string, storeId: string) {
  const clerk = await db
    .selectFrom('clerks')
    .selectAll()
    .where('user_id', '=', userId)
    .where('store_id', '=', storeId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  if (!clerk) throw new AppError('forbidden', '你不是这家门店的店员')
  return clerk
}

/** Whether this call revoked the clerk (false when unknown or already revoked). */
async function markRevoked(db: Db, clerkId: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('clerks')
    .set({ revoked_at: now })
    .where('id', '=', clerkId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Revokes the clerk; the clerk's user id when this call revoked it, null when unknown or already revoked. */
export async function revokeClerk(db: Db, clerkId: string, now: number): Promise<string | null> {
  if (!(await markRevoked(db, clerkId, now))) return null
  const clerk = await db.selectFrom('clerks').select('user_id').where('id', '=', clerkId).executeTakeFirstOrThrow()
  return clerk.user_id
}

/** A masked name for a consumer or clerk: enough to recognise, not to identify. */
export function maskName(nickname: string | null, openid: string): string {
  if (nickname) return `${[...nickname][0]}**`
  return `微信用户${openid.slice(-4)}`
}

/** A store's clerks, revoked ones too, in the order they joined. */
function storeClerks(db: Db, storeId: string) {
  return db
    .selectFrom('clerks')
    .innerJoin('users', 'users.id', 'clerks.user_id')
    .select([
      'clerks.id',
      'clerks.store_id',
      'clerks.created_at',
      'clerks.revoked_at',
      'users.nickname',
      'users.openid',
    ])
    .where('clerks.store_id', '=', storeId)
    .orderBy('clerks.created_at')
}

/** The operator's list of a store's clerks. */
export async function listClerks(db: Db, storeId: string) {
  return storeClerks(db, storeId).execute()
}

/** The console's list of a store's clerks, each with when they last redeemed a coupon there. */
export async function listStoreClerks(db: Db, storeId: string) {
  return storeClerks(db, storeId)
    .select(eb =>
      eb
        .selectFrom('coupons')
        .select(c => c.fn.max('coupons.redeemed_at').as('at'))
        .whereRef('coupons.redeemed_by', '=', 'clerks.user_id')
        .whereRef('coupons.redeemed_store_id', '=', 'clerks.store_id')
        .as('last_redemption_at'),
    )
    .orderBy('clerks.id')
    .execute()
}

/** The merchant's own clerk (another merchant's is a 404), revoked by this call or already before. */
export async function revokeClerkOfMerchant(db: Db, merchantId: string, clerkId: string, now: number) {
  const clerk = await db
    .selectFrom('clerks')
    .innerJoin('users', 'users.id', 'clerks.user_id')
    .select(['clerks.id', 'clerks.user_id', 'clerks.store_id', 'users.nickname', 'users.openid'])
    .where('clerks.id', '=', clerkId)
    .where('clerks.merchant_id', '=', merchantId)
    .executeTakeFirst()
  if (!clerk) throw notFound('clerk')
  return { ...clerk, revoked: await markRevoked(db, clerkId, now) }
}
