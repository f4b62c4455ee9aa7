/**
 * What WeChat's client does when a page calls wx.addCard, done over HTTP against the
 * sandbox: the same endpoint the sandbox bridge posts to after the user taps 添加.
 */
import type { Phone } from './phone.ts'

export async function addToSandboxWallet(phone: Phone, cardId: string, cardExt: string) {
  const res = await phone.post('/__wx/bridge/add-card', { card_list: [{ card_id: cardId, card_ext: cardExt }] })
  return res.json as { ok: true; list: { card_id: string; code: string }[] } | { ok: false; reason: string }
}

/** Waits until `check` holds, for events WeChat delivers on its own schedule (pushes). */
export async function eventually(check: () => Promise<boolean>, ms = 3000): Promise<void> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await check()) return
    await new Promise(r => setTimeout(r, 25))
  }
  throw new Error('condition not met in time')
}
