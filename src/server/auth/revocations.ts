/**
 * Ending sessions before they expire: logout ends one, "log out everywhere" (and revoking a
 * clerk) ends every session of a user issued before now. Revocations are rows in the database,
 * so every process learns them; each process keeps them in memory and re-reads the recent ones
 * once a second, so checking a session costs no database round trip, not even on the landing
 * path. Another process honours a revocation within that second; this process at once.
 */
import type { Clock } from '../clock.ts'
import type { Db } from '../db/index.ts'
import type { SessionRevocationsTable } from '../db/schema.ts'
import { newId } from '../random.ts'
import { type SessionPayload, SESSION_TTL } from './session.ts'

/** Rows created this recently are re-read on every refresh, which also covers clocks that differ a little. */
const OVERLAP = 60

export class SessionRevocations {
  private readonly sids = new Map<string, number>()
  private readonly before = new Map<string, number>()
  private timer: ReturnType<typeof setInterval> | null = null
  private loaded = false

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Ended sessions include those issued in the very second of a "log out everywhere": better one login too many. */
  isRevoked(p: SessionPayload): boolean {
    return this.sids.has(p.sid) || (this.before.get(p.uid) ?? Number.NEGATIVE_INFINITY) >= p.iat
  }

  async revokeSession(p: SessionPayload): Promise<void> {
    await this.record({ user_id: p.uid, sid: p.sid, issued_before: null })
  }

  /** Ends every session of the user issued up to this second. */
  async revokeAll(userId: string): Promise<void> {
    await this.record({ user_id: userId, sid: null, issued_before: this.clock.now() })
  }

  /** Loads every live revocation, then re-reads recent ones every `intervalMs`. */
  async start(intervalMs: number): Promise<void> {
    await this.refresh(true)
    this.timer ??= setInterval(() => void this.refresh(false).catch(() => {}), intervalMs)
    this.timer.unref?.()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  async refresh(all = false): Promise<void> {
    const now = this.clock.now()
    let q = this.db.selectFrom('session_revocations').selectAll().where('expires_at', '>', now)
    if (!all && this.loaded) q = q.where('created_at', '>=', now - OVERLAP)
    for (const row of await q.execute()) this.apply(row)
    this.loaded = true
    if (all) await this.db.deleteFrom('session_revocations').where('expires_at', '<=', now).execute()
  }

  private async record(r: Pick<SessionRevocationsTable, 'user_id' | 'sid' | 'issued_before'>): Promise<void> {
    const now = this.clock.now()
    const row = { id: newId(), ...r, created_at: now, expires_at: now + SESSION_TTL }
    await this.db.insertInto('session_revocations').values(row).execute()
    this.apply(row)
  }

  private apply(row: SessionRevocationsTable): void {
    if (row.sid) this.sids.set(row.sid, row.expires_at)
    if (row.issued_before !== null)
      this.before.set(row.user_id, Math.max(this.before.get(row.user_id) ?? 0, row.issued_before))
  }
}
