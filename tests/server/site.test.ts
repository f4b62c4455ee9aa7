import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp, touchCatalog } from '../helpers/app.ts'
import { Phone } from '../helpers/phone.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => {
  await t.close()
})

const html = (path: string) => fetch(`${t.url}${path}`, { headers: { accept: 'text/html' } })

describe('the landing pages', () => {
  it('renders the shared offer link on the server, with its value, rules and claim button', async () => {
    const res = await html('/o/latte-10off?ch=share&ref=abc')
    expect(res.status).toBe(200)
    const body = await res.text()
    expect(body).toContain('<title>拿铁满50减10 · 山川咖啡</title>')
    const app = body.slice(body.indexOf('<div id="app">'))
    expect(app).toContain('拿铁满50减10')
    expect(app).toContain('¥10')
    expect(app).toContain('满50可用')
    expect(app).toContain('单笔消费满50元可用')
    expect(app).toContain('立即领取')
    // The state for hydration is inlined: no second round trip for the first screen.
    const state = JSON.parse(body.match(/<script id="kq-state" type="application\/json">(.*?)<\/script>/s)![1]!)
    expect(state.offer.id).toBe('latte-10off')
    expect(state.meta.sandbox).toBe(true)
  })

  it('records the landing view with its channel and sharer', async () => {
    await html('/o/all-88?ch=share&ref=sharer9')
    const ev = await t.database.db
      .selectFrom('events')
      .selectAll()
      .where('offer_id', '=', 'all-88')
      .where('type', '=', 'view')
      .execute()
    expect(ev.map(e => [e.channel, e.ref])).toContainEqual(['share', 'sharer9'])
  })

  it('renders the store landing with its offers', async () => {
    const body = await (await html('/s/nanjingxilu?ch=qr')).text()
    expect(body).toContain('南京西路店')
    expect(body).toContain('满30赠手工曲奇')
  })

  it('renders ?lang=en in English, and concurrent renders in both languages never mix', async () => {
    // Different paths and stores, so no page comes from the cache and every render interleaves.
    const paths = ['/o/latte-10off', '/o/all-88', '/s/nanjingxilu', '/o/latte-10off?ch=qr', '/o/all-88?ch=qr', '/']
    const bodies = await Promise.all(
      paths
        .flatMap(p => [p, `${p}${p.includes('?') ? '&' : '?'}lang=en`])
        .map(async p => [p, await (await html(p)).text()]),
    )
    for (const [path, body] of bodies) {
      const app = body!.slice(body!.indexOf('<div id="app">'), body!.indexOf('<script id="kq-state"'))
      if (path!.includes('lang=en')) {
        expect(app, path).toMatch(/Offers|Claim|All stores|Stores/)
        expect(app, path).not.toMatch(/立即领取|领券|适用门店/)
      } else expect(app, path).not.toMatch(/>Claim<|My coupons|All stores/)
    }
  })

  it('answers 404 with a readable page for an unknown offer', async () => {
    const res = await html('/o/does-not-exist')
    expect(res.status).toBe(404)
    expect(await res.text()).toContain('优惠不存在')
  })

  it('escapes the inlined state so data cannot close the script element', async () => {
    await t.database.db
      .updateTable('offers')
      .set({ description: '</script><script>alert(1)</script>' })
      .where('id', '=', 'all-88')
      .execute()
    await touchCatalog(t)
    const body = await (await html('/o/all-88')).text()
    expect(body).not.toContain('</script><script>alert(1)')
  })
})

