/**
 * Work the sandbox does later, as WeChat does (an event push arrives after the page heard
 * back). Owned by the app: closing it cancels what hasn't started and waits for what has,
 * so nothing touches the database after shutdown.
 */
export class Deferred {
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()
  private readonly running = new Set<Promise<unknown>>()
  private closed = false

  schedule(ms: number, work: () => Promise<unknown>): void {
    if (this.closed) return
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      const p = work()
        .catch(() => {})
        .finally(() => this.running.delete(p))
      this.running.add(p)
    }, ms)
    this.timers.add(timer)
  }

  async close(): Promise<void> {
    this.closed = true
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    await Promise.all(this.running)
  }
}
