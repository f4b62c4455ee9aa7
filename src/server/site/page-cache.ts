/** Rendered pages by what they were rendered from, least recently used out first. */
export class PageCache<P> {
  private readonly pages = new Map<string, P>()

  constructor(private readonly max: number) {}

  get(key: string): P | undefined {
    const page = this.pages.get(key)
    if (page !== undefined) {
      this.pages.delete(key)
      this.pages.set(key, page)
    }
    return page
  }

  set(key: string, page: P): void {
    if (this.max === 0) return
    this.pages.delete(key)
    if (this.pages.size >= this.max) this.pages.delete(this.pages.keys().next().value!)
    this.pages.set(key, page)
  }
}
