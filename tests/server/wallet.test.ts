import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { cardExtSignature } from '../../src/server/wechat/sign.ts'
import { DEMO_CARD_ID } from '../../src/server/sandbox/seed.ts'
import { planFault, startTestApp, type TestApp } from '../helpers/app.ts'
import { newKey, Phone } from '../helpers/phone.ts'
import { addToSandboxWallet, eventually } from '../helpers/wallet.ts'
import { sandboxDb } from '../../src/server/sandbox/schema.ts'
import { pushEvent } from '../../src/server/sandbox/wallet.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => {
  await t.close()
})
afterEach(async () => {
  await fetch(`${t.url}/__wx/faults`, { method: 'DELETE' })
})

async function claimed(offer = 'latte-10off', body: Record<string, string> = { ch: 'share', ref: 'friend7' }) {
  const phone = new Phone(t.url)
  await phone.login()
  const coupon = (await phone.post(`/api/offers/${offer}/claim`, body, { 'idempotency-key': newKey() })).json.coupon
  const openid = (await phone.get('/api/me')).json.user.openid as string
  return { phone, coupon, openid }
}
const walletAdds = async (couponId: string) =>
  await t.database.db
    .selectFrom('events')
    .selectAll()
    .where('coupon_id', '=', couponId)
    .where('type', '=', 'wallet_add')
    .execute()
const row = (id: string) =>
  t.database.db.selectFrom('coupons').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
/**
 * Adds the card to the sandbox wallet with WeChat's user_get_card push lost, and waits until the
 * sandbox has given up on it: no push of this add is left to land in a later test.
 */
async function addWithPushLost(phone: Phone, cardExt: string) {
  await planFault(t, 'push:user_get_card', 'fail', 1)
  const added = await addToSandboxWallet(phone, DEMO_CARD_ID, cardExt)
  if (!added.ok) throw new Error(added.reason)
  await eventually(
    async () =>
      (
        await sandboxDb(t.database.db)
          .selectFrom('sandbox_faults')
          .select('remaining')
          .where('target', '=', 'push:user_get_card')
          .executeTakeFirstOrThrow()
      ).remaining === 0,
  )
  return added
}
/** A card event delivered to Kaquan as WeChat delivers it (the sandbox's push); true when answered success. */
const wechatPush = (event: string, createTime: number, openid: string, code: string) =>
  pushEvent(
    { config: t.config, clock: t.clock, db: t.database.db },
    { FromUserName: openid, CreateTime: createTime, Event: event, CardId: DEMO_CARD_ID, UserCardCode: code },
  )

describe('the signed cardExt', () => {
  it('carries the coupon’s code, the user’s openid, a fresh timestamp and nonce, the channel, and WeChat’s signature', async () => {
    const { phone, coupon, openid } = await claimed()
    const res = await phone.get(`/api/coupons/${coupon.id}/card-ext`)
    expect(res.status).toBe(200)
    expect(res.json.cardId).toBe(DEMO_CARD_ID)
    const ext = JSON.parse(res.json.cardExt)
    expect(ext).toMatchObject({ code: coupon.code, openid, outer_str: 'share' })
    expect(ext.timestamp).toBe(String(t.clock.now()))
    const ticket = (
      await t.database.db
        .selectFrom('wx_credentials')
        .select('value')
        .where('kind', '=', 'wx_card')
        .executeTakeFirstOrThrow()
    ).value!
    expect(ext.signature).toBe(
      cardExtSignature({
        apiTicket: ticket,
        timestamp: ext.timestamp,
        cardId: DEMO_CARD_ID,
        code: coupon.code,
        openid,
        nonceStr: ext.nonce_str,
      }),
    )
    const again = JSON.parse((await phone.get(`/api/coupons/${coupon.id}/card-ext`)).json.cardExt)
    expect(again.nonce_str).not.toBe(ext.nonce_str)
  })

  it('is a 404 for another user’s coupon', async () => {
    const { coupon } = await claimed()
    const other = new Phone(t.url)
    await other.login()
    expect((await other.get(`/api/coupons/${coupon.id}/card-ext`)).status).toBe(404)
  })

  it('is a 409 no_wallet_card for an H5-only offer', async () => {
    const { phone, coupon } = await claimed('all-88')
    const res = await phone.get(`/api/coupons/${coupon.id}/card-ext`)
    expect(res.status).toBe(409)
    expect(res.json.error.code).toBe('no_wallet_card')
  })

  it('is refused by the sandbox when tampered with, as WeChat refuses it', async () => {
    const { phone, coupon } = await claimed()
    const ext = JSON.parse((await phone.get(`/api/coupons/${coupon.id}/card-ext`)).json.cardExt)
    const forged = await addToSandboxWallet(phone, DEMO_CARD_ID, JSON.stringify({ ...ext, code: '1234567890123456' }))
    expect(forged).toEqual({ ok: false, reason: 'fail_invalid_signature' })
    const other = new Phone(t.url)
    await other.login()
    expect(await addToSandboxWallet(other, DEMO_CARD_ID, JSON.stringify(ext))).toEqual({
      ok: false,
      reason: 'fail_openid_not_match',
    })
  })
})

