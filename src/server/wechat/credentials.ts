/**
 * access_token, the jsapi ticket and the wx_card api_ticket, cached in the database per
 * (appid, kind) so every server process shares one set: a token fetched by another process voids
 * ours (40001), and the jsapi and wx_card tickets must never share a cache entry. Refresh is
 * single-flight across processes: whoever wins a conditional update of lock_until fetches;
 * the others wait for the row to change. A failed refresh backs off, so a broken secret
 * can't burn WeChat's daily token quota, as retry loops in other SDKs have.
 */
import type { Clock } from '../clock.ts'
import type { Db } from '../db/index.ts'
import { WeChatError } from './errors.ts'
import { wxRequest } from './http.ts'

export type CredentialKind = 'access_token' | 'jsapi' | 'wx_card'

export interface CredentialsConfig {
  appId: string
  appSecret: string
  apiBase: string
  /** stable_token (default) shares one token between environments; classic is /cgi-bin/token. */
  tokenEndpoint: 'stable' | 'classic'
}

/** Refresh this long before expiry: stable_token guarantees at least 300 s on any token it hands out. */
export const EXPIRY_MARGIN = 360
const LOCK_TTL = 15
const WAIT_STEP_MS = 40
const WAIT_LIMIT_MS = 15_000

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

export class Credentials {
  private readonly inflight = new Map<CredentialKind, Promise<string>>()
  /** Values this process already read, until they near expiry: most calls need no database round trip. */
  private readonly memo = new Map<CredentialKind, { value: string; expiresAt: number }>()

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly c: CredentialsConfig,
  ) {}

  /** A valid value, fetched at most once across all processes when the cached one is stale. */
  get(kind: CredentialKind): Promise<string> {
    const known = this.memo.get(kind)
    if (known && known.expiresAt - EXPIRY_MARGIN > this.clock.now()) return Promise.resolve(known.value)
    // Requests in this process share one wait; the database decides between processes.
    let p = this.inflight.get(kind)
    if (!p) {
      p = this.getShared(kind).finally(() => this.inflight.delete(kind))
      this.inflight.set(kind, p)
    }
    return p
  }

  /** WeChat said `value` is invalid (40001/42001): drop it, unless another process already replaced it. */
  async invalidate(kind: CredentialKind, value: string): Promise<void> {
    if (this.memo.get(kind)?.value === value) this.memo.delete(kind)
    await this.db
      .updateTable('wx_credentials')
      .set({ expires_at: 0 })
      .where('appid', '=', this.c.appId)
      .where('kind', '=', kind)
      .where('value', '=', value)
      .execute()
  }

  private async getShared(kind: CredentialKind): Promise<string> {
    const started = Date.now()
    for (;;) {
      const now = this.clock.now()
      const row = await this.db
        .selectFrom('wx_credentials')
        .selectAll()
        .where('appid', '=', this.c.appId)
        .where('kind', '=', kind)
        .executeTakeFirst()
      if (!row) {
        // First use for this app: make the row the lock lives on, then go round again.
        await this.db
          .insertInto('wx_credentials')
          .values({
            appid: this.c.appId,
            kind,
            value: null,
            expires_at: 0,
            lock_until: null,
            failures: 0,
            retry_at: null,
            last_error: null,
            updated_at: now,
          })
          .onConflict(oc => oc.columns(['appid', 'kind']).doNothing())
          .execute()
        continue
      }
      if (row.value && row.expires_at - EXPIRY_MARGIN > now) return this.remember(kind, row.value, row.expires_at)
      if (row.retry_at !== null && row.retry_at > now) {
        const [code, ...msg] = (row.last_error ?? '-1 refresh failed').split(' ')
        throw new WeChatError(
          `credentials/${kind}`,
          Number(code),
          `backing off until ${row.retry_at}: ${msg.join(' ')}`,
        )
      }
      const won = await this.db
        .updateTable('wx_credentials')
        .set({ lock_until: now + LOCK_TTL })
        .where('appid', '=', this.c.appId)
        .where('kind', '=', kind)
        .where(eb => eb.or([eb('lock_until', 'is', null), eb('lock_until', '<=', now)]))
        .where('expires_at', '<=', now + EXPIRY_MARGIN)
        .executeTakeFirst()
      if (Number(won.numUpdatedRows) === 1) return this.refresh(kind, row.failures)
      if (Date.now() - started > WAIT_LIMIT_MS)
        throw new WeChatError(
          `credentials/${kind}`,
          WeChatError.NETWORK,
          'timed out waiting for another process to refresh',
        )
      await sleep(WAIT_STEP_MS)
    }
  }

  private async refresh(kind: CredentialKind, failures: number): Promise<string> {
    try {
      const { value, expiresIn } = await this.fetch(kind)
      const expiresAt = this.clock.now() + expiresIn
      await this.db
        .updateTable('wx_credentials')
        .set({
          value,
          expires_at: expiresAt,
          lock_until: null,
          failures: 0,
          retry_at: null,
          last_error: null,
          updated_at: this.clock.now(),
        })
        .where('appid', '=', this.c.appId)
        .where('kind', '=', kind)
        .execute()
      return this.remember(kind, value, expiresAt)
    } catch (err) {
      const e =
        err instanceof WeChatError ? err : new WeChatError(`credentials/${kind}`, WeChatError.NETWORK, String(err))
      const backoff = Math.min(2 ** failures, 60)
      await this.db
        .updateTable('wx_credentials')
        .set({
          lock_until: null,
          failures: failures + 1,
          retry_at: this.clock.now() + backoff,
          last_error: `${e.errcode} ${e.errmsg}`,
          updated_at: this.clock.now(),
        })
        .where('appid', '=', this.c.appId)
        .where('kind', '=', kind)
        .execute()
      throw e
    }
  }

  private remember(kind: CredentialKind, value: string, expiresAt: number): string {
    this.memo.set(kind, { value, expiresAt })
    return value
  }

  private async fetch(kind: CredentialKind): Promise<{ value: string; expiresIn: number }> {
    const base = { base: this.c.apiBase }
    if (kind === 'access_token') {
      const r =
        this.c.tokenEndpoint === 'stable'
          ? await wxRequest<{ access_token: string; expires_in: number }>(
              base,
              '/cgi-bin/stable_token',
              {},
              { grant_type: 'client_credential', appid: this.c.appId, secret: this.c.appSecret, force_refresh: false },
            )
          : await wxRequest<{ access_token: string; expires_in: number }>(base, '/cgi-bin/token', {
              grant_type: 'client_credential',
              appid: this.c.appId,
              secret: this.c.appSecret,
            })
      return { value: r.access_token, expiresIn: r.expires_in }
    }
    const ticket = async () => {
      const token = await this.get('access_token')
      try {
        return await wxRequest<{ ticket: string; expires_in: number }>(base, '/cgi-bin/ticket/getticket', {
          access_token: token,
          type: kind,
        })
      } catch (err) {
        if (err instanceof WeChatError && (err.errcode === 40001 || err.errcode === 42001)) {
          await this.invalidate('access_token', token)
          return wxRequest<{ ticket: string; expires_in: number }>(base, '/cgi-bin/ticket/getticket', {
            access_token: await this.get('access_token'),
            type: kind,
          })
        }
        throw err
      }
    }
    const r = await ticket()
    return { value: r.ticket, expiresIn: r.expires_in }
  }
}
