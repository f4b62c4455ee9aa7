import type { TestApp } from './app.ts'
import { Phone } from './phone.ts'

export async function inviteUrl(t: TestApp, storeId: string, ttlMinutes?: number): Promise<string> {
  const res = await fetch(`${t.url}/api/admin/stores/${storeId}/clerk-invites`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.config.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(ttlMinutes ? { ttlMinutes } : {}),
  })
  if (res.status !== 201) throw new Error(`invite failed: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { url: string }).url
}

/** A phone that opened an invite link for `storeId`, logged in and became its clerk. */
export async function clerkPhone(t: TestApp, storeId: string): Promise<Phone> {
  return joinAsClerk(t, await inviteUrl(t, storeId))
}

/** A new phone that opened a clerk invite link (the operator's or a console's), logged in and joined. */
export async function joinAsClerk(t: TestApp, invite: string): Promise<Phone> {
  const phone = new Phone(t.url)
  const url = new URL(invite)
  const first = await phone.get(url.pathname + url.search)
  await phone.follow(first.location!.split('#')[0]!, loc => loc.startsWith('/clerk'))
  const joined = await phone.get(url.pathname + url.search)
  if (!joined.location?.startsWith('/clerk'))
    throw new Error(`joining failed: ${joined.status} ${joined.body.slice(0, 200)}`)
  return phone
}
