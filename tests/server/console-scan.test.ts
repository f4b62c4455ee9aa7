import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { consolePhone, DESKTOP_UA } from '../helpers/console.ts'
import { Phone } from '../helpers/phone.ts'

let t: TestApp
let owner: Phone
beforeAll(async () => {
  t = await startTestApp()
  owner = await consolePhone(t)
})
afterAll(async () => {
  await t.close()
})

const tickets = '/api/console/login-tickets'

/** A desktop browser that asked for a ticket, and the token its QR code holds. */
async function desktopTicket() {
  const desktop = new Phone(t.url, DESKTOP_UA)
  const res = await desktop.post(tickets)
  expect(res.status).toBe(201)
  const token = new URL(res.json.ticket.qrUrl).searchParams.get('t')!
  return { desktop, ticket: res.json.ticket as { id: string; status: string; qrUrl: string; expiresAt: string }, token }
}
const poll = (desktop: Phone, id: string) => desktop.get(`${tickets}/${id}`)

describe('scan-to-log-in', () => {
  it('gives the desktop a two-minute ticket, a QR link with a secret token and an HttpOnly binding cookie', async () => {
    const res = await fetch(`${t.url}${tickets}`, { method: 'POST', headers: { 'user-agent': DESKTOP_UA } })
    expect(res.status).toBe(201)
    const { ticket } = (await res.json()) as any
    expect(ticket).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9]{16}$/),
      status: 'pending',
      qrUrl: expect.stringMatching(new RegExp(`^${t.url}/console/scan\\?t=[A-Za-z0-9]{32}$`)),
      expiresAt: new Date((t.clock.now() + 120) * 1000).toISOString(),
    })
    const cookie = res.headers.getSetCookie().find(c => c.startsWith('kq_scan='))!
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/Path=\/api\/console\/login-tickets/)
    // Only hashes are stored: neither secret is in the row.
    const token = new URL(ticket.qrUrl).searchParams.get('t')!
    const binding = cookie.split(';')[0]!.split('=')[1]!
    const row = await t.database.db
      .selectFrom('login_tickets')
      .selectAll()
      .where('id', '=', ticket.id)
      .executeTakeFirst()
    expect(JSON.stringify(row)).not.toContain(token)
    expect(JSON.stringify(row)).not.toContain(binding)
  })

  it('logs the desktop in as the person who scanned and confirmed on the phone', async () => {
    const { desktop, ticket, token } = await desktopTicket()
    expect((await poll(desktop, ticket.id)).json.ticket.status).toBe('pending')
    const scan = await owner.post(`${tickets}/scan`, { token })
    expect(scan.status).toBe(200)
    expect(scan.json).toEqual({
      ticket: { id: ticket.id, status: 'scanned', expiresAt: ticket.expiresAt },
      merchants: [{ id: 'shanchuan', name: '山川咖啡' }],
      browser: '电脑浏览器 · Chrome · Windows',
    })
    expect((await poll(desktop, ticket.id)).json.ticket.status).toBe('scanned')
    expect((await desktop.get('/api/console/me')).status).toBe(401)
    const confirm = await owner.post(`${tickets}/confirm`, { token })
    expect(confirm.status).toBe(200)
    expect(confirm.json.ticket.status).toBe('confirmed')
    const done = await poll(desktop, ticket.id)
    expect(done.json.ticket).toEqual({ id: ticket.id, status: 'used', expiresAt: ticket.expiresAt })
    const me = await desktop.get('/api/console/me')
    expect(me.status).toBe(200)
    expect(me.json.user.openid).toBe((await owner.get('/api/me')).json.user.openid)
    expect(me.json.memberships[0]).toEqual({ merchant: { id: 'shanchuan', name: '山川咖啡' }, role: 'owner' })
  })

  it('is single use: a used ticket can be neither confirmed again nor used by another poll', async () => {
    const { desktop, ticket, token } = await desktopTicket()
    await owner.post(`${tickets}/scan`, { token })
    await owner.post(`${tickets}/confirm`, { token })
    const binding = desktop.cookies.get('kq_scan')!
    await poll(desktop, ticket.id)
    // Once used, the desktop's binding cookie is cleared: it has nothing left to prove.
    expect(desktop.cookies.has('kq_scan')).toBe(false)
    const again = await owner.post(`${tickets}/confirm`, { token })
    expect(again.status).toBe(409)
    expect(again.json.error).toMatchObject({ code: 'invalid_status', from: 'used', to: 'confirmed' })
    expect((await owner.post(`${tickets}/scan`, { token })).json.ticket.status).toBe('used')
    desktop.cookies.delete('kq_sid')
    desktop.cookies.set('kq_scan', binding)
    expect((await poll(desktop, ticket.id)).json.ticket.status).toBe('used')
    expect(desktop.cookies.has('kq_sid')).toBe(false)
  })

  it('is bound to the desktop that asked: another browser polling with the id gets nothing', async () => {
    const { desktop, ticket, token } = await desktopTicket()
    const other = await desktopTicket()
    await owner.post(`${tickets}/scan`, { token })
    await owner.post(`${tickets}/confirm`, { token })
    const stranger = await poll(other.desktop, ticket.id)
    expect(stranger.status).toBe(404)
    expect(stranger.json.error.code).toBe('not_found')
    expect(other.desktop.cookies.has('kq_sid')).toBe(false)
    const bare = await new Phone(t.url, DESKTOP_UA).get(`${tickets}/${ticket.id}`)
    expect(bare.status).toBe(404)
    // The one it belongs to still logs in.
    expect((await poll(desktop, ticket.id)).json.ticket.status).toBe('used')
    expect(desktop.cookies.has('kq_sid')).toBe(true)
  })

  it('expires after two minutes by the app clock, confirmed or not', async () => {
    const waiting = await desktopTicket()
    const confirmed = await desktopTicket()
    await owner.post(`${tickets}/scan`, { token: confirmed.token })
    await owner.post(`${tickets}/confirm`, { token: confirmed.token })
    t.clock.advance(119)
    expect((await poll(waiting.desktop, waiting.ticket.id)).json.ticket.status).toBe('pending')
    t.clock.advance(1)
    try {
      expect((await poll(waiting.desktop, waiting.ticket.id)).json.ticket.status).toBe('expired')
      expect((await owner.post(`${tickets}/scan`, { token: waiting.token })).json.ticket.status).toBe('expired')
      const late = await owner.post(`${tickets}/confirm`, { token: waiting.token })
      expect(late.status).toBe(409)
      expect(late.json.error).toMatchObject({ code: 'invalid_status', from: 'expired' })
      expect((await poll(confirmed.desktop, confirmed.ticket.id)).json.ticket.status).toBe('expired')
      expect(confirmed.desktop.cookies.has('kq_sid')).toBe(false)
    } finally {
      t.clock.advance(-120)
    }
  })

  it('can be cancelled on the phone, after which it can’t be confirmed', async () => {
    const { desktop, ticket, token } = await desktopTicket()
    await owner.post(`${tickets}/scan`, { token })
    const cancel = await owner.post(`${tickets}/cancel`, { token })
    expect(cancel.status).toBe(200)
    expect(cancel.json.ticket.status).toBe('cancelled')
    expect((await poll(desktop, ticket.id)).json.ticket.status).toBe('cancelled')
    const confirm = await owner.post(`${tickets}/confirm`, { token })
    expect(confirm.status).toBe(409)
    expect(confirm.json.error).toMatchObject({ code: 'invalid_status', from: 'cancelled' })
    expect(desktop.cookies.has('kq_sid')).toBe(false)
  })

  it('logs in exactly once when several polls race after the confirm', async () => {
    const { desktop, ticket, token } = await desktopTicket()
    await owner.post(`${tickets}/scan`, { token })
    await owner.post(`${tickets}/confirm`, { token })
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        fetch(`${t.url}${tickets}/${ticket.id}`, { headers: { cookie: desktop.cookieHeader() } }),
      ),
    )
    const sessions = answers.filter(r => r.headers.getSetCookie().some(c => c.startsWith('kq_sid=')))
    expect(sessions).toHaveLength(1)
    const statuses = await Promise.all(answers.map(async r => ((await r.json()) as any).ticket.status))
    expect(statuses).toEqual(Array(8).fill('used'))
  })

  it('refuses to confirm for someone who belongs to no merchant (403), and needs a login to scan', async () => {
    const { token } = await desktopTicket()
    const anon = await new Phone(t.url).post(`${tickets}/scan`, { token })
    expect(anon.status).toBe(401)
    expect(decodeURIComponent(anon.json.error.loginUrl)).toContain(`/console/scan?t=${token}`)
    const stranger = new Phone(t.url)
    await stranger.login()
    const scan = await stranger.post(`${tickets}/scan`, { token })
    expect(scan.json.merchants).toEqual([])
    const confirm = await stranger.post(`${tickets}/confirm`, { token })
    expect(confirm.status).toBe(403)
    expect(confirm.json.error.code).toBe('forbidden')
  })

  it('confirms only for the phone that scanned last', async () => {
    const { token } = await desktopTicket()
    await owner.post(`${tickets}/scan`, { token })
    const other = new Phone(t.url)
    await other.login()
    await other.post(`${tickets}/scan`, { token })
    const res = await owner.post(`${tickets}/confirm`, { token })
    expect(res.status).toBe(409)
    expect(res.json.error).toMatchObject({ code: 'invalid_status', from: 'scanned' })
  })

  it('answers 404 to an unknown token, and refuses a phone’s form post', async () => {
    expect((await owner.post(`${tickets}/scan`, { token: 'x'.repeat(32) })).status).toBe(404)
    const { token } = await desktopTicket()
    await owner.post(`${tickets}/scan`, { token })
    const form = await owner.request('POST', `${tickets}/confirm`, { form: { token } })
    expect(form.status).toBe(400)
    expect(form.json.error.code).toBe('invalid_request')
    expect((await owner.post(`${tickets}/scan`, { token })).json.ticket.status).toBe('scanned')
  })

  it.each([
    [DESKTOP_UA, '电脑浏览器 · Chrome · Windows'],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
      '电脑浏览器 · Safari · macOS',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
      '电脑浏览器 · Edge · Windows',
    ],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', '电脑浏览器 · Firefox · Linux'],
    ['curl/8.0', '电脑浏览器'],
  ])('describes the desktop to the phone: %s', async (userAgent, browser) => {
    const res = await fetch(`${t.url}${tickets}`, { method: 'POST', headers: { 'user-agent': userAgent } })
    const token = new URL(((await res.json()) as any).ticket.qrUrl).searchParams.get('t')!
    expect((await owner.post(`${tickets}/scan`, { token })).json.browser).toBe(browser)
  })

  it('limits how many tickets one address makes per minute', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 125; i++) statuses.push((await fetch(`${t.url}${tickets}`, { method: 'POST' })).status)
    expect(statuses.filter(s => s === 201).length).toBeLessThanOrEqual(120)
    expect(statuses.at(-1)).toBe(429)
    t.clock.advance(60)
    expect((await fetch(`${t.url}${tickets}`, { method: 'POST' })).status).toBe(201)
  })
})
