import { createPrivateKey, createPublicKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { encryptResource } from '../../src/server/wechatpay/crypto.ts'
import { NotifyRefused, openNotification, refusalStatus } from '../../src/server/wechatpay/notify.ts'
import { signResponse } from '../../src/server/wechatpay/verify.ts'

const vectors = JSON.parse(readFileSync('tests/fixtures/wxpay-vectors.json', 'utf8'))
const k = vectors.apiv3_test_keys
const platformId: string = k.platform_public_key_id
const keys = { apiV3Key: k.apiv3_key, platformKeys: { [platformId]: createPublicKey(k.platform_public_key_pem) } }
const platformPrivate = createPrivateKey(k.platform_private_key_pem)
const v = vectors.notification_coupon_send
const now = Number(v.headers['Wechatpay-Timestamp'])

/** A notification as WeChat Pay would send it, made and signed with the vector keys. */
function signed(body: string) {
  return { headers: signResponse(platformPrivate, platformId, body, { timestamp: String(now), nonce: 'n0nce' }), body }
}
function envelopeOf(plain: string, over: Record<string, unknown> = {}) {
  const nonce = 'Abc123Def456'
  const ciphertext = encryptResource(k.apiv3_key, plain, nonce, 'coupon')
  const env = JSON.parse(v.body)
  return JSON.stringify({ ...env, ...over, resource: { ...env.resource, ciphertext, nonce } })
}
function refusal(f: () => unknown): NotifyRefused['kind'] | 'none' {
  try {
    f()
    return 'none'
  } catch (err) {
    if (err instanceof NotifyRefused) return err.kind
    throw err
  }
}

describe('COUPON.SEND callback', () => {
  it('verifies and opens the vector notification', () => {
    const n = openNotification(keys, v.headers, Buffer.from(v.body, 'utf8'), now)
    expect(n).toMatchObject({ id: JSON.parse(v.body).id, eventType: 'COUPON.SEND', summary: '商家券领券通知' })
    expect(n.coupon).toEqual(v.decrypted_resource)
  })

  it('reads Node-style lower-case headers', () => {
    const lower = Object.fromEntries(
      Object.entries(v.headers as Record<string, string>).map(([h, x]) => [h.toLowerCase(), x]),
    )
    expect(openNotification(keys, lower, v.body, now).coupon?.coupon_code).toBe(v.decrypted_resource.coupon_code)
  })

  it.each([
    [
      'a changed body byte (signature)',
      { body: v.body.replace('"summary":"商家券领券通知"', '"summary":"商家券领劵通知"') },
      'signature',
    ],
    ['a body with a trailing newline (signature)', { body: `${v.body}\n` }, 'signature'],
    [
      'a signature probe (signature)',
      { headers: { 'Wechatpay-Signature': `WECHATPAY/SIGNTEST/${v.headers['Wechatpay-Signature']}` } },
      'signature',
    ],
    [
      'an unknown Wechatpay-Serial (signature)',
      { headers: { 'Wechatpay-Serial': 'PUB_KEY_ID_11111111111111111111111111111111' } },
      'signature',
    ],
    ['no Wechatpay-Signature (signature)', { headers: { 'Wechatpay-Signature': undefined } }, 'signature'],
    ['a genuine notification 301 s old (stale)', { now: now + 301 }, 'stale'],
    ['a genuine notification 301 s ahead (stale)', { now: now - 301 }, 'stale'],
  ] as const)('refuses %s', (_, change: any, kind) => {
    const headers = { ...v.headers, ...change.headers }
    expect(refusal(() => openNotification(keys, headers, change.body ?? v.body, change.now ?? now))).toBe(kind)
  })

  it('refuses to decrypt with another APIv3 key, and asks for a 5xx so WeChat Pay retries', () => {
    const wrong = { ...keys, apiV3Key: 'KaquanFakePayApiV3Key-9876543210' }
    expect(refusal(() => openNotification(wrong, v.headers, v.body, now))).toBe('decrypt')
    expect(refusalStatus.decrypt).toBeGreaterThanOrEqual(500)
  })

  it.each([
    ['not JSON', 'not json'],
    ['an envelope without resource', JSON.stringify({ ...JSON.parse(v.body), resource: undefined })],
    [
      'another algorithm',
      JSON.stringify({ ...JSON.parse(v.body), resource: { ...JSON.parse(v.body).resource, algorithm: 'AES_128_CBC' } }),
    ],
    ['a resource that is not JSON', envelopeOf('not json')],
    ['a resource that is not an object', envelopeOf('"x"')],
    [
      'a COUPON.SEND without coupon_code',
      envelopeOf(JSON.stringify({ ...v.decrypted_resource, coupon_code: undefined })),
    ],
    ['a COUPON.SEND without stock_id', envelopeOf(JSON.stringify({ ...v.decrypted_resource, stock_id: '' }))],
  ])('refuses %s (correctly signed) as malformed', (_, body) => {
    const s = signed(body)
    expect(refusal(() => openNotification(keys, s.headers, s.body, now))).toBe('malformed')
  })

  it('opens another event type without a coupon', () => {
    const s = signed(envelopeOf('{"hello":1}', { event_type: 'COUPON.USE' }))
    expect(openNotification(keys, s.headers, s.body, now)).toMatchObject({
      eventType: 'COUPON.USE',
      coupon: null,
      resource: { hello: 1 },
    })
  })

  it('gives an empty openid when the stock has no notify_appid', () => {
    const s = signed(envelopeOf(JSON.stringify({ ...v.decrypted_resource, openid: undefined, unionid: undefined })))
    expect(openNotification(keys, s.headers, s.body, now).coupon).toMatchObject({ openid: '', unionid: '' })
  })
})
