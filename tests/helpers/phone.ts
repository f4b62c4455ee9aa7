/**
 * A phone for server tests: real HTTP with its own cookie jar, following redirects by hand
 * so a test can stop at any hop of the WeChat login (authorize page, callback, app).
 */
export interface Hop {
  status: number
  location: string | null
  url: string
  body: string
}

export class Phone {
  readonly cookies = new Map<string, string>()
  /** Sent with every request, e.g. an X-Forwarded-For that puts this phone on another network. */
  readonly headers: Record<string, string> = {}

  constructor(
    readonly base: string,
    readonly userAgent = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN',
  ) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  private keep(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';')
      const eq = pair!.indexOf('=')
      const name = pair!.slice(0, eq).trim()
      const value = pair!.slice(eq + 1).trim()
      const expired = attrs.some(a => /max-age=0/i.test(a) || /expires=thu, 01 jan 1970/i.test(a))
      if (expired || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }

  async request(
    method: string,
    pathOrUrl: string,
    init: { body?: unknown; headers?: Record<string, string>; form?: Record<string, string> } = {},
  ): Promise<Hop & { json: any }> {
    const url = new URL(pathOrUrl, this.base).toString()
    const headers: Record<string, string> = {
      'user-agent': this.userAgent,
      cookie: this.cookieHeader(),
      accept: 'application/json, text/html',
      ...this.headers,
      ...init.headers,
    }
    let body: string | undefined
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded'
      body = new URLSearchParams(init.form).toString()
    } else if (init.body !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(init.body)
    }
    const res = await fetch(url, { method, headers, body, redirect: 'manual' })
    this.keep(res)
    const text = await res.text()
    let json: any = null
    try {
      json = JSON.parse(text)
    } catch {
      /* HTML */
    }
    return { status: res.status, location: res.headers.get('location'), url, body: text, json }
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, { headers })
  }
  post(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('POST', path, { body, headers })
  }

  /** Follows redirects from `path` until a non-redirect answer or `stopAt` matches a Location. Returns every hop. */
  async follow(path: string, stopAt?: (location: string) => boolean): Promise<Hop[]> {
    const hops: Hop[] = []
    let next: string | null = path
    for (let i = 0; next && i < 10; i++) {
      const hop = await this.get(next)
      hops.push(hop)
      if (hop.status < 300 || hop.status >= 400 || !hop.location) break
      // The fragment is for WeChat's client, not for the server.
      next = hop.location.split('#')[0]!
      if (stopAt?.(next)) break
    }
    return hops
  }

  /** A whole silent login, ending back on `returnPath`. */
  async login(returnPath = '/'): Promise<Hop[]> {
    const hops = await this.follow(
      `/auth/wechat/login?return=${encodeURIComponent(returnPath)}`,
      loc => !loc.includes('/auth/') && !loc.includes('/__wx/'),
    )
    return hops
  }
}

export function newKey(): string {
  return `k-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`
}