describe('serving the site', () => {
  it('serves pages no-cache with a CSP and security headers', async () => {
    const res = await html('/')
    expect(res.headers.get('cache-control')).toBe('no-cache')
    const csp = res.headers.get('content-security-policy')!
    expect(csp).toContain(`script-src 'self'`)
    expect(csp).toContain(`frame-ancestors 'none'`)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('serves hashed assets as immutable', async () => {
    const body = await (await html('/')).text()
    const asset = body.match(/src="(\/assets\/[^"]+\.js)"/)![1]!
    const res = await fetch(`${t.url}${asset}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toContain('immutable')
  })

  it.each(['/me/coupons', '/me/coupons/abc123'])('serves the app shell for the client route %s', async path => {
    const res = await html(path)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('<div id="app"></div>')
  })

  it.each(['/nope', '/assets/missing.js', '/me/coupons/a/b'])('does not fall back to the app for %s', async path => {
    const res = await html(path)
    expect(res.status).toBe(404)
    expect(await res.text()).not.toContain('id="kq-state"')
  })

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await new Phone(t.url).get('/api/nothing')
    expect(res.status).toBe(404)
    expect(res.json.error.code).toBe('not_found')
  })

  it('reports health', async () => {
    expect((await new Phone(t.url).get('/healthz')).json).toEqual({ ok: true })
  })
})

describe('user text on server-rendered pages', () => {
  // String.replace reads $& $' $` $$ in a replacement string as patterns; text must arrive as written.
  const tricky = "拿铁 $& 半价 $' 再 $` 见 $$ 止"

  it.each([
    ['an offer title', '/o/latte-10off'],
    ['a merchant name', '/o/latte-10off'],
    ['a store name', '/s/nanjingxilu'],
  ])('keeps $-patterns in %s literal, with one app root and valid state', async (what, path) => {
    const db = t.database.db
    if (what === 'an offer title')
      await db.updateTable('offers').set({ title: tricky }).where('id', '=', 'latte-10off').execute()
    if (what === 'a merchant name')
      await db.updateTable('merchants').set({ name: tricky }).where('id', '=', 'shanchuan').execute()
    if (what === 'a store name')
      await db.updateTable('stores').set({ name: tricky }).where('id', '=', 'nanjingxilu').execute()
    // Written behind the console's back: tell the catalog, as the console's own writes do.
    await touchCatalog(t)
    const body = await (await html(path)).text()
    expect(body.split('<div id="app">').length).toBe(2)
    expect(body.split('<script id="kq-state"').length).toBe(2)
    const state = JSON.parse(body.match(/<script id="kq-state" type="application\/json">(.*?)<\/script>/s)![1]!)
    if (what === 'an offer title') expect(state.offer.title).toBe(tricky)
    if (what === 'a merchant name') expect(state.offer.merchant.name).toBe(tricky)
    if (what === 'a store name') expect(state.store.store.name).toBe(tricky)
    expect(body).toContain(tricky.replace(/'/g, '&#39;').replace(/&(?!#)/g, '&amp;'))
  })
})

describe('the sandbox’s stand-in for WeChat’s bridge', () => {
  it('never blocks the first paint: deferred, ahead of the app’s module so it still runs first', async () => {
    const body = await (await html('/o/latte-10off')).text()
    const bridge = body.indexOf('<script defer src="/__wx/bridge.js"></script>')
    expect(bridge).toBeGreaterThan(0)
    expect(body.match(/<script[^>]*src="\/__wx\/bridge\.js"/g)).toHaveLength(1)
    expect(bridge).toBeLessThan(body.indexOf('<script type="module"'))
  })
})

describe('mangled landing links', () => {
  it.each([
    ['/o/bad%20id', 'offer'],
    ['/o/%E4%B8%AD%E6%96%87', 'offer'],
    ['/s/..%2F..', 'store'],
  ])('answer %s with the %s page’s not-found state and a 404', async (path, missing) => {
    const res = await html(path)
    expect(res.status).toBe(404)
    const body = await res.text()
    const state = JSON.parse(body.match(/<script id="kq-state" type="application\/json">(.*?)<\/script>/s)![1]!)
    expect(state.missing).toBe(missing)
  })
})

describe('landing pages over the wire', () => {
  it('go gzipped to a browser that takes gzip, and plain to one that does not', async () => {
    const { request } = await import('node:http')
    const get = (encoding: string | null) =>
      new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        const headers: Record<string, string> = { accept: 'text/html' }
        if (encoding !== null) headers['accept-encoding'] = encoding
        request(`${t.url}/o/latte-10off?ch=qr`, { headers }, res => {
          const parts: Buffer[] = []
          res.on('data', (c: Buffer) => parts.push(c))
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(parts) }))
        })
          .on('error', reject)
          .end()
      })
    const { gunzipSync } = await import('node:zlib')
    for (const round of [1, 2]) {
      const zipped = await get('gzip, deflate, br')
      expect(zipped.headers['content-encoding'], `round ${round}`).toBe('gzip')
      expect(zipped.headers.vary).toContain('accept-encoding')
      expect(gunzipSync(zipped.body).toString()).toContain('id="kq-state"')
      const plain = await get(null)
      expect(plain.headers['content-encoding']).toBeUndefined()
      expect(plain.body.toString()).toContain('id="kq-state"')
      const refused = await get('gzip;q=0, identity')
      expect(refused.headers['content-encoding']).toBeUndefined()
    }
  })
})

describe('the merchant console', () => {
  it('is an app of its own: /console paths get its shell, and no landing page loads its code', async () => {
    const consolePage = await (await html('/console/login')).text()
    const landing = await (await html('/o/latte-10off')).text()
    const scripts = (page: string) => [...page.matchAll(/<script type="module"[^>]*src="([^"]+)"/g)].map(m => m[1])
    const [consoleEntry] = scripts(consolePage)
    const [landingEntry] = scripts(landing)
    expect(consoleEntry).toBeTruthy()
    expect(landingEntry).toBeTruthy()
    expect(consoleEntry).not.toBe(landingEntry)
    expect(consolePage).toContain('<meta name="robots" content="noindex" />')
    // Nothing the landing preloads is the console's.
    const preloads = [...landing.matchAll(/<link rel="modulepreload"[^>]*href="([^"]+)"/g)].map(m => m[1])
    expect(preloads).not.toContain(consoleEntry)
    const landingJs = await (await fetch(`${t.url}${landingEntry}`)).text()
    expect(landingJs).not.toMatch(/ConsoleLayout|tdesign/i)
  })
})

describe('rendered landing pages kept in memory', () => {
  it('never outlive what they show: a new title or stock figure renders a new page', async () => {
    const first = await (await html('/o/cookie-gift?ch=qr')).text()
    expect(await (await html('/o/cookie-gift?ch=qr')).text()).toBe(first)
    await t.database.db
      .updateTable('offers')
      .set({ title: '满30赠手工曲奇·今日' })
      .where('id', '=', 'cookie-gift')
      .execute()
    await touchCatalog(t)
    const retitled = await (await html('/o/cookie-gift?ch=qr')).text()
    expect(retitled).toContain('满30赠手工曲奇·今日')
    await t.database.db.updateTable('offers').set({ stock_left: 7 }).where('id', '=', 'cookie-gift').execute()
    await touchCatalog(t)
    const restocked = await (await html('/o/cookie-gift?ch=qr')).text()
    expect(restocked).not.toBe(retitled)
    expect(
      JSON.parse(restocked.match(/<script id="kq-state" type="application\/json">(.*?)<\/script>/s)![1]!).offer
        .stockLeft,
    ).toBe(7)
  })

  it('still record every visit’s view when the page comes from memory', async () => {
    // A fresh minute for the per-IP view limit (the test clock stands still otherwise).
    t.clock.advance(61)
    try {
      const first = await (await html('/o/latte-10off?ch=share&ref=kept2')).text()
      expect(await (await html('/o/latte-10off?ch=share&ref=kept2')).text()).toBe(first)
      const views = await t.database.db
        .selectFrom('events')
        .select('id')
        .where('type', '=', 'view')
        .where('ref', '=', 'kept2')
        .execute()
      expect(views).toHaveLength(2)
    } finally {
      t.clock.advance(-61)
    }
  })

  it('are never shared between people: a logged-in visitor gets a page of their own', async () => {
    const phone = new Phone(t.url)
    await phone.login()
    const page = await phone.get('/o/cookie-gift?ch=qr', { accept: 'text/html' })
    const state = JSON.parse(page.body.match(/<script id="kq-state" type="application\/json">(.*?)<\/script>/s)![1]!)
    expect(state.user.id).toBeTruthy()
    const anonymous = await (await html('/o/cookie-gift?ch=qr')).text()
    expect(anonymous).toMatch(/"user":null/)
  })
})
