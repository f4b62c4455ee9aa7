/**
 * WeChat Pay for server tests, written with node:crypto alone so the code under test is never
 * checked against itself: the documented 商家券 cardExt sign, callbacks signed and encrypted as
 * WeChat Pay makes them, and APIv3-signed requests to the sandbox.
 */
import { createCipheriv, createHmac, createSign, randomBytes, randomUUID } from 'node:crypto'
import { sandboxWxPayKeys } from '../../src/server/sandbox/wxpay/keys.ts'
import { WxPayClient } from '../../src/server/wechatpay/client.ts'
import { registerNotifyUrl } from '../../src/server/wechatpay/setup.ts'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { startTestApp, type TestApp } from './app.ts'
import { newKey, Phone } from './phone.ts'
import { addToSandboxWallet } from './wallet.ts'

export const BUSIFAVOR_OFFER = 'americano-5off'

export const payKeys = (t: TestApp) => sandboxWxPayKeys(t.database.db)
export const payClient = (t: TestApp, o: { deadlineMs?: number; timeoutMs?: number } = {}) =>
  new WxPayClient(t.config.wxpay!, { clock: t.clock, backoffMs: 50, ...o })

/** What Kaquan does at start (main.ts): COUPON.SEND goes to this app. */
export const pointCallbacksAt = (t: TestApp) => registerNotifyUrl(payClient(t))

/**
 * One sandbox app for a test file, handed over with the 商家券 offer's stock id once it is up; the
 * faults a test plans are cleared after it.
 */
export function withBusifavorApp(ready: (t: TestApp, stockId: string) => void): void {
  let t: TestApp | undefined
  beforeAll(async () => {
    t = await startTestApp()
    ready(t, await demoStockId(t))
  })
  afterAll(async () => {
    await t?.close()
  })
  afterEach(async () => {
    if (t) await fetch(`${t.url}/__wx/faults`, { method: 'DELETE' })
  })
}

export async function demoStockId(t: TestApp): Promise<string> {
  const o = await t.database.db
    .selectFrom('offers')
    .select('wx_stock_id')
    .where('id', '=', BUSIFAVOR_OFFER)
    .executeTakeFirstOrThrow()
  return o.wx_stock_id!
}

/**
 * The V2 rule (安全规范 签名算法) over the indexed fields (参与签名字段说明): drop empties, ASCII order, raw values,
 * &key=, HMAC-SHA256, upper hex.
 */
export function documentedSign(fields: Record<string, string | undefined>, apiV2Key: string): string {
  const text = Object.keys(fields)
    .filter(k => fields[k])
    .sort()
    .map(k => `${k}=${fields[k]}`)
    .join('&')
  return createHmac('sha256', apiV2Key).update(`${text}&key=${apiV2Key}`).digest('hex').toUpperCase()
}

/** A phone that claimed the 商家券 offer and holds a signed cardExt for it. */
export async function busifavorClaim(t: TestApp, phone = new Phone(t.url)) {
  if (!phone.cookies.size) await phone.login()
  const res = await phone.post(`/api/offers/${BUSIFAVOR_OFFER}/claim`, {}, { 'idempotency-key': newKey() })
  if (res.status !== 201) throw new Error(`claim failed: ${res.status} ${res.body}`)
  const coupon = res.json.coupon as { id: string; code: string }
  const openid = (await phone.get('/api/me')).json.user.openid as string
  const ext = await phone.get(`/api/coupons/${coupon.id}/card-ext`)
  if (ext.status !== 200) throw new Error(`card-ext failed: ${ext.status} ${ext.body}`)
  return { phone, coupon, openid, cardId: ext.json.cardId as string, cardExt: ext.json.cardExt as string }
}

/** The same, then 添加 in WeChat's sheet (the bridge's call) and the page's report. */
export async function busifavorInWallet(t: TestApp) {
  const c = await busifavorClaim(t)
  const added = await addToSandboxWallet(c.phone, c.cardId, c.cardExt)
  if (!added.ok) throw new Error(`addCard failed: ${added.reason}`)
  const res = await c.phone.post(`/api/coupons/${c.coupon.id}/wallet`, {})
  if (res.status !== 200) throw new Error(`wallet report failed: ${res.status} ${res.body}`)
  return c
}

export interface Callback {
  headers: Record<string, string>
  body: string
  id: string
}

/** Epoch seconds as WeChat Pay writes a time: RFC 3339 in China's zone. */
export const chinaTime = (s: number) => `${new Date((s + 8 * 3600) * 1000).toISOString().slice(0, 19)}+08:00`

