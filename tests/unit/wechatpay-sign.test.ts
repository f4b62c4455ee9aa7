import { createPrivateKey, createPublicKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  authorization,
  parseAuthorization,
  requestMessage,
  rsaSign,
  rsaVerify,
  verifyRequestAuthorization,
} from '../../src/server/wechatpay/sign.ts'

// WeChat Pay publishes no APIv3 signature with a usable key, so these vectors were made with throwaway keys and
// cross-checked with wechatpay-axios-plugin (tests/fixtures/wxpay-vectors.json says which are official).
const vectors = JSON.parse(readFileSync('tests/fixtures/wxpay-vectors.json', 'utf8'))
const keys = vectors.apiv3_test_keys
const merchant = {
  mchid: keys.mchid as string,
  certSerial: keys.merchant_serial_no as string,
  privateKey: createPrivateKey(keys.merchant_private_key_pem),
  publicKey: createPublicKey(keys.merchant_public_key_pem),
}

type RequestVector = {
  id: string
  method: string
  url: string
  timestamp: string
  nonce: string
  body: string
  message: string
  expected_signature: string
  authorization: string
}
const requests: RequestVector[] = vectors.apiv3_request_signature

describe('APIv3 request signature', () => {
  it.each(requests.map(v => [v.id, v] as const))('%s: builds the five-line message', (_, v) => {
    expect(requestMessage(v.method, v.url, v.timestamp, v.nonce, v.body).toString('utf8')).toBe(v.message)
  })

  it.each(requests.map(v => [v.id, v] as const))('%s: signs byte-exactly and writes the Authorization', (_, v) => {
    expect(rsaSign(merchant.privateKey, v.message)).toBe(v.expected_signature)
    expect(authorization(merchant, v)).toBe(v.authorization)
  })

  const [post] = requests as [RequestVector]
  it.each([
    ['method', { method: 'PUT' }],
    ['url', { url: `${post.url}?x=1` }],
    ['timestamp', { timestamp: String(Number(post.timestamp) + 1) }],
    ['nonce', { nonce: `${post.nonce}0` }],
    ['body', { body: post.body.replace('384920175531', '384920175532') }],
    ['body left out', { body: '' }],
  ])('the signature no longer verifies when the %s changes', (_, change) => {
    const v = { ...post, ...change }
    expect(
      rsaVerify(
        merchant.publicKey,
        requestMessage(v.method, v.url, v.timestamp, v.nonce, v.body),
        post.expected_signature,
      ),
    ).toBe(false)
  })

  it('signs the body as bytes, so multi-byte text is signed as it travels', () => {
    const body = '{"stock_name":"满100减10元券"}'
    const sig = rsaSign(merchant.privateKey, requestMessage('POST', '/v3/x', '1', 'n', Buffer.from(body, 'utf8')))
    expect(rsaVerify(merchant.publicKey, requestMessage('POST', '/v3/x', '1', 'n', body), sig)).toBe(true)
  })
})

describe('Authorization header parsing', () => {
  const [post] = requests as [RequestVector]
  it('reads the pairs in any order', () => {
    const parts = parseAuthorization(post.authorization)!
    const shuffled = `WECHATPAY2-SHA256-RSA2048 serial_no="${parts.serial_no}",timestamp="${parts.timestamp}",signature="${parts.signature}",mchid="${parts.mchid}",nonce_str="${parts.nonce_str}"`
    expect(parseAuthorization(shuffled)).toEqual(parts)
    expect(parts).toMatchObject({ mchid: merchant.mchid, serial_no: merchant.certSerial, timestamp: post.timestamp })
  })

  it.each([
    ['no header', undefined],
    ['another scheme', post.authorization.replace('WECHATPAY2-SHA256-RSA2048', 'Bearer')],
    ['a missing pair', post.authorization.replace(/,serial_no="[^"]*"/, '')],
    ['a repeated pair', `${post.authorization},mchid="1"`],
    ['an unquoted value', post.authorization.replace(`mchid="${merchant.mchid}"`, `mchid=${merchant.mchid}`)],
    [
      'a timestamp that is not a number',
      post.authorization.replace(`timestamp="${post.timestamp}"`, 'timestamp="soon"'),
    ],
  ])('refuses %s', (_, header) => {
    expect(parseAuthorization(header)).toBeNull()
  })
})

describe('checking a request as WeChat Pay does (for the sandbox)', () => {
  const [post, get] = requests as [RequestVector, RequestVector]
  const check = (
    v: RequestVector,
    over: Partial<{ authorization: string; body: string; url: string }> = {},
    now = Number(v.timestamp),
  ) =>
    verifyRequestAuthorization(
      { authorization: v.authorization, method: v.method, url: v.url, body: v.body, ...over },
      merchant,
      now,
    )

  it.each([post, get])('accepts the vector request $id', v => {
    expect(check(v)).toMatchObject({ ok: true, auth: { mchid: merchant.mchid } })
  })

  it('answers a malformed header with 400 INVALID_REQUEST', () => {
    expect(check(post, { authorization: 'WECHATPAY2-SHA256-RSA2048 nonsense' })).toMatchObject({
      ok: false,
      status: 400,
      body: { code: 'INVALID_REQUEST' },
    })
  })

  type Over = { authorization?: string; body?: string; url?: string }
  it.each<[string, Over, number]>([
    ['signature', { body: `${post.body} ` }, Number(post.timestamp)],
    ['signature', { url: '/v3/marketing/busifavor/coupons/use?x=1' }, Number(post.timestamp)],
    ['stale', {}, Number(post.timestamp) + 301],
    ['stale', {}, Number(post.timestamp) - 301],
    [
      'mchid',
      { authorization: post.authorization.replace('mchid="1900000109"', 'mchid="1900000110"') },
      Number(post.timestamp),
    ],
    [
      'serial',
      { authorization: post.authorization.replace(merchant.certSerial, 'AB'.repeat(20)) },
      Number(post.timestamp),
    ],
  ])('answers a %s problem with 401 SIGN_ERROR and sign_information', (reason, over, now) => {
    const r = check(post, over, now)
    expect(r).toMatchObject({ ok: false, status: 401, reason, body: { code: 'SIGN_ERROR' } })
    if (r.ok) return
    const info = (r.body.detail as any).sign_information
    expect(info).toMatchObject({ method: 'POST', url: over.url ?? post.url })
    expect(info.sign_message_length).toBe(
      Buffer.byteLength(
        requestMessage('POST', over.url ?? post.url, post.timestamp, post.nonce, over.body ?? post.body),
      ),
    )
  })

  it('accepts a timestamp just inside the 300 s window', () => {
    expect(check(post, {}, Number(post.timestamp) + 300).ok).toBe(true)
  })
})