describe('recording a wallet add', () => {
  it('records one wallet add with the claim’s channel after WeChat confirms the code, and repeating it is harmless', async () => {
    const { phone, coupon } = await claimed()
    const { cardExt } = (await phone.get(`/api/coupons/${coupon.id}/card-ext`)).json
    const added = await addToSandboxWallet(phone, DEMO_CARD_ID, cardExt)
    if (!added.ok) throw new Error(added.reason)
    const res = await phone.post(`/api/coupons/${coupon.id}/wallet`, { encryptCode: added.list[0]!.code })
    expect(res.status).toBe(200)
    expect(res.json.coupon.inWallet).toBe(true)
    expect((await phone.post(`/api/coupons/${coupon.id}/wallet`, { encryptCode: added.list[0]!.code })).status).toBe(
      200,
    )
    // The user_get_card push arrives too; still one wallet add.
    await new Promise(r => setTimeout(r, 300))
    const events = await walletAdds(coupon.id)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ channel: 'share', ref: 'friend7' })
  })

  it('refuses a wrong or foreign encrypted code with 409 and changes nothing', async () => {
    const a = await claimed()
    const b = await claimed()
    const extB = (await b.phone.get(`/api/coupons/${b.coupon.id}/card-ext`)).json.cardExt
    const addedB = await addToSandboxWallet(b.phone, DEMO_CARD_ID, extB)
    if (!addedB.ok) throw new Error(addedB.reason)
    const foreign = await a.phone.post(`/api/coupons/${a.coupon.id}/wallet`, { encryptCode: addedB.list[0]!.code })
    expect(foreign.status).toBe(409)
    expect(foreign.json.error.code).toBe('code_mismatch')
    const garbage = await a.phone.post(`/api/coupons/${a.coupon.id}/wallet`, {
      encryptCode: 'bm90LWEtY29kZS1hdC1hbGwtMTIzNDU2Nzg5MA==',
    })
    expect(garbage.status).toBe(409)
    const notAdded = await a.phone.post(`/api/coupons/${a.coupon.id}/wallet`, {})
    expect(notAdded.status).toBe(409)
    expect((await row(a.coupon.id)).in_wallet).toBe(0)
    expect(await walletAdds(a.coupon.id)).toHaveLength(0)
  })

  it('reconciles from the push alone when the page never called back', async () => {
    const { phone, coupon } = await claimed()
    const { cardExt } = (await phone.get(`/api/coupons/${coupon.id}/card-ext`)).json
    expect((await addToSandboxWallet(phone, DEMO_CARD_ID, cardExt)).ok).toBe(true)
    await eventually(async () => (await row(coupon.id)).in_wallet === 1)
    expect((await phone.get(`/api/coupons/${coupon.id}`)).json.coupon.inWallet).toBe(true)
    expect(await walletAdds(coupon.id)).toHaveLength(1)
  })

  it('marks a coupon deleted from the wallet as no longer there, still available', async () => {
    const { phone, coupon } = await claimed()
    const { cardExt } = (await phone.get(`/api/coupons/${coupon.id}/card-ext`)).json
    await addToSandboxWallet(phone, DEMO_CARD_ID, cardExt)
    await eventually(async () => (await row(coupon.id)).in_wallet === 1)
    const del = await phone.post('/__wx/bridge/wallet/delete', { code: coupon.code })
    expect(del.json.ok).toBe(true)
    const c = (await phone.get(`/api/coupons/${coupon.id}`)).json.coupon
    expect(c.inWallet).toBe(false)
    expect(c.status).toBe('available')
    expect((await row(coupon.id)).wallet_removed_at).not.toBeNull()
  })

  it('hears from the sandbox an add push stamped with the moment of the add, however late it comes', async () => {
    const { phone, coupon } = await claimed()
    const { cardExt } = (await phone.get(`/api/coupons/${coupon.id}/card-ext`)).json
    const addedAt = t.clock.now()
    expect((await addToSandboxWallet(phone, DEMO_CARD_ID, cardExt)).ok).toBe(true)
    // The push is due 50 ms after the add; time moves on before it is sent.
    t.clock.advance(40)
    const pushed = async () =>
      (
        await t.database.db
          .selectFrom('wx_push_events')
          .select('payload')
          .where('event', '=', 'user_get_card')
          .execute()
      )
        .map(r => JSON.parse(r.payload) as Record<string, string>)
        .find(e => e.UserCardCode === coupon.code)
    await eventually(async () => (await pushed()) !== undefined)
    expect(Number((await pushed())!.CreateTime)).toBe(addedAt)
  })

  it('ignores an add push that arrives after the card left the wallet: no second wallet add', async () => {
    const { phone, coupon, openid } = await claimed()
    const { cardExt } = (await phone.get(`/api/coupons/${coupon.id}/card-ext`)).json
    // WeChat holds the add's push back; the page records the add, then the card is deleted.
    const added = await addWithPushLost(phone, cardExt)
    const addedAt = t.clock.now()
    await phone.post(`/api/coupons/${coupon.id}/wallet`, { encryptCode: added.list[0]!.code })
    t.clock.advance(30)
    expect((await phone.post('/__wx/bridge/wallet/delete', { code: coupon.code })).json.ok).toBe(true)
    // The held-back add is delivered now, stamped with the time of the add.
    expect(await wechatPush('user_get_card', addedAt, openid, coupon.code)).toBe(true)
    expect((await row(coupon.id)).in_wallet).toBe(0)
    expect(await walletAdds(coupon.id)).toHaveLength(1)
    // A later add of the code is news, and is recorded.
    t.clock.advance(30)
    await wechatPush('user_get_card', t.clock.now(), openid, coupon.code)
    expect((await row(coupon.id)).in_wallet).toBe(1)
  })

  it('ignores a delete push older than the wallet add the page recorded since', async () => {
    const { phone, coupon, openid } = await claimed()
    const { cardExt } = (await phone.get(`/api/coupons/${coupon.id}/card-ext`)).json
    const added = await addWithPushLost(phone, cardExt)
    t.clock.advance(30)
    await phone.post(`/api/coupons/${coupon.id}/wallet`, { encryptCode: added.list[0]!.code })
    expect((await row(coupon.id)).in_wallet).toBe(1)
    const stale = t.clock.now() - 20
    expect(await wechatPush('user_del_card', stale, openid, coupon.code)).toBe(true)
    expect((await row(coupon.id)).in_wallet).toBe(1)
    await wechatPush('user_del_card', t.clock.now(), openid, coupon.code)
    expect((await row(coupon.id)).in_wallet).toBe(0)
  })

  it('stamps an add its push reconciles with the moment of the add: the delete that followed still counts', async () => {
    const { phone, coupon, openid } = await claimed()
    const { cardExt } = (await phone.get(`/api/coupons/${coupon.id}/card-ext`)).json
    // Neither the page nor the push records the add; WeChat's retries bring both events later.
    await addWithPushLost(phone, cardExt)
    const addedAt = t.clock.now()
    t.clock.advance(10)
    const deletedAt = t.clock.now()
    t.clock.advance(10)
    expect(await wechatPush('user_get_card', addedAt, openid, coupon.code)).toBe(true)
    expect((await row(coupon.id)).in_wallet).toBe(1)
    expect(await wechatPush('user_del_card', deletedAt, openid, coupon.code)).toBe(true)
    expect((await row(coupon.id)).in_wallet).toBe(0)
  })

  it('stamps a delete with the moment of the delete: an add after it, reported later, is news', async () => {
    const { phone, coupon, openid } = await claimed()
    const { cardExt } = (await phone.get(`/api/coupons/${coupon.id}/card-ext`)).json
    const added = await addWithPushLost(phone, cardExt)
    await phone.post(`/api/coupons/${coupon.id}/wallet`, { encryptCode: added.list[0]!.code })
    t.clock.advance(10)
    const deletedAt = t.clock.now()
    t.clock.advance(10)
    const addedAgainAt = t.clock.now()
    t.clock.advance(10)
    expect(await wechatPush('user_del_card', deletedAt, openid, coupon.code)).toBe(true)
    expect((await row(coupon.id)).in_wallet).toBe(0)
    expect(await wechatPush('user_get_card', addedAgainAt, openid, coupon.code)).toBe(true)
    expect((await row(coupon.id)).in_wallet).toBe(1)
  })

  it('retries a busy decrypt and succeeds; a lasting outage is a clear 502 with nothing half-written', async () => {
    const { phone, coupon } = await claimed()
    const { cardExt } = (await phone.get(`/api/coupons/${coupon.id}/card-ext`)).json
    // WeChat's push is lost this time, so only the page callback can record the wallet add.
    const added = await addWithPushLost(phone, cardExt)
    expect((await row(coupon.id)).in_wallet).toBe(0)

    await planFault(t, '/card/code/decrypt', '-1', 1000)
    const down = await phone.post(`/api/coupons/${coupon.id}/wallet`, { encryptCode: added.list[0]!.code })
    expect(down.status).toBe(502)
    expect(down.json.error.code).toBe('wechat_unavailable')
    expect((await row(coupon.id)).in_wallet).toBe(0)
    expect(await walletAdds(coupon.id)).toHaveLength(0)

    await planFault(t, '/card/code/decrypt', '-1', 2)
    const ok = await phone.post(`/api/coupons/${coupon.id}/wallet`, { encryptCode: added.list[0]!.code })
    expect(ok.status).toBe(200)
    expect(await walletAdds(coupon.id)).toHaveLength(1)
  })
})

describe('shutting down with a push still due', () => {
  it('cancels the sandbox’s pending push: nothing of that server runs after close', async () => {
    // A second server on the shared database, so the database outlives it and can be inspected.
    const own = await startTestApp({ database: t.database, clock: t.clock })
    const phone = new Phone(own.url)
    await phone.login()
    const coupon = (await phone.post('/api/offers/latte-10off/claim', {}, { 'idempotency-key': newKey() })).json.coupon
    const { cardExt } = (await phone.get(`/api/coupons/${coupon.id}/card-ext`)).json
    await planFault(own, 'push:user_get_card', 'fail', 1)
    expect((await addToSandboxWallet(phone, DEMO_CARD_ID, cardExt)).ok).toBe(true)
    // The push is due 50 ms after the add; the server closes before then.
    await own.close()
    await new Promise(r => setTimeout(r, 200))
    const fault = await sandboxDb(t.database.db)
      .selectFrom('sandbox_faults')
      .select('remaining')
      .where('target', '=', 'push:user_get_card')
      .executeTakeFirstOrThrow()
    expect(fault.remaining).toBe(1)
    expect((await row(coupon.id)).in_wallet).toBe(0)
    await fetch(`${t.url}/__wx/faults`, { method: 'DELETE' })
  })
})
