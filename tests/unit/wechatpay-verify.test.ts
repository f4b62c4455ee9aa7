import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { header, responseMessage, signResponse, verifySignedBody } from '../../src/server/wechatpay/verify.ts'

const vectors = JSON.parse(readFileSync('tests/fixtures/wxpay-vectors.json', 'utf8'))
const keys = vectors.apiv3_test_keys
const platformId: string = keys.platform_public_key_id
const platformKeys = { [platformId]: createPublicKey(keys.platform_public_key_pem) }
const platformPrivate = createPrivateKey(keys.platform_private_key_pem)

type ResponseVector = {
  id: string
  headers: Record<string, string>
  body: string
  message: string
  expected_signature: string
}
const responses: ResponseVector[] = vectors.apiv3_response_signature
const [ok200, empty204] = responses as [ResponseVector, ResponseVector]
const at = (v: ResponseVector) => Number(v.headers['Wechatpay-Timestamp'])

describe('answer signature', () => {
  it.each(responses.map(v => [v.id, v] as const))('%s: message and signature match the vector', (_, v) => {
    const h = v.headers
    expect(responseMessage(h['Wechatpay-Timestamp']!, h['Wechatpay-Nonce']!, v.body).toString('utf8')).toBe(v.message)
    expect(verifySignedBody(h, v.body, platformKeys, at(v))).toEqual({ ok: true, serial: platformId, timestamp: at(v) })
  })

  it('signs as WeChat Pay does, byte-identical to the vector (the sandbox side)', () => {
    for (const v of responses) {
      const made = signResponse(platformPrivate, platformId, v.body, {
        timestamp: v.headers['Wechatpay-Timestamp']!,
        nonce: v.headers['Wechatpay-Nonce']!,
      })
      expect(made['Wechatpay-Signature']).toBe(v.expected_signature)
      expect(made['Wechatpay-Serial']).toBe(platformId)
    }
  })

  it('reads fetch Headers and Node raw headers alike', () => {
    const lower = Object.fromEntries(Object.entries(ok200.headers).map(([k, v]) => [k.toLowerCase(), v]))
    expect(verifySignedBody(new Headers(ok200.headers), ok200.body, platformKeys, at(ok200)).ok).toBe(true)
    expect(verifySignedBody(lower, Buffer.from(ok200.body), platformKeys, at(ok200)).ok).toBe(true)
    expect(header({ 'wechatpay-serial': ['a', 'b'] }, 'Wechatpay-Serial')).toBe('a')
  })

  it.each([
    ['a changed body', { body: ok200.body.replace('oKaquan', 'oKaquam') }],
    ['a body re-serialised with spaces', { body: JSON.stringify(JSON.parse(ok200.body), null, 1) }],
    ['an empty body', { body: '' }],
    ['another nonce', { headers: { 'Wechatpay-Nonce': 'x' } }],
    ['another timestamp', { headers: { 'Wechatpay-Timestamp': String(at(ok200) + 1) } }],
    ['a signature that is not base64', { headers: { 'Wechatpay-Signature': '!!!' } }],
    ['a signature probe', { headers: { 'Wechatpay-Signature': `WECHATPAY/SIGNTEST/${ok200.expected_signature}` } }],
    ["the 204's signature", { headers: { 'Wechatpay-Signature': empty204.expected_signature } }],
    ['an unknown serial', { headers: { 'Wechatpay-Serial': 'PUB_KEY_ID_00000000000000000000000000000000' } }],
    ['a platform certificate serial', { headers: { 'Wechatpay-Serial': 'D7CE59D1F522D701' } }],
    ['no signature header', { headers: { 'Wechatpay-Signature': undefined } }],
    ['no serial header', { headers: { 'Wechatpay-Serial': undefined } }],
  ])('refuses %s as a bad signature', (_, change: { body?: string; headers?: Record<string, string | undefined> }) => {
    const headers = { ...ok200.headers, ...change.headers }
    const r = verifySignedBody(headers, change.body ?? ok200.body, platformKeys, at(ok200))
    expect(r).toMatchObject({ ok: false, reason: 'signature' })
  })

  it('refuses a key not meant for it: the merchant public key does not verify WeChat Pay', () => {
    const wrong = { [platformId]: createPublicKey(keys.merchant_public_key_pem) }
    expect(verifySignedBody(ok200.headers, ok200.body, wrong, at(ok200)).ok).toBe(false)
  })

  it.each([301, -301, 100_000])('refuses a genuine answer %i s away from now as stale', skew => {
    expect(verifySignedBody(ok200.headers, ok200.body, platformKeys, at(ok200) - skew)).toMatchObject({
      ok: false,
      reason: 'stale',
    })
  })

  it.each([300, -300, 0])('accepts a genuine answer %i s away', skew => {
    expect(verifySignedBody(ok200.headers, ok200.body, platformKeys, at(ok200) - skew).ok).toBe(true)
  })
})

describe('the wechatpay-go SDK vector', () => {
  const [sdk] = vectors.sdk_vectors
  const certKey = new X509Certificate(sdk.certificate_pem).publicKey
  const serial = sdk.headers['Wechatpay-Serial']
  const now = Number(sdk.headers['Wechatpay-Timestamp'])

  it('verifies a real third-party signature over timestamp\\nnonce\\nbody\\n', () => {
    expect(verifySignedBody(sdk.headers, sdk.body, { [serial]: certKey }, now).ok).toBe(true)
  })

  it('fails the same signature over a changed body', () => {
    expect(verifySignedBody(sdk.headers, sdk.body.replace('签约成功', '签约失败'), { [serial]: certKey }, now).ok).toBe(
      false,
    )
  })
})
