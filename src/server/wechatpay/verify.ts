/**
 * WeChat Pay's signature on its answers and callbacks (WeChat Pay "验证签名",
 * pay.weixin.qq.com/docs/merchant/development/interface-rules/build-verify-sign-src.html):
 * RSA-SHA256 over TIMESTAMP\nNONCE\nBODY\n (an empty 204 body still ends the message with \n),
 * the raw body as received, with the WeChat Pay public key named by Wechatpay-Serial.
 * The signing half is here too, for the sandbox.
 */
import type { KeyObject } from 'node:crypto'
import { type Bytes, CLOCK_SKEW, rsaSign, rsaVerify, signedMessage } from './sign.ts'

/** WeChat Pay public keys by their id (`PUB_KEY_ID_…`); a serial not in here is refused. */
export type PlatformKeys = Readonly<Record<string, KeyObject>>

/** Fetch's Headers, or Node's raw headers (lower-case names). */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>

// Duck-typed: a test environment may bring a Headers class of its own.
const isHeaders = (h: HeaderSource): h is Headers => typeof (h as Headers).get === 'function'

export function header(h: HeaderSource, name: string): string | undefined {
  if (isHeaders(h)) return h.get(name) ?? undefined
  const v = h[name.toLowerCase()] ?? Object.entries(h).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1]
  return Array.isArray(v) ? v[0] : v
}

/**
 * WeChat Pay sends a few deliberately wrong signatures to see whether merchants check them
 * ("签名探测流量", developers.weixin.qq.com/community/pay/article/doc/0004a879f60928d89340b8b9f64c13).
 */
export const PROBE_PREFIX = 'WECHATPAY/SIGNTEST/'

export function responseMessage(timestamp: string, nonce: string, body: Bytes): Buffer {
  return signedMessage([timestamp, nonce, body])
}

export type SignatureCheck =
  | { ok: true; serial: string; timestamp: number }
  | { ok: false; reason: 'signature' | 'stale'; message: string }

/**
 * Checks the Wechatpay-* headers over the raw body bytes, as they arrived: a body re-serialised or
 * re-encoded before checking is a common reason callbacks fail verification.
 */
export function verifySignedBody(h: HeaderSource, body: Bytes, keys: PlatformKeys, now: number): SignatureCheck {
  const timestamp = header(h, 'Wechatpay-Timestamp')
  const nonce = header(h, 'Wechatpay-Nonce')
  const signature = header(h, 'Wechatpay-Signature')
  const serial = header(h, 'Wechatpay-Serial')
  if (!timestamp || !nonce || !signature || !serial)
    return { ok: false, reason: 'signature', message: 'Wechatpay-Timestamp, -Nonce, -Signature or -Serial is missing' }
  const key = Object.hasOwn(keys, serial) ? keys[serial] : undefined
  if (!key) return { ok: false, reason: 'signature', message: `unknown Wechatpay-Serial ${serial}` }
  if (signature.startsWith(PROBE_PREFIX))
    return { ok: false, reason: 'signature', message: 'a signature probe (WECHATPAY/SIGNTEST/), refused as it must be' }
  if (!/^\d{1,12}$/.test(timestamp))
    return { ok: false, reason: 'signature', message: 'Wechatpay-Timestamp is not a number' }
  if (!rsaVerify(key, responseMessage(timestamp, nonce, body), signature))
    return { ok: false, reason: 'signature', message: 'Wechatpay-Signature does not match' }
  // Checked after the signature, so a refusal as stale says the message itself was genuine.
  if (Math.abs(now - Number(timestamp)) > CLOCK_SKEW)
    return { ok: false, reason: 'stale', message: `Wechatpay-Timestamp ${timestamp} is more than ${CLOCK_SKEW} s off` }
  return { ok: true, serial, timestamp: Number(timestamp) }
}

/** The headers WeChat Pay puts on every answer and callback, signed with the platform private key. */
export function signResponse(
  privateKey: KeyObject,
  serial: string,
  body: Bytes,
  r: { timestamp: string; nonce: string },
): Record<string, string> {
  return {
    'Wechatpay-Timestamp': r.timestamp,
    'Wechatpay-Nonce': r.nonce,
    'Wechatpay-Serial': serial,
    'Wechatpay-Signature': rsaSign(privateKey, responseMessage(r.timestamp, r.nonce, body)),
    'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
  }
}
