/**
 * Per-process limits for things that cost rows, not money (view events, login starts): a fixed
 * window per key, with a cap on how many keys are remembered so a flood of addresses can't grow
 * memory without bound. Limits that protect money live in the database (counters.ts).
 */
import type { Clock } from '../clock.ts'

export class WindowLimiter {
  private window = -1
  private readonly hits = new Map<string, number>()

  constructor(
    private readonly max: number,
    private readonly seconds: number,
    private readonly clock: Clock,
    private readonly maxKeys = 50_000,
  ) {}

  /** Counts one hit for `key`; false once the key has used its window's allowance. */
  allow(key: string): boolean {
    const window = Math.floor(this.clock.now() / this.seconds)
    if (window !== this.window) {
      this.window = window
      this.hits.clear()
    }
    const n = (this.hits.get(key) ?? 0) + 1
    // Too many distinct keys in one window is itself a flood: stop counting new ones in.
    if (n === 1 && this.hits.size >= this.maxKeys) return false
    this.hits.set(key, n)
    return n <= this.max
  }
}