/** A COUPON.SEND callback as WeChat Pay sends it, signed with the sandbox's platform key. */
export async function couponSend(
  t: TestApp,
  coupon: { stock_id: string; coupon_code: string; openid?: string; send_time?: string },
  o: {
    id?: string
    timestamp?: number
    serial?: string
    signature?: (real: string) => string
    apiV3Key?: string
    body?: (b: string) => string
  } = {},
): Promise<Callback> {
  const k = await payKeys(t)
  const id = o.id ?? randomUUID()
  const plain = JSON.stringify({
    event_type: 'EVENT_TYPE_BUSICOUPON_SEND',
    send_time: chinaTime(t.clock.now()),
    send_channel: 'BUSICOUPON_SEND_CHANNEL_JSAPI',
    send_merchant: k.mchid,
    openid: '',
    unionid: '',
    ...coupon,
  })
  const nonce = randomBytes(6).toString('hex')
  const c = createCipheriv('aes-256-gcm', Buffer.from(o.apiV3Key ?? k.apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'))
  c.setAAD(Buffer.from('coupon', 'utf8'))
  const ciphertext = Buffer.concat([c.update(plain, 'utf8'), c.final(), c.getAuthTag()]).toString('base64')
  let body = JSON.stringify({
    id,
    create_time: chinaTime(t.clock.now()),
    resource_type: 'encrypt-resource',
    event_type: 'COUPON.SEND',
    summary: '商家券领券通知',
    resource: { original_type: 'coupon', algorithm: 'AEAD_AES_256_GCM', ciphertext, associated_data: 'coupon', nonce },
  })
  const timestamp = String(o.timestamp ?? t.clock.now())
  const wxNonce = randomBytes(16).toString('hex')
  const signature = createSign('RSA-SHA256')
    .update(`${timestamp}\n${wxNonce}\n${body}\n`)
    .sign(k.platformPrivateKey, 'base64')
  if (o.body) body = o.body(body)
  return {
    id,
    body,
    headers: {
      'content-type': 'application/json',
      'wechatpay-timestamp': timestamp,
      'wechatpay-nonce': wxNonce,
      'wechatpay-serial': o.serial ?? k.platformPublicKeyId,
      'wechatpay-signature': o.signature ? o.signature(signature) : signature,
      'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
      'request-id': randomUUID(),
    },
  }
}

export async function postCallback(t: TestApp, cb: Callback): Promise<{ status: number; body: string }> {
  const res = await fetch(`${t.url}/wechatpay/notify`, { method: 'POST', headers: cb.headers, body: cb.body })
  return { status: res.status, body: await res.text() }
}

/** A request to the sandbox's WeChat Pay signed by hand (APIv3 签名生成), to see what it checks. */
export async function signedRequest(
  t: TestApp,
  method: 'GET' | 'POST',
  path: string,
  body: unknown,
  o: { tamper?: 'signature' | 'mchid' | 'serial' | 'stale'; headers?: Record<string, string>; auth?: string } = {},
) {
  const k = await payKeys(t)
  const text = body === undefined ? '' : JSON.stringify(body)
  const url = `/__wxpay${path}`
  const timestamp = String(t.clock.now() - (o.tamper === 'stale' ? 600 : 0))
  const nonce = randomBytes(16).toString('hex')
  const message = `${method}\n${url}\n${timestamp}\n${nonce}\n${text}\n`
  const signature = createSign('RSA-SHA256')
    .update(o.tamper === 'signature' ? `${message} ` : message)
    .sign(k.merchantPrivatePem, 'base64')
  const mchid = o.tamper === 'mchid' ? '1900000001' : k.mchid
  const serial = o.tamper === 'serial' ? 'ABCDEF0123456789ABCDEF0123456789ABCDEF01' : k.certSerial
  const authorization =
    o.auth ??
    `WECHATPAY2-SHA256-RSA2048 mchid="${mchid}",nonce_str="${nonce}",signature="${signature}",timestamp="${timestamp}",serial_no="${serial}"`
  const res = await fetch(`${t.url}${url}`, {
    method,
    headers: {
      accept: 'application/json',
      'user-agent': 'kaquan-test',
      authorization,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...o.headers,
    },
    body: body === undefined ? undefined : text,
  })
  const raw = Buffer.from(await res.arrayBuffer())
  return { status: res.status, headers: res.headers, raw, json: raw.length ? JSON.parse(raw.toString('utf8')) : null }
}
