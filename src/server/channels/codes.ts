/**
 * Which `ch=` codes count: the fixed ways in (direct, share, qr, list) and each merchant's own
 * channels. Attribution happens on the hottest paths (a landing view, a claim), so the merchants'
 * codes are kept in memory and re-read every couple of seconds; a new channel is known at once in
 * the process that made it and within that interval in every other. Anything else counts as direct.
 */
import type { Db } from '../db/index.ts'

export const FIXED_CHANNELS = ['direct', 'share', 'qr', 'list'] as const

export class ChannelCodes {
  private byMerchant = new Map<string, Set<string>>()
  private timer: ReturnType<typeof setInterval> | null = null

  constructor(private readonly db: Db) {}

  /** The channel to record: `ch` when it is a fixed one or this merchant's, else `direct`. */
  known(merchantId: string, ch: string | undefined | null): string {
    if (!ch) return 'direct'
    if ((FIXED_CHANNELS as readonly string[]).includes(ch)) return ch
    return this.byMerchant.get(merchantId)?.has(ch) ? ch : 'direct'
  }

  /** A channel made by this process: known here at once. */
  add(merchantId: string, code: string): void {
    const set = this.byMerchant.get(merchantId) ?? new Set<string>()
    set.add(code)
    this.byMerchant.set(merchantId, set)
  }

  async refresh(): Promise<void> {
    const rows = await this.db.selectFrom('channels').select(['merchant_id', 'code']).execute()
    const next = new Map<string, Set<string>>()
    for (const r of rows) {
      const set = next.get(r.merchant_id) ?? new Set<string>()
      set.add(r.code)
      next.set(r.merchant_id, set)
    }
    this.byMerchant = next
  }

  async start(intervalMs: number): Promise<void> {
    await this.refresh()
    this.timer ??= setInterval(() => void this.refresh().catch(() => {}), intervalMs)
    this.timer.unref?.()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }
}
