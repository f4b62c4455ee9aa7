/**
 * A latency histogram with logarithmic buckets 1% wide, from 1 µs to about a minute: recording is
 * one log and one increment, whatever the rate, and any percentile is within 1% of the exact one.
 * Histograms from several generators merge by adding counts.
 */

const MIN_MS = 0.001
const GROWTH = Math.log(1.01)
const BUCKETS = 1800

export interface HistogramData {
  /** [bucket, count] for the buckets that have any. */
  counts: [number, number][]
  n: number
  sum: number
  max: number
}

export class Histogram {
  private readonly counts = new Uint32Array(BUCKETS)
  n = 0
  sum = 0
  max = 0

  record(ms: number): void {
    const b = ms <= MIN_MS ? 0 : Math.min(BUCKETS - 1, Math.floor(Math.log(ms / MIN_MS) / GROWTH))
    this.counts[b]!++
    this.n++
    this.sum += ms
    if (ms > this.max) this.max = ms
  }

  /** The latency below which a fraction `p` of the samples fall (the bucket's middle); NaN when empty. */
  percentile(p: number): number {
    if (this.n === 0) return Number.NaN
    const rank = Math.max(1, Math.ceil(p * this.n))
    let seen = 0
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.counts[b]!
      if (seen >= rank) return Math.min(this.max, MIN_MS * Math.exp((b + 0.5) * GROWTH))
    }
    return this.max
  }

  get mean(): number {
    return this.n ? this.sum / this.n : Number.NaN
  }

  toJSON(): HistogramData {
    const counts: [number, number][] = []
    for (let b = 0; b < BUCKETS; b++) if (this.counts[b]) counts.push([b, this.counts[b]!])
    return { counts, n: this.n, sum: this.sum, max: this.max }
  }

  static from(...parts: HistogramData[]): Histogram {
    const h = new Histogram()
    for (const d of parts) {
      for (const [b, c] of d.counts) h.counts[b]! += c
      h.n += d.n
      h.sum += d.sum
      h.max = Math.max(h.max, d.max)
    }
    return h
  }
}
