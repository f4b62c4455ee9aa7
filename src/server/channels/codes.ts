/**
 * Which `ch=` codes count: the fixed ways in (direct, share, qr, list) and each merchant's own
 * channels. Attribution happens on the hottest paths (a landing view, a claim), so the merchants'
 * codes are kept in memory and re-read every couple of seconds; a new channel is known at once in
 * the process that made it and within that interval in every other. Anything else counts as direct.
 */
import { randomInt } from 'node:crypto'
import { fixedChannels, isFixedChannel } from '../../shared/channels.ts'
import type { Db } from '../db/index.ts'

export const FIXED_CHANNELS = fixedChannels

const CODE_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'

/**
 * A fresh channel code: lower-case letters and digits (links are typed and read aloud; ch= takes
 * lower case only), 6 of them at first, one more after every few collisions, at most 8. Never a
 * fixed channel's name, which would read as that channel.
 */
export function newChannelCode(attempt = 0): string {
  const length = Math.min(8, 6 + Math.floor(attempt / 3))
  for (;;) {
    let code = ''
    for (let i = 0; i < length; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]
    if (!isFixedChannel(code)) return code
  }
}

export class ChannelCodes {
  private byMerchant = new Map<string, Set<string>>()
  private timer: ReturnType<typeof setInterval> | null = null

  constructor(private readonly db: Db) {}

  /** The channel to record: `ch` when it is a fixed one or this merchant's, else `direct`. */
  known(merchantId: string, ch: string | undefined | null): string {
    if (!ch) return 'direct'
    if (isFixedChannel(ch)) return ch
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
