/**
 * Scan-to-log-in (扫码登录) on a desktop. The desktop asks for a ticket and gets two secrets: a
 * scan token, shown in the QR code's link, and a binding secret, kept in an HttpOnly cookie of that
 * browser. A phone that opens the link (logged in through WeChat) scans, then confirms; the desktop,
 * polling with its cookie, then gets a session of the person who confirmed. Only hashes of the
 * secrets are stored. Every step is one conditional update on the ticket's status, so a ticket is
 * confirmed once and used once however many polls race, and its two minutes are the app clock's.
 */
import { createHash } from 'node:crypto'
import type { LoginTicketStatus } from '../../shared/api/console.ts'
import type { Db } from '../db/index.ts'
import type { LoginTicketsTable, StoredTicketStatus } from '../db/schema.ts'
import { newId, randomToken } from '../random.ts'
import type { UserRow } from './users.ts'

export const TICKET_TTL = 2 * 60
export const TICKET_COOKIE = 'kq_scan'
/** The binding cookie goes only to the ticket routes: nothing else needs it. */
export const TICKET_COOKIE_PATH = '/api/console/login-tickets'

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex')

export type TicketRow = LoginTicketsTable

/** The status as people see it: a ticket still waiting when its two minutes are up has expired. */
export function ticketStatus(t: Pick<TicketRow, 'status' | 'expires_at'>, now: number): LoginTicketStatus {
  const waiting = t.status === 'pending' || t.status === 'scanned' || t.status === 'confirmed'
  return waiting && now >= t.expires_at ? 'expired' : t.status
}

export async function createTicket(db: Db, browser: string, now: number) {
  const ticket = { id: newId(), token: randomToken(32), binding: randomToken(32), expiresAt: now + TICKET_TTL }
  await db
    .insertInto('login_tickets')
    .values({
      id: ticket.id,
      token_hash: hash(ticket.token),
      binding_hash: hash(ticket.binding),
      status: 'pending',
      user_id: null,
      browser,
      created_at: now,
      expires_at: ticket.expiresAt,
      updated_at: now,
    })
    .execute()
  // Spent tickets tell nothing after a while; an hour keeps a late poll's answer meaningful.
  await db
    .deleteFrom('login_tickets')
    .where('expires_at', '<', now - 3600)
    .execute()
  return ticket
}

/** The ticket this desktop asked for, or null: another browser's cookie (or none) finds nothing. */
export async function ticketOfDesktop(db: Db, id: string, binding: string | undefined): Promise<TicketRow | null> {
  if (!binding || binding.length > 64) return null
  const row = await db
    .selectFrom('login_tickets')
    .selectAll()
    .where('id', '=', id)
    .where('binding_hash', '=', hash(binding))
    .executeTakeFirst()
  return row ?? null
}

/**
 * Uses a confirmed ticket up: the person who confirmed it, only for the one call whose update moved
 * it to `used`, so two polls racing after the confirm log the desktop in once; null otherwise.
 */
export async function useTicket(db: Db, t: TicketRow, now: number): Promise<UserRow | null> {
  if (!t.user_id) return null
  const r = await db
    .updateTable('login_tickets')
    .set({ status: 'used', updated_at: now })
    .where('id', '=', t.id)
    .where('status', '=', 'confirmed')
    .where('expires_at', '>', now)
    .executeTakeFirst()
  if (Number(r.numUpdatedRows) !== 1) return null
  return db.selectFrom('users').selectAll().where('id', '=', t.user_id).executeTakeFirstOrThrow()
}

export async function ticketByToken(db: Db, token: string): Promise<TicketRow | null> {
  const row = await db.selectFrom('login_tickets').selectAll().where('token_hash', '=', hash(token)).executeTakeFirst()
  return row ?? null
}

/**
 * One move of a ticket the phone holds the token of, allowed only from `from` (and, where `mine`,
 * only when this person scanned it). True when this call made the move.
 */
export async function moveTicket(
  db: Db,
  token: string,
  move: { from: StoredTicketStatus[]; to: StoredTicketStatus; userId: string; mine?: boolean },
  now: number,
): Promise<boolean> {
  let q = db
    .updateTable('login_tickets')
    .set({ status: move.to, updated_at: now, ...(move.to === 'scanned' ? { user_id: move.userId } : {}) })
    .where('token_hash', '=', hash(token))
    .where('status', 'in', move.from)
    .where('expires_at', '>', now)
  if (move.mine) q = q.where('user_id', '=', move.userId)
  const r = await q.executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}
