/**
 * Single-use, expiring invite links, for members (member_invites) and clerks (clerk_invites) alike.
 * Only the token's hash is stored (the link is the secret); using one is a conditional update, so
 * two people opening the same link can't both join.
 */
import { createHash } from 'node:crypto'
import type { Db } from '../db/index.ts'
import type { Database } from '../db/schema.ts'
import { randomToken } from '../random.ts'

export type InviteTable = 'member_invites' | 'clerk_invites'
export type InviteRefusal = { ok: false; reason: 'unknown' | 'used' | 'expired' }

const hash = (token: string) => createHash('sha256').update(token).digest('hex')

/** A new token, and the columns every invite row stores for it (the table adds what the invite is for). */
export function newInviteToken(ttlSeconds: number, now: number) {
  const token = randomToken(32)
  const expiresAt = now + ttlSeconds
  const columns = { token_hash: hash(token), created_at: now, expires_at: expiresAt, used_at: null, used_by: null }
  return { token, expiresAt, columns }
}

/**
 * Uses the invite for `userId` and runs `accept` in the same transaction: with `first` true when
 * this call used it, false when the same user opens the link again after joining (not an error).
 * Anyone else's used link, an expired one or an unknown one is refused.
 */
export async function useInviteToken<T extends InviteTable, R>(
  db: Db,
  table: T,
  token: string,
  userId: string,
  now: number,
  accept: (trx: Db, invite: Database[T], first: boolean) => Promise<R>,
): Promise<R | InviteRefusal> {
  if (!/^[A-Za-z0-9]{32}$/.test(token)) return { ok: false, reason: 'unknown' }
  // Both tables share the columns read here; naming one keeps Kysely's types simple.
  const t = table as InviteTable as 'clerk_invites'
  const tokenHash = hash(token)
  return db.transaction().execute(async trx => {
    const used = await trx
      .updateTable(t)
      .set({ used_at: now, used_by: userId })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst()
    const invite = await trx.selectFrom(t).selectAll().where('token_hash', '=', tokenHash).executeTakeFirst()
    if (!invite) return { ok: false, reason: 'unknown' } as const
    const row = invite as Database[InviteTable] as Database[T]
    if (Number(used.numUpdatedRows) !== 0) return accept(trx, row, true)
    if (invite.used_by === userId) return accept(trx, row, false)
    return { ok: false, reason: invite.used_at !== null ? 'used' : 'expired' } as const
  })
}
