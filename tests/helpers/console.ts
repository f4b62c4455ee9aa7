/**
 * The console's people for server tests: the demo café's owner (the sandbox persona 老王, logged in
 * through the sandbox's OAuth as a phone would), merchants made by the operator, and members who
 * joined through real invite links (with the WeChat consent screen the console's login asks for).
 */
import { DAY, isoOf } from '../../src/shared/time.ts'
import { DEMO_OWNER } from '../../src/server/sandbox/seed.ts'
import type { TestApp } from './app.ts'
import { type Hop, Phone } from './phone.ts'

export const DESKTOP_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

/** Opens a link the way WeChat would: logging in (consenting when asked) until it lands past the login hops. */
export async function openWithWeChat(phone: Phone, link: string): Promise<Hop> {
  let next = link
  for (let i = 0; i < 12; i++) {
    const hop = await phone.get(next)
    if (hop.status === 200 && next.includes('/__wx/connect/oauth2/authorize')) {
      const a = new URL(next, phone.base)
      const form = Object.fromEntries(
        ['appid', 'redirect_uri', 'scope', 'state'].map(k => [k, a.searchParams.get(k) ?? '']),
      )
      const allowed = await phone.request('POST', '/__wx/connect/oauth2/authorize/decision', {
        form: { ...form, decision: 'allow' },
      })
      next = allowed.location!
      continue
    }
    if (hop.status < 300 || hop.status >= 400 || !hop.location) return hop
    const location = hop.location.split('#')[0]!
    if (!/\/auth\/|\/__wx\/|\/console\/join/.test(location)) return hop
    next = location
  }
  throw new Error(`${link} did not settle`)
}

/** A phone handed to a sandbox persona, then logged in to the site as them. */
export async function personaPhone(t: Pick<TestApp, 'url'>, openid: string, userAgent?: string): Promise<Phone> {
  const phone = new Phone(t.url, userAgent)
  await phone.request('POST', '/__wx/personas/switch', { form: { openid, return: '/' } })
  await phone.login('/console')
  return phone
}

/** The demo café's owner, 老王, signed in. */
export function consolePhone(t: Pick<TestApp, 'url'>, userAgent?: string): Promise<Phone> {
  return personaPhone(t, DEMO_OWNER.openid, userAgent)
}

/** A merchant made by the operator, and its owner who joined through the invite. */
export async function newMerchant(t: TestApp, name: string): Promise<{ id: string; owner: Phone }> {
  const res = await fetch(`${t.url}/api/admin/merchants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.config.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  })
  if (res.status !== 201) throw new Error(`creating a merchant failed: ${res.status} ${await res.text()}`)
  const made = (await res.json()) as { merchant: { id: string }; ownerInvite: { url: string } }
  const owner = new Phone(t.url)
  const landed = await openWithWeChat(owner, made.ownerInvite.url)
  if (landed.location !== '/console') throw new Error(`joining failed: ${landed.status} ${landed.body.slice(0, 200)}`)
  return { id: made.merchant.id, owner }
}

/** A new person who joined `mid` as a manager through an invite its owner made. */
export async function newManager(t: TestApp, owner: Phone, mid: string): Promise<Phone> {
  const res = await owner.post(`/api/console/merchants/${mid}/invites`, { role: 'manager' })
  if (res.status !== 201) throw new Error(`invite failed: ${res.status} ${res.body}`)
  const phone = new Phone(t.url)
  const landed = await openWithWeChat(phone, res.json.url)
  if (landed.location !== '/console') throw new Error(`joining failed: ${landed.status} ${landed.body.slice(0, 200)}`)
  return phone
}

/** A console write or read with a JSON body, as the console's web app sends it. */
export function consoleCall(phone: Phone, method: string, path: string, body?: unknown, ifMatch?: number) {
  return phone.request(method, path, { body, headers: ifMatch === undefined ? {} : { 'if-match': String(ifMatch) } })
}

/** A complete, valid offer for the console: a live cash coupon, 5 yuan off 30, for every store. */
export function offerBody(t: TestApp, over: Record<string, unknown> = {}) {
  const now = t.clock.now()
  return {
    title: '测试满30减5',
    kind: 'cash',
    valueFen: 500,
    thresholdFen: 3000,
    stockTotal: 100,
    perUserLimit: 1,
    startsAt: isoOf(now - 60),
    endsAt: isoOf(now + 30 * DAY),
    validity: { type: 'relative', days: 7 },
    allStores: true,
    status: 'live',
    ...over,
  }
}
