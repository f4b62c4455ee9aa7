/**
 * APIv3 request signing (WeChat Pay "签名生成",
 * pay.weixin.qq.com/docs/merchant/development/interface-rules/signature-generation.html):
 * the merchant signs METHOD, URL, TIMESTAMP, NONCE and BODY, each line ending in \n, with
 * RSA PKCS#1 v1.5 over SHA-256. The checking half is here too, for the sandbox, which checks
 * incoming requests as WeChat Pay does and answers with WeChat Pay's error bodies.
 */
import { createSign, createVerify, type KeyObject } from 'node:crypto'

export const AUTH_SCHEME = 'WECHATPAY2-SHA256-RSA2048'

/** WeChat Pay refuses requests signed long ago; the window is not published, 300 s is what SDKs use. */
export const CLOCK_SKEW = 300

export type Bytes = string | Uint8Array

const utf8 = (b: Bytes) => (typeof b === 'string' ? Buffer.from(b, 'utf8') : Buffer.from(b))

/** Lines joined as bytes, so a body is signed exactly as it travels, never decoded and re-encoded. */
export function signedMessage(lines: Bytes[]): Buffer {
  return Buffer.concat(lines.flatMap(l => [utf8(l), Buffer.from('\n')]))
}

/** `url` is the path plus `?query` of the URL actually requested: a query signed in another order fails. */
export function requestMessage(method: string, url: string, timestamp: string, nonce: string, body: Bytes): Buffer {
  return signedMessage([method.toUpperCase(), url, timestamp, nonce, body])
}

export function rsaSign(privateKey: KeyObject, message: Bytes): string {
  return createSign('sha256').update(utf8(message)).sign(privateKey, 'base64')
}

export function rsaVerify(publicKey: KeyObject, message: Bytes, signature: string): boolean {
  // A signature that is not base64 is not a signature; Buffer.from would silently skip bad characters.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false
  try {
    return createVerify('sha256').update(utf8(message)).verify(publicKey, signature, 'base64')
  } catch {
    return false
  }
}

export interface Merchant {
  mchid: string
  certSerial: string
  privateKey: KeyObject
}

export interface AuthParts {
  mchid: string
  nonce_str: string
  signature: string
  timestamp: string
  serial_no: string
}

export function authorization(
  m: Merchant,
  r: { method: string; url: string; body: Bytes; timestamp: string; nonce: string },
): string {
  const signature = rsaSign(m.privateKey, requestMessage(r.method, r.url, r.timestamp, r.nonce, r.body))
  const parts: AuthParts = {
    mchid: m.mchid,
    nonce_str: r.nonce,
    signature,
    timestamp: r.timestamp,
    serial_no: m.certSerial,
  }
  return `${AUTH_SCHEME} ${Object.entries(parts)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}`
}

const PAIR = /^\s*([a-z_]+)="([^"]*)"\s*$/

/** The five k="v" pairs may come in any order ("无顺序要求"); each exactly once. */
export function parseAuthorization(header: string | undefined): AuthParts | null {
  if (!header?.startsWith(`${AUTH_SCHEME} `)) return null
  const found: Record<string, string> = {}
  for (const piece of header.slice(AUTH_SCHEME.length + 1).split(',')) {
    const m = PAIR.exec(piece)
    if (!m || Object.hasOwn(found, m[1]!)) return null
    found[m[1]!] = m[2]!
  }
  const keys = ['mchid', 'nonce_str', 'signature', 'timestamp', 'serial_no'] as const
  if (Object.keys(found).length !== keys.length || !keys.every(k => found[k])) return null
  if (!/^\d{1,12}$/.test(found.timestamp!)) return null
  return found as unknown as AuthParts
}

/** WeChat Pay's own error body, as the sandbox answers it. */
export interface WxPayErrorBody {
  code: string
  message: string
  detail?: Record<string, unknown>
}

export type RequestCheck =
  | { ok: true; auth: AuthParts }
  | {
      ok: false
      status: 400 | 401
      body: WxPayErrorBody
      reason: 'malformed' | 'mchid' | 'serial' | 'stale' | 'signature'
    }

/**
 * Checks an incoming request's Authorization as WeChat Pay does (签名生成, HTTP 状态码及错误码; the 401
 * body as WeChat Pay SDK users report it, e.g. wechatpay-apiv3/wechatpay-go#235): a malformed header
 * is 400 INVALID_REQUEST; a wrong mchid or serial, a stale timestamp or a mismatch is 401
 * SIGN_ERROR with `sign_information`, which shows the message WeChat Pay signed so a developer can
 * compare it with theirs. `url` is the path and query as received.
 */
export function verifyRequestAuthorization(
  req: { authorization: string | undefined; method: string; url: string; body: Bytes },
  merchant: { mchid: string; certSerial: string; publicKey: KeyObject },
  now: number,
): RequestCheck {
  const auth = parseAuthorization(req.authorization)
  if (!auth)
    return {
      ok: false,
      status: 400,
      reason: 'malformed',
      body: { code: 'INVALID_REQUEST', message: 'Http头Authorization值格式错误' },
    }
  const message = requestMessage(req.method, req.url, auth.timestamp, auth.nonce_str, req.body)
  const refuse = (reason: 'mchid' | 'serial' | 'stale' | 'signature', issue: string, field: string): RequestCheck => ({
    ok: false,
    status: 401,
    reason,
    body: {
      code: 'SIGN_ERROR',
      message: '错误的签名，验签失败',
      detail: {
        detail: { issue },
        field,
        location: 'authorization',
        sign_information: signInformation(req.method, req.url, message),
      },
    },
  })
  if (auth.mchid !== merchant.mchid) return refuse('mchid', 'mchid not match', 'mchid')
  if (auth.serial_no.toUpperCase() !== merchant.certSerial.toUpperCase())
    return refuse('serial', 'serial_no not match', 'serial_no')
  if (Math.abs(now - Number(auth.timestamp)) > CLOCK_SKEW) return refuse('stale', 'timestamp expired', 'timestamp')
  if (!rsaVerify(merchant.publicKey, message, auth.signature)) return refuse('signature', 'sign not match', 'signature')
  return { ok: true, auth }
}

/** The shape WeChat Pay prints; the message is cut so a large body does not fill the answer. */
function signInformation(method: string, url: string, message: Buffer) {
  const text = message.toString('utf8')
  return {
    method: method.toUpperCase(),
    sign_message_length: message.length,
    truncated_sign_message: text.length > 256 ? `${text.slice(0, 256)}…` : text,
    url,
  }
}
