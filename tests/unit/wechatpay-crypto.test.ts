import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DecryptError, decryptResource, encryptResource, gcmOpen } from '../../src/server/wechatpay/crypto.ts'

const vectors = JSON.parse(readFileSync('tests/fixtures/wxpay-vectors.json', 'utf8'))

type GcmVector = {
  id: string
  key: string
  nonce: string
  associated_data: string
  plaintext: string
  ciphertext: string
}
const gcm: GcmVector[] = vectors.aes_256_gcm
const [coupon] = gcm as [GcmVector]
const resource = (v: GcmVector) => ({ ciphertext: v.ciphertext, nonce: v.nonce, associated_data: v.associated_data })

describe('AES-256-GCM resource', () => {
  it.each(gcm.map(v => [v.id, v] as const))('%s: decrypts the vector', (_, v) => {
    expect(decryptResource(v.key, resource(v))).toBe(v.plaintext)
  })

  it.each(gcm.map(v => [v.id, v] as const))('%s: encrypts byte-identically (the sandbox side)', (_, v) => {
    expect(encryptResource(v.key, v.plaintext, v.nonce, v.associated_data)).toBe(v.ciphertext)
  })

  it('treats a missing associated_data as empty', () => {
    const [, empty] = gcm as [GcmVector, GcmVector]
    expect(decryptResource(empty.key, { ciphertext: empty.ciphertext, nonce: empty.nonce })).toBe(empty.plaintext)
  })

  const flipLast = (b64: string) => {
    const raw = Buffer.from(b64, 'base64')
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 1
    return raw.toString('base64')
  }
  const flipFirst = (b64: string) => {
    const raw = Buffer.from(b64, 'base64')
    raw[0] = raw[0]! ^ 1
    return raw.toString('base64')
  }
  it.each([
    ['another APIv3 key (the usual cause)', { key: 'KaquanFakePayApiV3Key-0123456780' }],
    ['the APIv2 key in its place', { key: vectors.apiv3_test_keys.apiv2_key }],
    ['another nonce', { nonce: 'j9g1wAzF9Xn2' }],
    ['another associated_data', { associated_data: 'coupons' }],
    ['a flipped tag bit', { ciphertext: flipLast(coupon.ciphertext) }],
    ['a flipped ciphertext bit', { ciphertext: flipFirst(coupon.ciphertext) }],
    [
      'a truncated ciphertext',
      { ciphertext: Buffer.from(coupon.ciphertext, 'base64').subarray(0, 10).toString('base64') },
    ],
    ['a ciphertext that is not base64', { ciphertext: `${coupon.ciphertext.slice(0, -4)}*#*#` }],
    ['a key of 31 bytes', { key: coupon.key.slice(1) }],
  ])('refuses %s', (_, change: Partial<GcmVector>) => {
    const v = { ...coupon, ...change }
    expect(() => decryptResource(v.key, resource(v))).toThrow(DecryptError)
  })

  it('round-trips multi-byte text under a fresh nonce', () => {
    const key = coupon.key
    const enc = encryptResource(key, '{"goods_name":"拿铁"}', 'Fresh0nce123', 'coupon')
    expect(decryptResource(key, { ciphertext: enc, nonce: 'Fresh0nce123', associated_data: 'coupon' })).toBe(
      '{"goods_name":"拿铁"}',
    )
  })
})

describe('the wechatpay-go SDK vector', () => {
  const [sdk] = vectors.sdk_vectors
  const r = JSON.parse(sdk.body).resource
  it('has the same GCM layout (ciphertext || tag, UTF-8 nonce and AAD), under its 16-byte key', () => {
    expect(gcmOpen(Buffer.from(sdk.apiv3_key_16_bytes, 'utf8'), r)).toBe(sdk.decrypted_resource)
  })
  it('is refused as an APIv3 key: real ones are 32 bytes', () => {
    expect(() => decryptResource(sdk.apiv3_key_16_bytes, r)).toThrow(DecryptError)
  })
})
