/**
 * WeChat Pay's callbacks (领券事件回调通知, pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter9_2_15.shtml):
 * the signature over the raw body first, then the timestamp window, then the envelope, then the
 * AES-256-GCM resource. Pure of HTTP and of the database: the route feeds it headers and bytes and
 * decides what to do with the coupon. A refusal is answered 4xx/5xx, so WeChat Pay sends it again.
 */
import { z } from 'zod'
import { DecryptError, decryptResource } from './crypto.ts'
import type { WxPayConfig } from './keys.ts'
import type { Bytes } from './sign.ts'
import { type HeaderSource, type PlatformKeys, verifySignedBody } from './verify.ts'

export type NotifyRefusal = 'signature' | 'stale' | 'malformed' | 'decrypt'

export class NotifyRefused extends Error {
  constructor(
    readonly kind: NotifyRefusal,
    message: string,
  ) {
    super(message)
  }
}

/**
 * What to answer each refusal with. A decrypt failure is nearly always a wrong APIv3 key on our side
 * ("message authentication failed", as in wechatpay-apiv3/wechatpay-go#247): a 5xx, so WeChat Pay
 * keeps the notification and retries once the key is fixed.
 */
export const refusalStatus: Record<NotifyRefusal, number> = { signature: 401, stale: 401, malformed: 400, decrypt: 500 }

export interface NotifyKeys {
  apiV3Key: string
  platformKeys: PlatformKeys
}

export function notifyKeysOf(c: WxPayConfig): NotifyKeys {
  return { apiV3Key: c.apiV3Key, platformKeys: { [c.platformPublicKeyId]: c.platformPublicKey } }
}

const envelope = z.object({
  id: z.string().min(1),
  create_time: z.string(),
  event_type: z.string().min(1),
  summary: z.string().optional(),
  resource: z.object({
    algorithm: z.literal('AEAD_AES_256_GCM'),
    ciphertext: z.string().min(1),
    nonce: z.string().min(1),
    associated_data: z.string().optional(),
    original_type: z.string().optional(),
  }),
})

/** COUPON.SEND's resource. openid is empty unless the stock was created with notify_config.notify_appid. */
const couponSend = z.looseObject({
  event_type: z.string().optional(),
  stock_id: z.string().min(1),
  coupon_code: z.string().min(1),
  send_time: z.string(),
  openid: z.string().default(''),
  unionid: z.string().default(''),
  send_channel: z.string().default(''),
  send_merchant: z.string().default(''),
  attach_info: z.looseObject({}).optional(),
})

export type CouponSend = z.infer<typeof couponSend>

export interface WxPayNotification {
  /** Unique per notification; WeChat Pay's retries repeat it. */
  id: string
  eventType: string
  createTime: string
  summary: string
  resource: Record<string, unknown>
  /** Set for COUPON.SEND. */
  coupon: CouponSend | null
}

export function openNotification(keys: NotifyKeys, headers: HeaderSource, body: Bytes, now: number): WxPayNotification {
  const check = verifySignedBody(headers, body, keys.platformKeys, now)
  if (!check.ok) throw new NotifyRefused(check.reason, check.message)

  let json: unknown
  try {
    json = JSON.parse(typeof body === 'string' ? body : Buffer.from(body).toString('utf8'))
  } catch {
    throw new NotifyRefused('malformed', 'body is not JSON')
  }
  const env = envelope.safeParse(json)
  if (!env.success)
    throw new NotifyRefused('malformed', `not a WeChat Pay notification (${env.error.issues[0]?.path.join('.')})`)

  let plain: string
  try {
    plain = decryptResource(keys.apiV3Key, env.data.resource)
  } catch (err) {
    if (err instanceof DecryptError) throw new NotifyRefused('decrypt', `resource: ${err.message}`)
    throw err
  }
  let resource: unknown
  try {
    resource = JSON.parse(plain)
  } catch {
    throw new NotifyRefused('malformed', 'the decrypted resource is not JSON')
  }
  if (!resource || typeof resource !== 'object' || Array.isArray(resource))
    throw new NotifyRefused('malformed', 'the decrypted resource is not an object')

  let coupon: CouponSend | null = null
  if (env.data.event_type === 'COUPON.SEND') {
    const parsed = couponSend.safeParse(resource)
    if (!parsed.success)
      throw new NotifyRefused('malformed', `COUPON.SEND resource lacks ${parsed.error.issues[0]?.path.join('.')}`)
    coupon = parsed.data
  }
  return {
    id: env.data.id,
    eventType: env.data.event_type,
    createTime: env.data.create_time,
    summary: env.data.summary ?? '',
    resource: resource as Record<string, unknown>,
    coupon,
  }
}
