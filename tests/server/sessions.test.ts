/**
 * Sessions end when people end them (logout, log out everywhere, a revoked clerk) on every
 * process, and a login can't be planted in someone else's browser (login CSRF).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { clerkPhone } from '../helpers/clerk.ts'
import { Phone } from '../helpers/phone.ts'
import { eventually } from '../helpers/wallet.ts'

let t: TestApp
let other: TestApp
beforeAll(async () => {
  t = await startTestApp({ env: { TRUST_PROXY: '1' } })
  other = await startTestApp({ database: t.database, clock: t.clock, env: { TRUST_PROXY: '1' } })
})
afterAll(async () => {
  await other.close()
  await t.close()
})

const me = (p: Phone, base = t.url) => p.get(`${base}/api/me`)
/** The same cookies, replayed from another place: what a copied cookie can do. */
const copyOf = (p: Phone) => {
  const c = new Phone(t.url)
  for (const [k, v] of p.cookies) c.cookies.set(k, v)
  return c
}

describe('ending a session', () => {
  it('logout makes a cookie saved before it useless, here and on another process', async () => {
    const phone = new Phone(t.url)
    await phone.login()
    const saved = copyOf(phone)
    expect((await me(saved)).status).toBe(200)
    expect((await me(saved, other.url)).status).toBe(200)
    expect((await phone.post('/auth/logout')).status).toBe(204)
    expect((await me(saved)).status).toBe(401)
    await eventually(async () => (await me(saved, other.url)).status === 401, 3000)
    // The landing page no longer renders the person as logged in either.
    const page = await saved.get('/o/latte-10off', { accept: 'text/html' })
    expect(page.body).toMatch(/"user":null/)
  })

  it('log out everywhere ends the sessions of every browser of that person, and a new login works', async () => {
    const a = new Phone(t.url)
    await a.login()
    // Another browser of the same WeChat user (same sandbox phone identity), logged in separately.
    const b = new Phone(t.url)
    b.cookies.set('wxsb_user', a.cookies.get('wxsb_user')!)
    await b.login()
    expect((await me(b)).json.user.id).toBe((await me(a)).json.user.id)
    expect((await a.post('/auth/logout-everywhere')).status).toBe(204)
    expect((await me(a)).status).toBe(401)
    expect((await me(b)).status).toBe(401)
    await eventually(async () => (await me(b, other.url)).status === 401, 3000)
    t.clock.advance(1)
    await b.login()
    expect((await me(b)).status).toBe(200)
  })

  it('a revoked clerk’s phone stops working at once', async () => {
    const clerk = await clerkPhone(t, 'jingansi')
    const list = await fetch(`${t.url}/api/admin/stores/jingansi/clerks`, {
      headers: { authorization: `Bearer ${t.config.adminToken}` },
    }).then(r => r.json() as Promise<{ clerks: { id: string; revokedAt: string | null }[] }>)
    const mine = list.clerks.filter(c => !c.revokedAt).at(-1)!
    const revoked = await fetch(`${t.url}/api/admin/clerks/${mine.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${t.config.adminToken}` },
    })
    expect(revoked.status).toBe(204)
    expect((await clerk.get('/api/clerk/me')).status).toBe(401)
  })

  it('a revocation is known to a process that starts after it', async () => {
    const phone = new Phone(t.url)
    await phone.login()
    const saved = copyOf(phone)
    await phone.post('/auth/logout')
    const late = await startTestApp({ database: t.database, clock: t.clock })
    try {
      expect((await me(saved, late.url)).status).toBe(401)
    } finally {
      await late.close()
    }
  })
})

describe('login CSRF', () => {
  /** The attacker logs in on their own phone, then starts again and keeps the callback link unused. */
  async function plantedCallback() {
    const attacker = new Phone(t.url)
    attacker.headers['x-forwarded-for'] = '203.0.113.7'
    await attacker.login()
    const attackerOpenid = (await me(attacker)).json.user.openid as string
    const hops = await attacker.follow('/auth/wechat/login?return=/me/coupons', loc =>
      loc.includes('/auth/wechat/callback'),
    )
    const link = hops.at(-1)!.location!.split('#')[0]!
    expect(link).toMatch(/\/auth\/wechat\/callback\?code=.+&state=/)
    return { attackerOpenid, link, userAgent: attacker.userAgent }
  }

  it('a victim without a session who opens the planted link is logged in as themselves', async () => {
    const { attackerOpenid, link } = await plantedCallback()
    const victim = new Phone(t.url)
    victim.headers['x-forwarded-for'] = '198.51.100.23'
    await victim.follow(
      new URL(link).pathname + new URL(link).search,
      loc => !loc.includes('/auth/') && !loc.includes('/__wx/'),
    )
    const who = await me(victim)
    expect(who.status).toBe(200)
    expect(who.json.user.openid).not.toBe(attackerOpenid)
  })

  it('a victim with a session is never switched to the attacker, even from the same network and browser', async () => {
    const { attackerOpenid, link } = await plantedCallback()
    const victim = new Phone(t.url)
    victim.headers['x-forwarded-for'] = '203.0.113.7'
    await victim.login()
    const before = (await me(victim)).json.user.openid
    await victim.follow(
      new URL(link).pathname + new URL(link).search,
      loc => !loc.includes('/auth/') && !loc.includes('/__wx/'),
    )
    const after = (await me(victim)).json.user.openid
    expect(after).toBe(before)
    expect(after).not.toBe(attackerOpenid)
  })

  it('still finishes a login whose start cookie WeChat’s browser dropped, from the same browser', async () => {
    const phone = new Phone(t.url)
    phone.headers['x-forwarded-for'] = '192.0.2.50'
    const hops = await phone.follow('/auth/wechat/login?return=/', loc => loc.includes('/auth/wechat/callback'))
    phone.cookies.delete('kq_oauth_state')
    const link = new URL(hops.at(-1)!.location!.split('#')[0]!)
    const done = await phone.get(link.pathname + link.search)
    expect(done.location).toBe('/')
    expect((await me(phone)).status).toBe(200)
  })
})
